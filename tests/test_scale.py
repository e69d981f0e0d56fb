"""Page and export cost stays put as the database grows: the same queries at two sizes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from studies import exports
from studies.models import Study
from tests.admin_helpers import make_user

pytestmark = pytest.mark.django_db

LIST_QUERY = "/studies/?condition=androgenetic_alopecia&year_min=2018&sort=largest"


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def measured(client, studies):
    call_command("generate_synthetic_studies", "--studies", str(studies), "--seed", "5", stdout=StringIO())
    detail = Study.objects.order_by("pk").first().get_absolute_url()
    admin = client.__class__()
    admin.force_login(make_user("Publisher", f"publisher-{studies}"))
    return {
        "list": queries_for(client, LIST_QUERY),
        "detail": queries_for(client, detail),
        "compare": queries_for(client, "/compare/"),
        "feed": queries_for(client, "/studies/feed/"),
        "admin list": queries_for(admin, "/admin/studies/study/"),
        "outcomes.csv": queries_for(client, "/studies/export/outcomes.csv"),
    }


def test_pages_run_the_same_queries_at_60_and_600_studies(client, monkeypatch):
    # Small chunks, so that the larger database streams in several of them.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1000)
    small = measured(client, 60)
    large = measured(client, 540)
    assert small == large
    assert small["list"] <= 8
