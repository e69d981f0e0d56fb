"""Serving the public: the production environment documented in the README, and what happens without it."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# The environment of a server as "Deploying" in the README describes it, behind a TLS proxy.
PRODUCTION_ENVIRONMENT = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "kX2v9-tQ8mZr4LwN7pYc1hJd6sBf3gUe5aHo0iVqTn_RyWxKzE",
    "DJANGO_ALLOWED_HOSTS": "evidence.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_BEHIND_PROXY": "true",
}


def run_python(*arguments, **environment):
    """Run Python in the project with the production environment, changed by `environment` (None unsets)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(PRODUCTION_ENVIRONMENT)
    env.update(environment)
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, *arguments], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_documented_production_environment_passes_the_deployment_checks():
    result = run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_application_loads_under_the_documented_production_environment():
    result = run_python("-c", "import tracker.wsgi")
    assert result.returncode == 0, result.stderr


def test_the_server_refuses_to_start_without_a_secret_key():
    result = run_python("-c", "import tracker.wsgi", DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "Refusing to serve the public" in result.stderr
    assert "DJANGO_SECRET_KEY is missing or is the development key" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_server_refuses_to_start_with_the_development_secret_key():
    result = run_python(
        "-c",
        "import tracker.wsgi",
        DJANGO_SECRET_KEY="django-insecure-local-development-key-never-use-in-production",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is missing or is the development key" in result.stderr


def test_the_server_refuses_to_start_without_allowed_hosts():
    result = run_python("-c", "import tracker.wsgi", DJANGO_ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is unset" in result.stderr


def test_gunicorn_stops_with_the_refusal_instead_of_serving():
    result = run_python("-m", "gunicorn", "tracker.wsgi", "--bind", "127.0.0.1:0", DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "Refusing to serve the public" in result.stderr


def test_the_admin_answers_at_the_path_set_in_the_environment():
    visit = (
        "import django; django.setup(); from django.test import Client; client = Client();"
        "print(client.get('/curation-desk/login/').status_code, client.get('/admin/login/').status_code)"
    )
    result = run_python(
        "-c",
        visit,
        DJANGO_ADMIN_PATH="curation-desk",
        # Debug mode serves static files without `collectstatic`; the path setting is the same.
        DJANGO_DEBUG="true",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT=None,
        DJANGO_SETTINGS_MODULE="tracker.settings",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "404"]
