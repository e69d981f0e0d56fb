"""Refusing to serve the public with unsafe settings, whichever server is started.

One system check, tagged "serving", holds the rule. `manage.py check --deploy` runs it with the
other deployment checks; `manage.py runserver` runs it before starting (tracker's own runserver
command); `tracker.wsgi` (gunicorn and other WSGI servers) and `tracker.asgi` (ASGI servers) run
it when they are imported and stop the process. It is not an ordinary check, which every
management command runs: loading data or migrating with DEBUG off serves nobody.
"""

import sys

from django.conf import settings
from django.core import checks

SERVING = "serving"
REFUSAL = "Refusing to serve the public"


def serving_problems():
    """Why these settings must not serve the public (empty when they may, or while debugging)."""
    if settings.DEBUG:
        return []
    problems = []
    if not settings.SECRET_KEY or settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        problems.append("DJANGO_SECRET_KEY is missing or is the development key; set a long random secret.")
    if not settings.ALLOWED_HOSTS:
        problems.append("DJANGO_ALLOWED_HOSTS is unset; list the host names the site answers to.")
    if not settings.PUBLIC_URL:
        problems.append(
            "TRACKER_PUBLIC_URL is unset; set the address the public reaches the site at, e.g. "
            "https://evidence.example.org (links in feeds, downloads and citations are built from it)."
        )
    return problems


@checks.register(SERVING, deploy=True)
def check_serving_settings(app_configs=None, **kwargs):
    return [
        checks.Error(f"{REFUSAL}: {problem}", id=f"tracker.E00{number}")
        for number, problem in enumerate(serving_problems(), start=1)
    ]


def refuse_unsafe_serving():
    """Stop the process, naming what to set, when the serving check finds a problem.

    A plain message and a failing exit status, not a traceback: this is a mistake in the server's
    environment, and whoever starts the server must see what to set.
    """
    issues = checks.run_checks(tags=[SERVING], include_deployment_checks=True)
    errors = [issue for issue in issues if issue.is_serious()]
    if errors:
        problems = "\n".join(f"- {error.msg.removeprefix(REFUSAL + ': ')}" for error in errors)
        sys.exit(f"{REFUSAL}:\n{problems}")
