"""The JSON API: the published studies, filtered as on the pages, with numbers exactly as stored."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from studies.filters import Sort, select_studies
from studies.models import Study
from tests.factories import (
    make_adverse_event,
    make_arm,
    make_measure,
    make_result,
    make_study,
    make_study_of_size,
    make_study_with_everything,
)

pytestmark = pytest.mark.django_db

LIST = reverse("api:study-list")
OUTCOMES = reverse("api:outcomes")
ADVERSE_EVENTS = reverse("api:adverse-events")
WAN = "wan-2025-microneedling-topical-exosome"
AMINI = "amini-2025-exosome-plant-extract-rct"


def detail(slug):
    return reverse("api:study-detail", args=[slug])


def exact(response):
    """The body read as a client that keeps the places of every number does."""
    return json.loads(response.content, parse_float=Decimal)


def every_page(client, address):
    """The items of every page, following each page's `next` address."""
    items = []
    while address:
        response = client.get(address)
        assert response.status_code == 200, response.content
        page = response.json()
        items += page["results"]
        address = page["next"]
    return items


# Published studies only


def test_drafts_and_studies_in_review_never_appear(client):
    published = make_study_with_everything(title="Published trial")
    for status in (Study.Status.DRAFT, Study.Status.IN_REVIEW):
        hidden = make_study_with_everything(title=f"Hidden {status}", status=status)
        assert client.get(detail(hidden.slug)).status_code == 404

    assert [study["slug"] for study in client.get(LIST).json()["results"]] == [published.slug]
    assert {row["study_slug"] for row in client.get(OUTCOMES).json()["results"]} == {published.slug}
    assert {row["study_slug"] for row in client.get(ADVERSE_EVENTS).json()["results"]} == {published.slug}
    assert "Hidden" not in client.get(LIST + "?q=Hidden").content.decode()


def test_an_unknown_study_is_404_in_json(client):
    response = client.get(detail("no-such-study"))
    assert response.status_code == 404
    assert response.json() == {"detail": "No published study has the slug 'no-such-study'."}


# The list's filters and sorts


@pytest.mark.parametrize(
    "query", ["", "condition=alopecia_areata", "sort=largest", "sort=design&year_min=2020", "q=exosome"]
)
def test_the_list_selects_and_orders_studies_exactly_as_the_study_list_page(client, reference_studies, query):
    make_study(title="Unknown size", sample_size=None, sample_size_not_reported=True, year=None)
    expected = [study.slug for study in select_studies(query_dict(query))]
    assert [study["slug"] for study in every_page(client, f"{LIST}?page_size=3&{query}")] == expected


def query_dict(query):
    from django.http import QueryDict

    return QueryDict(query)


@pytest.mark.parametrize("sort", Sort.values)
def test_cursor_pages_cover_every_study_once_in_every_sort_even_with_ties_and_unknowns(client, sort):
    for number in range(7):
        make_study(
            title=f"Tied {number % 2}", year=None if number % 3 == 0 else 2020, sample_size=None if number % 2 else 10
        )
    expected = [study.slug for study in select_studies(query_dict(f"sort={sort}"))]
    assert [study["slug"] for study in every_page(client, f"{LIST}?sort={sort}&page_size=2")] == expected


def test_an_invalid_filter_is_400_with_the_explanation_the_pages_give(client):
    response = client.get(LIST + "?year_min=soon&condition=baldness")
    assert response.status_code == 400
    download = client.get(reverse("studies:export", args=["studies"]) + "?year_min=soon&condition=baldness")
    explanation = response.json()["detail"]
    assert explanation.startswith("Invalid filter, so no studies were selected.")
    assert "Published from (year) (year_min): Enter a whole number." in explanation
    assert download.content.decode() == explanation + "\n"
    for address in (OUTCOMES, ADVERSE_EVENTS):
        assert client.get(address + "?year_min=soon&condition=baldness").json() == {"detail": explanation}


@pytest.mark.parametrize("page_size", ["0", "101", "ten", "-1"])
def test_a_page_size_outside_1_to_100_is_400(client, page_size):
    response = client.get(f"{LIST}?page_size={page_size}")
    assert response.status_code == 400
    assert "Page size (page_size): a page holds 1 to 100 items" in response.json()["detail"]


def test_a_cursor_not_made_by_the_site_or_for_another_sort_is_400(client):
    for number in range(3):
        make_study(title=f"Study {number}")
    next_page = client.get(LIST + "?page_size=1").json()["next"]
    cursor = next_page.split("cursor=")[1]
    assert client.get(f"{LIST}?page_size=1&cursor={cursor}").status_code == 200
    assert client.get(f"{LIST}?page_size=1&cursor=x{cursor}").status_code == 400
    response = client.get(f"{LIST}?page_size=1&sort=title&cursor={cursor}")
    assert response.status_code == 400
    assert "follow the 'next' address as given" in response.json()["detail"]


def test_links_use_the_public_address_never_the_host_header(client, settings):
    settings.PUBLIC_URL = "https://evidence.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]
    for number in range(2):
        make_study(slug=f"linked-{number}")
    page = client.get(LIST + "?page_size=1", HTTP_HOST="attacker.example").json()
    assert page["next"].startswith("https://evidence.example.org/api/v1/studies/?")
    (study,) = page["results"]
    assert study["url"] == f"https://evidence.example.org/studies/{study['slug']}/"
    assert study["api_url"] == f"https://evidence.example.org/api/v1/studies/{study['slug']}/"


# Numbers exactly as stored


def test_the_reference_numbers_come_back_exactly(client, reference_studies):
    wan = exact(client.get(detail(WAN)))
    (result,) = [r for measure in wan["measures"] for r in measure["results"] if r["statistic"] == "mean_change"]
    assert (result["value"], result["dispersion_type"], result["dispersion_value"]) == (35, "sd", Decimal("6.5"))

    amini = exact(client.get(detail(AMINI)))
    results = {r["arm_id"]: r for measure in amini["measures"] for r in measure["results"]}
    arms = {arm["label"]: arm["id"] for arm in amini["arms"]}
    treated = results[arms["Exosome plant-extract formulation (ECPE)"]]
    assert (treated["statistic"], treated["value"], treated["dispersion_value"]) == (
        "median_change",
        Decimal("9.5"),
        Decimal("16.88"),
    )
    placebo = next(result for arm_id, result in results.items() if arm_id != treated["arm_id"])
    # Printed 3.00 by the source: a decimal-reading client gets the two places, a float-reading one 3.0.
    assert str(placebo["dispersion_value"]) == "3.00"
    assert client.get(detail(AMINI)).json()["measures"][0]["results"][1]["dispersion_value"] == 3.0
    assert b'"dispersion_value":3.00' in client.get(detail(AMINI)).content


def test_the_flat_outcomes_rows_carry_the_reference_numbers_exactly(client, reference_studies):
    rows = exact(client.get(OUTCOMES + "?q=amini"))["results"]
    values = {(row["statistic"], row["value"], row["dispersion_value"]) for row in rows}
    assert ("median_change", Decimal("9.5"), Decimal("16.88")) in values
    assert any(str(row["dispersion_value"]) == "3.00" for row in rows)


def test_unknown_is_null_never_zero(client):
    study = make_study(sample_size=None, sample_size_not_reported=True, year=None)
    arm = make_arm(study=study, participants=None)
    make_result(make_measure(study=study), arm=arm, value="0", baseline=None, follow_up=None)
    make_adverse_event(study=study, arm=arm, participants_affected=None, participants_at_risk=None)

    body = client.get(detail(study.slug)).json()
    assert (body["sample_size"], body["year"], body["age_mean"]) == (None, None, None)
    assert body["arms"][0]["participants"] is None
    result = body["measures"][0]["results"][0]
    assert (result["value"], result["baseline"], result["dispersion_value"], result["percent_change"]) == (
        0,
        None,
        None,
        None,
    )
    assert body["adverse_events"][0]["participants_affected"] is None


def test_dates_are_iso_8601(client):
    study = make_study(start_date="2023-01-15", end_date="2024-02-01")
    body = client.get(detail(study.slug)).json()
    assert (body["start_date"], body["end_date"]) == ("2023-01-15", "2024-02-01")
    assert body["updated_at"].startswith(study.updated_at.strftime("%Y-%m-%dT%H:%M:%S"))


# The flat tables mirror the CSV files


@pytest.mark.parametrize(("address", "table"), [(OUTCOMES, "outcomes"), (ADVERSE_EVENTS, "adverse-events")])
def test_the_flat_tables_hold_the_rows_and_columns_of_the_csv_files_with_null_for_empty_cells(
    client, reference_studies, address, table
):
    csv_text = b"".join(client.get(reverse("studies:export", args=[table])).streaming_content).decode()
    csv_rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    json_rows = exact(client.get(address + "?page_size=100"))["results"]
    assert [row["row_id"] for row in json_rows] == [row["row_id"] for row in csv_rows]
    for json_row, csv_row in zip(json_rows, csv_rows, strict=True):
        assert list(json_row) == list(csv_row)
        for name, cell in csv_row.items():
            value = json_row[name]
            written = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
            assert written == cell, (json_row["row_id"], name)


def test_the_flat_tables_page_through_studies(client):
    studies = [make_study_with_everything() for _ in range(3)]
    rows = every_page(client, OUTCOMES + "?page_size=1")
    assert {row["study_slug"] for row in rows} == {study.slug for study in studies}
    assert len(rows) == len({row["row_id"] for row in rows})


# HTTP


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_only_reads(client, method):
    study = make_study()
    for address in (LIST, detail(study.slug), OUTCOMES, ADVERSE_EVENTS):
        assert getattr(client, method)(address).status_code == 405
    assert Study.objects.filter(pk=study.pk).exists()


def test_head_and_options_are_answered(client):
    study = make_study()
    assert client.head(detail(study.slug)).status_code == 200
    assert client.options(LIST).status_code == 200


def test_an_unchanged_response_is_304_on_a_conditional_request(client):
    study = make_study_with_everything()
    for address in (LIST, detail(study.slug), OUTCOMES, ADVERSE_EVENTS):
        first = client.get(address)
        assert first["ETag"] and first["Last-Modified"]
        assert client.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert client.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    before = client.get(LIST)
    study.title = "Retitled"
    study.save()
    after = client.get(LIST, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    make_study(title="Newly published", status=Study.Status.PUBLISHED)
    assert client.get(LIST, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 200

    # A deleted study, and a part edited on its own admin page, are changes too.
    doomed = make_study(title="Deleted")
    for change in (doomed.delete, study.bump_version):
        current = client.get(LIST)["ETag"]
        change()
        assert client.get(LIST, HTTP_IF_NONE_MATCH=current).status_code == 200


def test_too_many_requests_are_refused_with_retry_after(client, settings):
    settings.API_RATE_LIMIT = "3/minute"
    cache.clear()
    responses = [client.get(LIST) for _ in range(4)]
    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    assert int(responses[-1]["Retry-After"]) > 0
    assert "throttled" in responses[-1].json()["detail"]
    cache.clear()


def test_any_site_may_read_the_api_from_a_browser_but_only_read(client):
    response = client.get(LIST, HTTP_ORIGIN="https://researcher.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(LIST, HTTP_ORIGIN="https://researcher.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    # The pages are not part of the API.
    assert "Access-Control-Allow-Origin" not in client.get(reverse("studies:list"), HTTP_ORIGIN="https://x.example")


def test_the_openapi_description_is_served(client):
    response = client.get(reverse("api:schema") + "?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/studies/",
        "/api/v1/studies/{slug}/",
        "/api/v1/outcomes/",
        "/api/v1/adverse-events/",
    }
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/studies/"]["get"]["parameters"]}
    assert {"condition", "sort", "year_min", "q", "page_size", "cursor"} <= parameters


def test_the_docs_page_runs_its_scripts_by_nonce_under_the_strict_policy(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "unsafe-inline" not in policy
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in response.content.decode()


# Query counts


@pytest.mark.parametrize(
    ("address", "queries"),
    # Each includes the two index reads that date the published studies for the ETag.
    [(LIST, 3), (OUTCOMES, 6), (ADVERSE_EVENTS, 5)],
)
def test_the_lists_run_the_same_number_of_queries_whatever_the_data_size(
    client, assert_queries_do_not_grow, address, queries
):
    def build(size):
        for _ in range(size):
            make_study_of_size(3)

    def visit(size):
        assert client.get(address + "?page_size=10").status_code == 200

    assert_queries_do_not_grow(queries, build, visit, sizes=(2, 30))


def test_the_study_detail_runs_the_same_number_of_queries_whatever_its_size(client, assert_queries_do_not_grow):
    def build(size):
        make_study_of_size(size, slug=f"size-{size}")

    def visit(size):
        assert client.get(detail(f"size-{size}")).status_code == 200

    assert_queries_do_not_grow(12, build, visit, sizes=(1, 6))


@pytest.mark.parametrize("address", [LIST, OUTCOMES, ADVERSE_EVENTS])
def test_a_filter_that_matches_nothing_gives_an_empty_last_page(client, address):
    make_study_with_everything(year=2020)
    assert client.get(address + "?year_min=2021").json() == {"next": None, "results": []}


def test_any_other_address_under_the_api_is_404_in_json(client):
    response = client.get("/api/v2/studies/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such address in the API; see /api/docs/."}


def test_the_rate_limit_comes_from_the_environment_and_a_malformed_one_stops_the_server():
    from tests.test_serving import run_python

    read = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'tracker.settings'; django.setup(); "
    read += "from django.conf import settings; print(settings.API_RATE_LIMIT)"
    assert run_python("-c", read, TRACKER_API_RATE_LIMIT="5000/day").stdout.strip() == "5000/day"
    assert run_python("-c", read, TRACKER_API_RATE_LIMIT="").stdout.strip() == "None"
    refused = run_python("-c", read, TRACKER_API_RATE_LIMIT="lots")
    assert refused.returncode != 0
    assert "TRACKER_API_RATE_LIMIT must be a number of requests per second, minute, hour or day" in refused.stderr


def test_the_openapi_description_is_valid_and_generated_without_warnings(reference_studies):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    validate_schema(SchemaGenerator().get_schema(request=None, public=True))
    assert not GENERATOR_STATS
