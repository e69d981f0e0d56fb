"""The Atom feed of published studies, narrowed by the list's filters."""

import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse

from studies.models import Study
from tests.factories import make_study, make_study_with_change

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_titles(client, **params):
    response = client.get(reverse("studies:feed"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


def test_the_feed_lists_published_studies_with_links_to_their_pages(client):
    make_study(title="Published study", slug="published-study")
    response = client.get(reverse("studies:feed"))
    root = ElementTree.fromstring(response.content)
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Published study"
    assert entry.find(f"{ATOM}link").get("href").endswith("/studies/published-study/")
    assert entry.find(f"{ATOM}updated") is not None


@pytest.mark.parametrize("status", [Study.Status.DRAFT, Study.Status.IN_REVIEW])
def test_unpublished_studies_never_appear_in_the_feed(client, status):
    make_study(title="Unreviewed draft", status=status)
    assert feed_titles(client) == []


def test_the_feed_honours_the_list_filters(client):
    make_study(title="Areata study", condition=Study.Condition.ALOPECIA_AREATA)
    make_study(title="Pattern study")
    assert feed_titles(client, condition="alopecia_areata") == ["Areata study"]


def test_the_most_recently_updated_study_comes_first(client):
    older = make_study(title="Older")
    make_study(title="Newer")
    older.summary = "Corrected after review."
    older.save()
    assert feed_titles(client, sort="title") == ["Older", "Newer"]


def test_an_invalid_filter_is_a_bad_request_not_an_unfiltered_feed(client):
    make_study()
    assert client.get(reverse("studies:feed"), {"year_min": "soon"}).status_code == 400


def test_the_feed_runs_the_same_number_of_queries_whatever_the_number_of_studies(client, assert_queries_do_not_grow):
    def build(studies):
        for _ in range(studies):
            make_study_with_change()

    assert_queries_do_not_grow(1, build, lambda size: feed_titles(client))
