"""Admin accounts: password guessing is locked out, and session cookies stay out of reach."""

import logging
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.admin_helpers import make_user

RIGHT_PASSWORD = "correct horse battery"


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


def is_signed_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def fail_five_times(client, username, address="203.0.113.7"):
    for attempt in range(5):
        log_in(client, username, f"guess {attempt}", address)


def test_after_five_failed_logins_the_right_password_is_refused(client, db):
    make_user("Curator", username="curator")
    fail_five_times(client, "curator")
    response = log_in(client, "curator", RIGHT_PASSWORD)
    assert response.status_code == 429
    assert "locked" in response.text.lower()
    assert not is_signed_in(client)


def test_four_failed_logins_do_not_lock_the_account(client, db):
    make_user("Curator", username="curator")
    for attempt in range(4):
        log_in(client, "curator", f"guess {attempt}")
    response = log_in(client, "curator", RIGHT_PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_lockout_lasts_for_the_cool_off_period_and_then_ends(client, db):
    make_user("Curator", username="curator")
    fail_five_times(client, "curator")
    almost_over = timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=almost_over)
    assert log_in(client, "curator", RIGHT_PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=almost_over - timedelta(minutes=2))
    assert log_in(client, "curator", RIGHT_PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_the_lockout_is_for_that_username_from_that_address_only(client, db):
    make_user("Curator", username="curator")
    fail_five_times(client, "curator", address="203.0.113.7")
    assert log_in(client, "curator", RIGHT_PASSWORD, address="198.51.100.20").status_code == 302


def test_a_lockout_is_logged_with_the_username_and_address(client, db, caplog):
    make_user("Curator", username="curator")
    with caplog.at_level(logging.WARNING, logger="axes"):
        fail_five_times(client, "curator")
    lockouts = [record.getMessage() for record in caplog.records if "Locking out" in record.getMessage()]
    assert lockouts
    assert "curator" in lockouts[0]
    assert "203.0.113.7" in lockouts[0]


def test_session_and_csrf_cookies_are_secure_and_hidden_from_scripts(client, db):
    make_user("Curator", username="curator")
    login_page = client.get(reverse("admin:login"))
    csrf_cookie = login_page.cookies[settings.CSRF_COOKIE_NAME]
    response = log_in(client, "curator", RIGHT_PASSWORD)
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (csrf_cookie, session_cookie):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
