"""Moving a SQLite database to PostgreSQL the way the README says, and finding every row again."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs the PostgreSQL server the suite runs against"
)

# The same command as in the README's "Moving from SQLite to PostgreSQL"; XML, because Django's
# JSON dumps round times to the millisecond.
DUMP_ARGUMENTS = [
    "dumpdata",
    "--format=xml",
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
]

# Every row of every table, each as its serialised fields, so that rows can be compared across
# databases: ids of content types and permissions, which each database numbers itself, are written
# as their natural keys.
EVERY_ROW = """
import pickle, sys
import django
django.setup()
from django.apps import apps
from django.core import serializers
rows = {}
for model in apps.get_models(include_auto_created=True):
    records = serializers.serialize(
        "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True,
        use_natural_primary_keys=model._meta.label in ("contenttypes.ContentType", "auth.Permission"),
    )
    rows[model._meta.label] = [(record.get("pk"), record["fields"]) for record in records]
with open(sys.argv[1], "wb") as handle:
    pickle.dump(rows, handle)
"""


def manage(database_url, *arguments):
    # Its own database: no replica of the suite's.
    env = {name: value for name, value in os.environ.items() if not name.startswith("DATABASE_")}
    env.update(DATABASE_URL=database_url, DJANGO_DEBUG="true")
    result = subprocess.run(
        [sys.executable, *arguments], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def every_row(database_url, path):
    manage(database_url, "-c", EVERY_ROW, str(path))
    return pickle.loads(path.read_bytes())


@pytest.fixture
def empty_postgres_database():
    settings = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"{settings['NAME']}_moved"
    server = {key.lower(): settings[key] for key in ("HOST", "PORT", "USER", "PASSWORD")}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_sqlite_database_moves_to_postgresql_with_every_row(tmp_path, empty_postgres_database):
    sqlite_url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    manage(sqlite_url, "manage.py", "migrate", "--noinput")
    manage(sqlite_url, "manage.py", "load_reference_studies")
    manage(sqlite_url, "manage.py", "generate_synthetic_studies", "--studies", "30", "--allow-mixed")
    manage(sqlite_url, "manage.py", "ensure_local_admin")

    dump = tmp_path / "tracker.xml"
    manage(sqlite_url, "manage.py", *DUMP_ARGUMENTS, "--output", str(dump))
    manage(empty_postgres_database, "manage.py", "migrate", "--noinput")
    manage(empty_postgres_database, "manage.py", "loaddata", str(dump))

    before = every_row(sqlite_url, tmp_path / "before.pickle")
    after = every_row(empty_postgres_database, tmp_path / "after.pickle")
    assert sum(len(rows) for rows in before.values()) > 1_000
    assert before.keys() == after.keys()
    # Loading the rows changes the content of the new database: its version goes up, so a page kept
    # from before the move is never taken for a page of after it.
    version = "serving.ContentVersion"
    assert after[version][0][1]["number"] > before[version][0][1]["number"]
    for table, rows in before.items():
        if table != version:
            assert rows == after[table], table

    # New rows after the move get fresh ids: the loaded ids did not leave the counters behind.
    manage(empty_postgres_database, "manage.py", "generate_synthetic_studies", "--studies", "1", "--allow-mixed")
