"""The WSGI application servers such as gunicorn run."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings are ready only after the application)

from tracker.settings import production_problems  # noqa: E402

if not settings.DEBUG and (problems := production_problems()):
    # A plain message and a failing exit status, not a traceback: this is a mistake in the
    # server's environment, and whoever starts the server must see what to set.
    sys.exit("Refusing to serve the public:\n" + "\n".join(f"- {problem}" for problem in problems))
