"""Reads from a real PostgreSQL streaming replica (`make replica`, DATABASE_REPLICA_URLS): public pages
read the replica, the admin and a curator who just saved read the primary, and a published change
reaches the replica's pages.

The rows are committed (transactional tests), since a replica sees only what the primary committed."""

import os
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, connections
from django.test.utils import CaptureQueriesContext

from serving.models import ContentVersion
from serving.replicas import READ_PRIMARY_COOKIE
from studies.models import Study
from tests.admin_helpers import post_change
from tests.factories import make_study

REPLICA = "replica1"

if REPLICA not in settings.DATABASES:
    if os.environ.get("CI") == "true" and settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise RuntimeError("CI runs the PostgreSQL suite against a replica: set DATABASE_REPLICA_URLS (make replica).")
    pytest.skip("No replica: run `make replica` and set DATABASE_REPLICA_URLS.", allow_module_level=True)

pytestmark = [
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]


def curator():
    """A curator with every permission. Transactional tests empty the tables after each test, the
    Curator and Publisher groups (made by a migration) with them."""
    return User.objects.create_superuser("curator", password="correct horse battery")


def on_replica(check, timeout=15):
    """Wait until the replica has replayed what the primary committed; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the change did not reach the replica"
        time.sleep(0.05)


def replica_has(study_title):
    return Study.objects.using(REPLICA).filter(title=study_title).exists()


def queries_on(alias):
    return CaptureQueriesContext(connections[alias])


def test_the_replica_is_a_real_read_only_standby():
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        in_recovery, port = cursor.fetchone()
    assert in_recovery is True
    assert port != connections["default"].settings_dict.get("PORT", "5432")
    with pytest.raises(DatabaseError, match="read-only"), connections[REPLICA].cursor() as cursor:
        cursor.execute("CREATE TABLE written_on_a_replica (id integer)")


def test_public_pages_read_the_replica_and_nothing_of_the_primary(client):
    study = make_study(title="Read from the replica")
    on_replica(lambda: replica_has("Read from the replica"))
    for address in ["/", "/studies/", study.get_absolute_url(), "/studies/export/studies.csv", "/api/v1/studies/"]:
        with queries_on("default") as primary, queries_on(REPLICA) as replica:
            response = client.get(address)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, address
        assert len(replica) > 0, address
        assert len(primary) == 0, (address, [query["sql"] for query in primary])


def test_a_published_change_reaches_the_pages_read_from_the_replica(client):
    study = make_study(title="Before the correction")
    on_replica(lambda: replica_has("Before the correction"))
    page = client.get(study.get_absolute_url())
    assert "Before the correction" in page.content.decode()
    listed = client.get("/studies/")
    assert "Before the correction" in listed.content.decode()

    study.title = "After the correction"
    study.save()
    version = ContentVersion.objects.get().number
    on_replica(lambda: ContentVersion.objects.using(REPLICA).get().number == version)

    for address in [study.get_absolute_url(), "/studies/"]:
        text = client.get(address).content.decode()
        assert "After the correction" in text, address
        assert "Before the correction" not in text, address


def test_the_admin_reads_and_writes_the_primary_only(client):
    study = make_study(title="Edited in the admin")
    client.force_login(curator())
    with queries_on("default") as primary, queries_on(REPLICA) as replica:
        listing = client.get("/admin/studies/study/")
        saved = post_change(client, study, changes={"sample_size": 21, "change_reason": "Corrected from full text"})
    assert listing.status_code == 200
    assert saved.status_code == 302
    assert len(primary) > 0
    assert len(replica) == 0, [query["sql"] for query in replica]


def test_a_curator_who_just_saved_reads_the_primary_on_the_public_pages(client):
    study = make_study(title="Saved a moment ago", sample_size=20)
    client.force_login(curator())
    saved = post_change(client, study, changes={"sample_size": 21, "change_reason": "Corrected from full text"})
    assert saved.status_code == 302
    cookie = saved.cookies[READ_PRIMARY_COOKIE]
    assert int(cookie["max-age"]) == settings.READ_PRIMARY_AFTER_WRITE_SECONDS
    assert cookie["httponly"]

    with queries_on("default") as primary, queries_on(REPLICA) as replica:
        page = client.get(study.get_absolute_url())
    assert page.status_code == 200
    assert len(replica) == 0
    assert len(primary) > 0
    # A visitor without the cookie reads the replica.
    client.cookies.pop(READ_PRIMARY_COOKIE)
    with queries_on(REPLICA) as replica:
        client.get("/studies/")
    assert len(replica) > 0
