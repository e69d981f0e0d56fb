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


def test_an_invalid_filter_is_explained_the_same_way_by_the_feed_the_downloads_and_the_list(client):
    make_study()
    query = {"year_min": "soon", "condition": "baldness"}
    answers = {
        name: client.get(reverse(name, args=args), query)
        for name, args in [
            ("studies:feed", []),
            ("studies:export", ["outcomes"]),
            ("studies:export-zip", []),
            ("studies:citations", ["ris"]),
        ]
    }
    assert {response.status_code for response in answers.values()} == {400}
    explanations = {response.content.decode() for response in answers.values()}
    assert len(explanations) == 1
    (explanation,) = explanations
    assert explanation.startswith("Invalid filter, so no studies were selected.")
    assert "Published from (year) (year_min): Enter a whole number." in explanation
    assert "Condition (condition): Select a valid choice. baldness is not one of the available choices." in explanation
    page = client.get(reverse("studies:list"), query)
    assert page.status_code == 400
    assert "Enter a whole number." in page.text and "baldness is not one of the available choices" in page.text


def test_one_visitors_filters_never_reach_another_visitors_feed(client):
    make_study(title="Areata study", condition=Study.Condition.ALOPECIA_AREATA)
    make_study(title="Pattern study")
    assert feed_titles(client, condition="alopecia_areata") == ["Areata study"]
    assert sorted(feed_titles(client)) == ["Areata study", "Pattern study"]
    response = client.get(reverse("studies:feed"))
    assert 'href="http://testserver/studies/"' in response.text


def test_the_feed_runs_the_same_number_of_queries_whatever_the_number_of_studies(client, assert_queries_do_not_grow):
    def build(studies):
        for _ in range(studies):
            make_study_with_change()

    assert_queries_do_not_grow(2, build, lambda size: feed_titles(client))


def test_summaries_are_plain_text_so_a_feed_reader_never_runs_markup_from_them(client):
    make_study(summary='<script>alert("x")</script> Hair <b>density</b> rose.')
    root = ElementTree.fromstring(client.get(reverse("studies:feed")).content)
    (summary,) = root.iter(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == '<script>alert("x")</script> Hair <b>density</b> rose.'
    assert 'type="html"' not in client.get(reverse("studies:feed")).text
