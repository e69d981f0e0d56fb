"""Serving the public: the production environment documented in the README, and what happens without it."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

# The environment of a server as "Deploying" in the README describes it, behind a TLS proxy.
PRODUCTION_ENVIRONMENT = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "kX2v9-tQ8mZr4LwN7pYc1hJd6sBf3gUe5aHo0iVqTn_RyWxKzE",
    "DJANGO_ALLOWED_HOSTS": "evidence.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_BEHIND_PROXY": "true",
    "TRACKER_PUBLIC_URL": "https://evidence.example.org",
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


def test_the_deployment_checks_name_what_is_missing():
    result = run_python("manage.py", "check", "--deploy", DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "(tracker.E001) Refusing to serve the public: DJANGO_SECRET_KEY is missing" in result.stderr
    assert "(tracker.E002) Refusing to serve the public: DJANGO_ALLOWED_HOSTS is unset" in result.stderr


@pytest.mark.parametrize("reloading", [True, False], ids=["with the autoreloader", "without it"])
def test_the_development_server_refuses_to_serve_the_public_without_a_secret_key(reloading):
    arguments = ["manage.py", "runserver", f"127.0.0.1:{free_port()}"]
    result = run_python(*arguments, *([] if reloading else ["--noreload"]), DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "Refusing to serve the public: DJANGO_SECRET_KEY is missing or is the development key" in result.stderr
    assert "Starting development server" not in result.stdout


def test_the_development_server_refuses_to_serve_the_public_without_allowed_hosts():
    result = run_python("manage.py", "runserver", "--noreload", f"127.0.0.1:{free_port()}", DJANGO_ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "Refusing to serve the public: DJANGO_ALLOWED_HOSTS is unset" in result.stderr


def test_the_asgi_application_loads_under_the_documented_production_environment():
    result = run_python("-c", "import tracker.asgi")
    assert result.returncode == 0, result.stderr


def test_the_asgi_application_refuses_to_serve_without_a_secret_key():
    result = run_python("-c", "import tracker.asgi", DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "Refusing to serve the public:\n- DJANGO_SECRET_KEY is missing or is the development key" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_asgi_application_refuses_to_serve_without_allowed_hosts():
    result = run_python("-c", "import tracker.asgi", DJANGO_ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "- DJANGO_ALLOWED_HOSTS is unset" in result.stderr


def test_commands_that_serve_nobody_still_run_with_debug_off():
    result = run_python("manage.py", "check", DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None)
    assert result.returncode == 0, result.stderr


def test_the_development_server_serves_while_debugging(tmp_path):
    """What `make run` does: DEBUG on, the development key, no allowed hosts set."""
    port = free_port()
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_"))}
    environment.update(DJANGO_DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert answer(f"http://127.0.0.1:{port}/favicon.ico") == 302
    finally:
        server.terminate()
        server.wait(timeout=30)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answer(url, within_seconds=30):
    """The status of the first answer at url, waiting for the server to start."""
    deadline = time.monotonic() + within_seconds
    while True:
        try:
            with urllib.request.build_opener(NoRedirects).open(url, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *arguments, **keywords):
        return None
