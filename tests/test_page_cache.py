"""The page cache and conditional requests: a page is made once per content version, every change
to public content reaches every page at once, and a client holding the current copy gets 304."""

import csv
import io
import os

import pytest
import redis
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from claims.models import Claim
from serving import content
from serving.models import ContentVersion
from studies.models import AdverseEvent, OutcomeSummary, Study
from tests.admin_helpers import post_change
from tests.claim_factories import make_claim
from tests.factories import make_adverse_event, make_appraisal, make_study, make_study_with_everything
from tracker.settings import cache_settings

# Real commits, so the version goes up as in production: once, when a transaction commits.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.commit_timing]


def curator():
    """A curator with every permission. Transactional tests empty the tables after each test, the
    Curator and Publisher groups (made by a migration) with them."""
    return User.objects.create_superuser("curator", password="correct horse battery")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def text_of(response):
    return body(response).decode()


def version():
    return content.current().number


def pages_showing(study):
    return {
        "home": reverse("studies:home"),
        "list": reverse("studies:list"),
        "filtered list": reverse("studies:list") + "?condition=androgenetic_alopecia&sort=title",
        "study page": study.get_absolute_url(),
        "feed": reverse("studies:feed"),
        "studies.csv": reverse("studies:export", args=["studies"]),
        "citation": reverse("studies:cite", args=[study.slug, "ris"]),
    }


def test_a_page_is_made_once_then_served_from_the_cache_with_one_query(client, django_assert_num_queries):
    study = make_study_with_everything(title="Cached trial")
    first = client.get(study.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the content version
        again = client.get(study.get_absolute_url())
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_editing_a_published_study_reaches_every_page_that_shows_it(client):
    study = make_study_with_everything(title="Before the correction")
    before = {name: text_of(client.get(address)) for name, address in pages_showing(study).items()}
    for name, text in before.items():
        if name != "home":
            assert "Before the correction" in text, name
    with transaction.atomic():
        study.title = "After the correction"
        study.save()
    for name, address in pages_showing(study).items():
        text = text_of(client.get(address))
        assert "Before the correction" not in text, name
        if name != "home":
            assert "After the correction" in text, name


def test_a_change_to_any_part_of_a_study_reaches_its_page(client):
    study = make_study_with_everything()
    page = study.get_absolute_url()
    assert "Scalp erythema" in text_of(client.get(page))
    with transaction.atomic():
        event = AdverseEvent.objects.get(study=study, term="Scalp erythema")
        event.term = "Scalp redness"
        event.save()
    assert "Scalp redness" in text_of(client.get(page))
    with transaction.atomic():
        AdverseEvent.objects.filter(study=study, term="Scalp redness").get().delete()
    assert "Scalp redness" not in text_of(client.get(page))
    with transaction.atomic():
        make_adverse_event(study, term="Headache", participants_affected=1, participants_at_risk=10)
    assert "Headache" in text_of(client.get(page))


def test_unpublishing_a_study_takes_it_off_every_page_at_once(client):
    study = make_study_with_everything(title="Soon withdrawn")
    assert client.get(study.get_absolute_url()).status_code == 200
    assert "Soon withdrawn" in text_of(client.get(reverse("studies:list")))
    with transaction.atomic():
        study.status = Study.Status.DRAFT
        study.save()
    assert client.get(study.get_absolute_url()).status_code == 404
    assert "Soon withdrawn" not in text_of(client.get(reverse("studies:list")))
    assert "Soon withdrawn" not in text_of(client.get(reverse("studies:export", args=["studies"])))


def test_appraisals_summaries_and_claims_raise_the_version(client, reference_studies):
    study = Study.objects.published().first()
    start = version()
    with transaction.atomic():
        make_appraisal(make_study(title="Appraised later"))
    assert version() == start + 1
    summary = OutcomeSummary.objects.published().first()
    evidence_page = reverse("studies:evidence", args=[summary.key])
    client.get(evidence_page)
    with transaction.atomic():
        summary.plain_language = "We do not know whether exosomes change hair density: a new reading."
        summary.save()
    assert "a new reading" in text_of(client.get(evidence_page))
    claims_page = reverse("claims:list")
    client.get(claims_page)
    with transaction.atomic():
        make_claim(evidence=[(study, "supports")], quote="Exosomes cure baldness in a week, says a new advert.")
    assert "cure baldness in a week" in text_of(client.get(claims_page))
    with transaction.atomic():
        Claim.objects.get(quote__startswith="Exosomes cure baldness").evidence_links.all().delete()
    assert version() == start + 4


def test_one_transaction_raises_the_version_once_and_a_rolled_back_one_not_at_all():
    start = version()
    with transaction.atomic():
        study = make_study_with_everything()
        study.title = "Many rows, one change"
        study.save()
    assert version() == start + 1
    try:
        with transaction.atomic():
            make_study(title="Never saved")
            raise RuntimeError("the save fails half-way")
    except RuntimeError:
        pass
    assert version() == start + 1
    changed_at = ContentVersion.objects.get().changed_at
    assert changed_at is not None


def test_a_draft_edit_also_raises_the_version_but_never_shows(client):
    draft = make_study(title="Draft title", status=Study.Status.DRAFT)
    listed = text_of(client.get(reverse("studies:list")))
    with transaction.atomic():
        draft.title = "Draft title, edited"
        draft.save()
    assert "Draft title" not in listed
    assert "Draft title" not in text_of(client.get(reverse("studies:list")))


@pytest.mark.parametrize(
    "address",
    [
        reverse("studies:list") + "?sort=title",
        "study page",
        reverse("studies:feed"),
        reverse("studies:export", args=["outcomes"]),
        reverse("studies:export-zip"),
        reverse("studies:evidence-list"),
        reverse("claims:list"),
    ],
)
def test_a_client_holding_the_current_copy_gets_304(client, django_assert_num_queries, address):
    study = make_study_with_everything(title="Conditional")
    address = study.get_absolute_url() if address == "study page" else address
    first = client.get(address)
    body(first)
    assert first.status_code == 200
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
    assert first["Cache-Control"] == "public, max-age=60"
    with django_assert_num_queries(1):
        unchanged = client.get(address, headers={"If-None-Match": first["ETag"]})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == first["ETag"]
    assert client.get(address, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    with transaction.atomic():
        study.sample_size = 21
        study.save()
    changed = client.get(address, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_each_address_has_its_own_etag(client):
    make_study_with_everything()
    one = client.get(reverse("studies:list") + "?sort=title")
    other = client.get(reverse("studies:list") + "?sort=newest")
    assert one["ETag"] != other["ETag"]
    refused = client.get(reverse("studies:list") + "?sort=newest", headers={"If-None-Match": one["ETag"]})
    assert refused.status_code == 200


def test_the_admin_is_never_kept_and_public_pages_are_kept_a_minute(client):
    study = make_study_with_everything()
    for address in [reverse("studies:home"), study.get_absolute_url(), reverse("api:study-list")]:
        assert client.get(address)["Cache-Control"] == "public, max-age=60", address
    client.force_login(curator())
    for address in [reverse("admin:index"), reverse("admin:studies_study_changelist")]:
        response = client.get(address)
        assert response.status_code == 200
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, address
        assert "public" not in directives, address
    client.logout()
    assert "no-store" in client.get(reverse("admin:login"))["Cache-Control"]


def test_a_curators_preview_of_a_draft_is_neither_cached_nor_public(client):
    draft = make_study_with_everything(status=Study.Status.DRAFT)
    client.force_login(curator())
    preview = client.get(reverse("studies:preview", args=[draft.slug]))
    assert preview.status_code == 200
    assert "private" in preview["Cache-Control"] and "public" not in preview["Cache-Control"]
    measure = draft.measures.first()
    chart = client.get(reverse("studies:measure-chart", args=[draft.slug, measure.pk]))
    assert chart.status_code == 200
    assert "public" not in chart["Cache-Control"]
    assert "ETag" not in chart
    client.logout()
    assert client.get(reverse("studies:measure-chart", args=[draft.slug, measure.pk])).status_code == 404


def test_an_invalid_filter_is_explained_and_not_kept(client):
    response = client.get(reverse("studies:list") + "?year_min=soon")
    assert response.status_code == 400
    assert "ETag" not in response


def test_a_download_too_large_to_keep_streams_from_the_database_each_time(client, settings, django_assert_num_queries):
    make_study_with_everything()
    address = reverse("studies:export", args=["outcomes"])
    settings.PAGE_CACHE_MAX_DOWNLOAD_BYTES = 100
    first = text_of(client.get(address))
    again = client.get(address)
    assert again.streaming
    assert text_of(again) == first
    settings.PAGE_CACHE_MAX_DOWNLOAD_BYTES = 10_000_000
    text_of(client.get(address))
    with django_assert_num_queries(1):
        kept = client.get(address)
    assert not kept.streaming
    assert kept.content.decode() == first
    assert kept["Content-Disposition"].startswith('attachment; filename="hair-loss-evidence-outcomes-')
    rows = list(csv.DictReader(io.StringIO(first)))
    assert {row["study_slug"] for row in rows} == {Study.objects.get().slug}


def test_a_curators_save_in_the_admin_reaches_the_public_page(client):
    study = make_study_with_everything(sample_size=20)
    first = client.get(study.get_absolute_url())
    desk = client.__class__()
    desk.force_login(curator())
    saved = post_change(desk, study, changes={"title": "Renamed in the admin", "change_reason": "Typo"})
    assert saved.status_code == 302
    page = client.get(study.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert page.status_code == 200
    assert "Renamed in the admin" in page.content.decode()


@pytest.fixture
def redis_cache():
    with override_settings(CACHES=cache_settings("redis://127.0.0.1:6379/15")):
        try:
            caches["default"].clear()
        except redis.ConnectionError as error:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip(f"No Redis on 127.0.0.1:6379: {error}")
        yield caches["default"]
        caches["default"].clear()


def test_pages_are_shared_through_redis(client, redis_cache, django_assert_num_queries):
    study = make_study_with_everything(title="Shared through Redis")
    first = client.get(study.get_absolute_url())
    keys = redis_cache._cache.get_client().keys("tracker:*page:*")
    assert len(keys) == 1
    with django_assert_num_queries(1):
        again = client.get(study.get_absolute_url())
    assert again.content == first.content


def test_without_redis_pages_are_made_from_the_database_and_logged(client, caplog, settings):
    settings.API_RATE_LIMIT = "100/minute"  # its counts are kept in the cache too
    study = make_study_with_everything(title="Served without Redis")
    # Nothing listens on port 1.
    with override_settings(CACHES=cache_settings("redis://127.0.0.1:1/0")):
        for _ in range(2):
            page = client.get(study.get_absolute_url())
            assert page.status_code == 200
            assert "Served without Redis" in page.content.decode()
        api = client.get(reverse("api:study-list"))
        assert api.status_code == 200
    assert "The page cache could not be read" in caplog.text
    assert "The API's request counts could not be read" in caplog.text
