"""Two curators saving the same study at the same moment, against a real server on the suite's database
engine: exactly one save wins, the other curator is told, nothing is lost and nothing fails."""

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# CI runs the full 50 rounds on each database; a developer's run a quicker 10 (the race shows in either).
ROUNDS = 50 if os.environ.get("CI") == "true" else 10
REFUSAL = "Someone else saved changes to study"


class FormReader(HTMLParser):
    """The fields a browser would post back from the admin's change form, unchanged."""

    def __init__(self):
        super().__init__()
        self.fields, self.select, self.textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.fields[name] = attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


class Curator:
    """One curator's browser: a session cookie, a CSRF cookie, and the change page as last opened."""

    def __init__(self, address, session_key):
        self.address, self.cookies = address, {"sessionid": session_key}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection(*self.address, timeout=60)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        connection.close()
        return response.status, text

    def open(self, path):
        status, page = self.request("GET", path)
        assert status == 200, page[:500]
        reader = FormReader()
        reader.feed(page)
        self.form = reader.fields
        return page

    def save(self, path, changes):
        return self.request("POST", path, urlencode({**self.form, **changes, "_continue": "1"}))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def database_url():
    """A database of its own for the server, on the engine the suite runs on."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if suite_url.startswith("postgres"):
        import psycopg

        parsed = urlparse(suite_url)
        name = f"{parsed.path.lstrip('/') or 'tracker'}_concurrent_edits"
        maintenance = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        yield parsed._replace(path=f"/{name}").geturl()
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/tracker.sqlite3"


SETUP = """
import json
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from studies.models import Study

study = Study.objects.create(title="Edited by two", slug="edited-by-two", verification="abstract")
keys = []
for name in ("ana", "ben"):
    user = User.objects.create_user(name, password="not used here", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps({"study": study.pk, "sessions": keys}))
"""


@pytest.fixture(scope="module")
def server(database_url):
    """gunicorn with two worker processes, each with its own database connections, on a free loopback port."""
    port = free_port()
    # Its own database: no replica of the suite's.
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_"))}
    environment.update(
        DATABASE_URL=database_url,
        # Debug mode only so that static files need not be collected (and compressed) first: the
        # race under test is in the database, the same with DEBUG on or off.
        DJANGO_DEBUG="true",
        DJANGO_SECRET_KEY="concurrent-edits-test-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        TRACKER_PUBLIC_URL=f"http://127.0.0.1:{port}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
    )

    def manage(*arguments):
        command = [sys.executable, "manage.py", *arguments]
        result = subprocess.run(command, cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--noinput", "-v0")
    setup = json.loads(manage("shell", "-c", SETUP).strip().splitlines()[-1])
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tracker.wsgi"], cwd=PROJECT, env=environment, stdout=log, stderr=log
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)

        def read_log():
            log.seek(0)
            return log.read()

        yield {"address": ("127.0.0.1", port), **setup, "log": read_log}
        process.terminate()
        process.wait(timeout=30)


def save_at_the_same_moment(path, curators, round_number):
    """Both curators press Save together; returns {name: (status, page)}."""
    start = threading.Barrier(len(curators))

    def save(name):
        start.wait()
        return curators[name].save(path, {"summary": f"{name}'s summary, round {round_number}"})

    with ThreadPoolExecutor(max_workers=len(curators)) as pool:
        answers = {name: pool.submit(save, name) for name in curators}
        return {name: answer.result(timeout=90) for name, answer in answers.items()}


def test_of_two_simultaneous_saves_exactly_one_wins_and_the_other_curator_is_told(server):
    path = f"/admin/studies/study/{server['study']}/change/"
    curators = {
        name: Curator(server["address"], key) for name, key in zip(("ana", "ben"), server["sessions"], strict=True)
    }
    for round_number in range(ROUNDS):
        for curator in curators.values():
            curator.open(path)
        answers = save_at_the_same_moment(path, curators, round_number)

        statuses = {name: status for name, (status, _page) in answers.items()}
        assert 500 not in statuses.values(), answers
        winners = [name for name, status in statuses.items() if status == 302]
        told = [name for name, (status, page) in answers.items() if status == 200 and REFUSAL in page]
        assert len(winners) == 1 and len(told) == 1, statuses
        # The winner's edit is what the study holds: nothing was silently overwritten.
        curators["ana"].open(path)
        assert curators["ana"].form["summary"].strip() == f"{winners[0]}'s summary, round {round_number}"
    assert b"Internal Server Error" not in server["log"]()
