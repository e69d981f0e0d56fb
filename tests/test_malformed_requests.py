"""Broken and hostile requests get a clean 4xx answer: never a server error, never a page that
pretends the nonsense made sense."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.addresses import public_urls
from tests.factories import make_study_with_everything

LONG_VALUE = "x" * 10_240
NUL = "\x00"


@pytest.fixture
def study(db):
    return make_study_with_everything(slug="known-study")


def filtered_urls():
    """The addresses that read the study list's filters."""
    return [
        reverse("studies:list"),
        reverse("studies:feed"),
        reverse("studies:export", args=["outcomes"]),
        reverse("studies:export-zip"),
        reverse("studies:citations", args=["bib"]),
    ]


@pytest.mark.parametrize("page", ["abc", "0", "-1", str(10**20), "1.5", LONG_VALUE])
def test_a_page_number_that_is_not_a_page_is_not_found(client, study, page):
    assert client.get(reverse("studies:list"), {"page": page}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"q": LONG_VALUE},
        {"q": NUL},
        {"q": f"hair{NUL}loss"},
        {"country": NUL},
        {"condition": NUL},
        {"condition": LONG_VALUE},
        {"year_min": NUL},
        {"year_min": str(10**20)},
        {"sample_size_max": LONG_VALUE},
        {"sort": NUL},
    ],
    ids=lambda query: f"{next(iter(query))}={next(iter(query.values()))[:12]!r}",
)
def test_a_nonsense_filter_value_is_a_bad_request_everywhere_filters_are_read(client, study, query):
    for url in filtered_urls():
        response = client.get(url, query)
        assert response.status_code == 400, url


@pytest.mark.parametrize("category", [LONG_VALUE, "baldness"])
def test_a_nonsense_outcome_on_the_comparison_page_is_a_bad_request(client, study, category):
    response = client.get(reverse("studies:compare"), {"category": category})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


@pytest.mark.parametrize("query", [{"page": NUL}, {"q": f"hair{NUL}loss"}, {f"x{NUL}": "1"}, {"category": NUL}])
def test_a_nul_character_in_any_query_is_a_bad_request(client, study, query):
    for url in public_urls(study):
        response = client.get(url, query)
        assert response.status_code == 400, url
        assert "NUL character" in response.text, url


def test_more_than_a_thousand_parameters_are_refused_wherever_the_query_is_read(client, study):
    query = "&".join(f"p{number}=1" for number in range(1_001))
    for url in [*filtered_urls(), reverse("studies:compare")]:
        assert client.get(f"{url}?{query}").status_code == 400, url


@pytest.mark.parametrize(
    "url",
    [
        "/studies/no-such-study/",
        "/studies/no-such-study/cite.ris",
        "/studies/known-study/cite.doc",
        "/studies/export/patients.csv",
        "/studies/export/citations.xml",
        "/studies/%00/",
        "/studies/known-study%00/",
        f"/studies/{'a' * 10_240}/",
        "/studies/../admin/",
    ],
)
def test_an_unknown_address_is_not_found(client, study, url):
    assert client.get(url).status_code == 404


def test_every_public_address_answers_head_without_a_body(client, study):
    for url in public_urls(study):
        response = client.head(url)
        assert response.status_code == 200, url
        assert b"".join(response) == b"", url


@pytest.mark.parametrize("method", ["options", "post", "put", "delete", "patch"])
def test_methods_that_would_change_something_are_not_allowed_on_public_addresses(study, method):
    # As a browser or curl meets them: the CSRF check on, no token sent.
    client = Client(enforce_csrf_checks=True)
    for url in public_urls(study):
        response = getattr(client, method)(url)
        assert response.status_code == 405, url
        assert response.headers["Allow"] == "GET, HEAD", url


@pytest.mark.parametrize("url", ["/api/v1/studies/", "/api/v1/outcomes/", "/api/v1/adverse-events/"])
def test_the_api_refuses_a_nul_character_in_json_like_its_other_errors(client, study, url):
    response = client.get(url, {"q": f"hair{NUL}loss"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "NUL character" in response.json()["detail"]
