import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(command):
    output = StringIO()
    call_command(command, stdout=output)
    return output.getvalue()


def test_the_first_run_creates_an_admin_with_a_random_password_that_works(client):
    output = run("ensure_local_admin")
    password = re.search(r"with password: (\S+)", output).group(1)
    assert len(password) >= 16
    login = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": password})
    assert login.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_no_two_machines_get_the_same_password():
    first = re.search(r"with password: (\S+)", run("ensure_local_admin")).group(1)
    get_user_model().objects.all().delete()
    second = re.search(r"with password: (\S+)", run("ensure_local_admin")).group(1)
    assert first != second


def test_later_runs_print_no_password_and_say_how_to_reset_it():
    run("ensure_local_admin")
    output = run("ensure_local_admin")
    assert "password:" not in output
    assert "manage.py changepassword admin" in output
    assert get_user_model().objects.count() == 1


def test_the_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
