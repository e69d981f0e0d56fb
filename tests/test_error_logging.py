"""A server error never passes unseen: with DEBUG off it is logged with its traceback to standard error."""

from tests.test_serving import run_python

FAILING_REQUEST = """
import types
import django
django.setup()
from django.test import Client, override_settings
from django.urls import path

def broken(request):
    raise RuntimeError("the page could not be drawn")

urls = types.ModuleType("urls")
urls.urlpatterns = [path("broken/", broken)]
with override_settings(ROOT_URLCONF=urls, ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
    print(Client(raise_request_exception=False).get("/broken/").status_code)
"""


def test_a_server_error_is_logged_with_its_traceback_when_debug_is_off():
    result = run_python("-c", FAILING_REQUEST, DJANGO_SETTINGS_MODULE="tracker.settings")
    assert result.stdout.strip() == "500", result.stderr
    assert "ERROR django.request: Internal Server Error: /broken/" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: the page could not be drawn" in result.stderr


def test_errors_also_go_to_sentry_when_a_dsn_is_set():
    check = "import django; django.setup(); import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    result = run_python(
        "-c", check, DJANGO_SETTINGS_MODULE="tracker.settings", SENTRY_DSN="https://public@sentry.example.org/1"
    )
    assert result.stdout.strip() == "True", result.stderr
    unset = run_python("-c", check, DJANGO_SETTINGS_MODULE="tracker.settings", SENTRY_DSN=None)
    assert unset.stdout.strip() == "False", unset.stderr
