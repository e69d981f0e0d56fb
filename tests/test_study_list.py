"""The study list: what it shows, every filter, sorting, pagination, active filters and downloads."""

import re

import pytest
from django.urls import reverse

from studies.models import Study
from studies.views import CappedPaginator
from tests.factories import (
    make_arm,
    make_intervention,
    make_measure,
    make_registration,
    make_result,
    make_source,
    make_study,
    make_study_with_change,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = [Study.Status.DRAFT, Study.Status.IN_REVIEW]


def list_page(client, **params):
    return client.get(reverse("studies:list"), params)


def titles_in_order(page, titles):
    return sorted(titles, key=page.index)


# Study list: what it shows


def test_the_list_shows_the_reference_studies(client, reference_studies):
    response = list_page(client)
    assert response.status_code == 200
    assert "Topical adipose-derived stem cell exosomes for androgenetic alopecia (39 patients)" in response.text
    assert f"{Study.objects.published().count()} studies match" in response.text


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_studies_never_appear_in_the_list_or_its_filters(client, status):
    make_study(title="Unreviewed draft", country="Atlantis", status=status)
    page = list_page(client).text
    assert "Unreviewed draft" not in page
    assert "Atlantis" not in page
    assert "0 studies match" in page
    assert "Unreviewed draft" not in list_page(client, q="Unreviewed").text


def test_each_study_says_what_kind_of_results_it_has(client):
    make_study_with_change(title="Numbers study")
    words = make_study(title="Words study")
    make_result(measure=make_measure(study=words), statistic="", value=None, result_text="improved")
    make_study(title="Planned trial", results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
    cards = list_page(client, sort="title").text.split('class="study-card"')[1:]
    assert "Numbers study" in cards[0] and "<dd>Numeric results</dd>" in cards[0]
    assert "Planned trial" in cards[1] and "<dd>Registered, no results yet</dd>" in cards[1]
    assert "Words study" in cards[2] and "<dd>In words only</dd>" in cards[2]


def test_a_study_without_any_result_recorded_does_not_claim_results_in_words(client):
    make_study(title="Not yet curated")
    page = list_page(client).text
    assert "<dd>None recorded yet</dd>" in page
    assert "In words only" not in page


def test_an_unknown_sample_size_is_shown_as_not_reported_never_zero(client):
    make_study(title="Silent on size", sample_size=None, sample_size_not_reported=True, planned_sample_size=40)
    page = list_page(client).text
    assert "not reported (planned 40)" in page
    assert "<dd>0</dd>" not in page


# Study list: every filter


def study_pair(matching, other):
    make_study(title="The matching study", **matching)
    make_study(title="The other study", **other)


FIELD_FILTERS = [
    ("condition", "alopecia_areata", {"condition": Study.Condition.ALOPECIA_AREATA}, {}),
    ("design", "randomized_controlled", {"design": Study.Design.RANDOMIZED_CONTROLLED}, {}),
    ("publication_type", "preprint", {"publication_type": Study.PublicationType.PREPRINT}, {}),
    ("adverse_event_status", "none_observed", {"adverse_event_status": "none_observed"}, {}),
    ("verification", "full_text", {"verification": Study.Verification.FULL_TEXT}, {}),
    ("country", "Turkey", {"country": "Turkey"}, {"country": "India"}),
    ("sample_size_min", "25", {"sample_size": 30}, {"sample_size": 20}),
    ("sample_size_max", "25", {"sample_size": 20}, {"sample_size": 30}),
    ("year_min", "2024", {"year": 2025}, {"year": 2020}),
    ("year_max", "2021", {"year": 2020}, {"year": 2025}),
    ("results", "registered", {"results_status": Study.ResultsStatus.REGISTERED_NO_RESULTS}, {}),
]


@pytest.mark.parametrize(("name", "value", "matching", "other"), FIELD_FILTERS)
def test_each_study_field_filter_keeps_only_matching_studies(client, name, value, matching, other):
    study_pair(matching, other)
    page = list_page(client, **{name: value}).text
    assert "1 study match" in page
    assert "The matching study" in page
    assert "The other study" not in page


@pytest.mark.parametrize(
    ("name", "value", "intervention"),
    [
        ("intervention_class", "prp", {"intervention_class": "prp", "exosome_source": ""}),
        ("exosome_source", "plant_derived", {"exosome_source": "plant_derived"}),
        ("route", "scalp_injection", {"route": "scalp_injection"}),
    ],
)
def test_each_intervention_filter_looks_into_every_arm(client, name, value, intervention):
    matching = make_study(title="The matching study")
    make_intervention(arm=make_arm(study=matching))
    make_intervention(arm=make_arm(study=matching), **intervention)
    make_intervention(arm=make_arm(study=make_study(title="The other study")))
    page = list_page(client, **{name: value}).text
    assert "1 study match" in page
    assert "The matching study" in page
    assert "The other study" not in page


def test_the_results_filter_tells_numbers_from_words(client):
    make_study_with_change(title="Numbers study")
    words = make_study(title="Words study")
    make_result(measure=make_measure(study=words), statistic="", value=None, result_text="improved")
    make_study(title="Planned trial", results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
    make_study(title="Not yet curated")
    numeric = list_page(client, results="numeric").text
    words_only = list_page(client, results="words_only").text
    assert "Numbers study" in numeric and "Words study" not in numeric and "Planned trial" not in numeric
    assert "Words study" in words_only and "Numbers study" not in words_only and "Planned trial" not in words_only
    assert "Not yet curated" not in words_only and "Not yet curated" not in numeric


def test_a_sample_size_bound_leaves_out_studies_of_unknown_size(client):
    make_study(title="Unknown size", sample_size=None)
    page = list_page(client, sample_size_max="1000").text
    assert "Unknown size" not in page
    assert "Sets aside studies of unreported size" in page


@pytest.mark.parametrize(
    ("label", "overrides"),
    [
        ("title", {"title": "Rare keyword study"}),
        ("summary", {"summary": "A rare keyword in the summary."}),
        ("citation", {}),
        ("doi", {}),
        ("pmid", {}),
        ("registry id", {}),
        ("product", {}),
    ],
)
def test_the_search_finds_a_study_by_each_searchable_field(client, label, overrides):
    study = make_study(**{"title": "Found study", **overrides})
    make_source(study=study, citation="Quokka A. Rare keyword trial. 2024.", doi="10.1000/xyz", pmid="12345678")
    make_registration(study=study, identifier="NCT07654321")
    make_intervention(arm=make_arm(study=study), product="Rarekeyword Serum")
    make_study(title="Unrelated study")
    term = {
        "title": "rare keyword",
        "summary": "rare keyword",
        "citation": "quokka",
        "doi": "10.1000/XYZ",
        "pmid": "12345678",
        "registry id": "nct07654321",
        "product": "rarekeyword serum",
    }[label]
    page = list_page(client, q=term).text
    assert "1 study match" in page
    assert "Unrelated study" not in page


def test_filters_combine(client):
    make_study(title="Both", condition=Study.Condition.ALOPECIA_AREATA, year=2025)
    make_study(title="Condition only", condition=Study.Condition.ALOPECIA_AREATA, year=2020)
    make_study(title="Year only", year=2025)
    page = list_page(client, condition="alopecia_areata", year_min="2024").text
    assert "1 study match" in page
    assert "Both" in page


# Study list: sorting


SORT_STUDIES = [
    {"title": "B randomised, 2020, n 12", "design": "randomized_controlled", "year": 2020, "sample_size": 12},
    {"title": "C case report, 2025, n 1", "design": "case_report", "year": 2025, "sample_size": 1},
    {"title": "A single arm, year unknown, n 40", "design": "prospective_single_arm", "year": None, "sample_size": 40},
    {"title": "D split scalp, 2023, size unknown", "design": "split_scalp", "year": 2023, "sample_size": None},
]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["C case", "D split", "B random", "A single"]),
        ("largest", ["A single", "B random", "C case", "D split"]),
        ("title", ["A single", "B random", "C case", "D split"]),
        ("design", ["B random", "D split", "A single", "C case"]),
    ],
)
def test_each_sort_orders_the_list_with_unknowns_last(client, sort, expected):
    for fields in SORT_STUDIES:
        make_study(**fields)
    page = list_page(client, sort=sort).text
    assert titles_in_order(page, expected) == expected


def test_the_list_is_newest_first_by_default(client):
    for fields in SORT_STUDIES:
        make_study(**fields)
    expected = ["C case", "D split", "B random", "A single"]
    assert titles_in_order(list_page(client).text, expected) == expected


def test_sort_links_keep_the_filters_and_return_to_the_first_page(client):
    make_study()
    page = list_page(client, condition="androgenetic_alopecia", page="1").text
    assert 'href="?condition=androgenetic_alopecia&amp;sort=largest"' in page


# Study list: pagination, active filters, downloads


def make_many(count, **overrides):
    for number in range(count):
        make_study(title=f"Paged study {number:02d}", **overrides)


def test_pagination_keeps_filters_and_sort(client):
    make_many(30, condition=Study.Condition.ALOPECIA_AREATA)
    make_many(5)
    first = list_page(client, condition="alopecia_areata", sort="title").text
    assert "30 studies match" in first
    assert "Page 1 of 2" in first
    assert 'href="?condition=alopecia_areata&amp;sort=title&amp;page=2"' in first
    second = list_page(client, condition="alopecia_areata", sort="title", page="2").text
    assert len(re.findall(r'class="study-card"', second)) == 5
    assert "Paged study 25" in second and "Paged study 24" not in second
    assert 'href="?condition=alopecia_areata&amp;sort=title&amp;page=1"' in second


def test_a_page_past_the_end_is_not_found(client):
    make_many(3)
    assert list_page(client, page="2").status_code == 404


def test_each_active_filter_can_be_removed_on_its_own(client):
    make_study()
    page = list_page(client, condition="alopecia_areata", design="case_report", sort="title", page="1").text
    assert "Condition: Alopecia areata" in page
    assert "Design: Case report" in page
    assert 'href="/studies/?design=case_report&amp;sort=title"' in page
    assert 'href="/studies/?condition=alopecia_areata&amp;sort=title"' in page


def test_export_links_keep_every_filter_but_not_the_page(client):
    make_many(30, country="India")
    page = list_page(client, country="India", sort="title", page="2").text
    for path in [
        "/studies/export/studies.csv",
        "/studies/export/arms.csv",
        "/studies/export/outcomes.csv",
        "/studies/export/adverse-events.csv",
        "/studies/export/sources.csv",
        "/studies/export.zip",
    ]:
        assert f'href="{path}?country=India&amp;sort=title"' in page
    assert "Download these 30 studies" in page


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client):
    make_study(condition=Study.Condition.ANDROGENETIC_ALOPECIA)
    page = list_page(client, condition="alopecia_areata").text
    assert "0 studies match" in page
    assert "No published study matches these filters" in page
    assert 'href="/studies/">clear all filters</a>' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year_min": "twenty"}, "Enter a whole number."),
        ({"sample_size_max": "2.5"}, "Enter a whole number."),
        ({"sample_size_min": "-1"}, "greater than or equal to 0"),
        ({"year_max": "99999999999999999999"}, "less than or equal to 9999"),
        ({"condition": "baldness"}, "Select a valid choice."),
        ({"results": "maybe"}, "Select a valid choice."),
        ({"country": "Atlantis"}, "Select a valid choice."),
        ({"sort": "random"}, "Select a valid choice."),
    ],
)
def test_an_invalid_filter_value_shows_an_error_and_no_studies(client, params, message):
    make_study(title="A real study")
    response = list_page(client, **params)
    assert response.status_code == 400
    assert "A filter value is not valid" in response.text
    assert message in response.text
    assert "A real study" not in response.text


def test_the_list_runs_the_same_number_of_queries_whatever_the_number_of_studies(client, assert_queries_do_not_grow):
    def build(studies):
        for _ in range(studies):
            make_study_with_change(country="India")

    def visit(size):
        assert list_page(client, condition="androgenetic_alopecia").status_code == 200

    # The content version, the count, the countries, the page, and the filters' counts: two for the
    # studies listed, one for the condition's own (see test_facets.py).
    assert_queries_do_not_grow(7, build, visit, sizes=(2, 40))


def test_a_very_long_list_says_more_than_the_cap_instead_of_counting_every_study(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 30)
    for number in range(40):
        make_study(title=f"Cohort {number:02d}")
    page = client.get(reverse("studies:list")).text
    assert "More than 30 studies match" in page
    assert "narrow the filters to see the rest" in page
    assert "Page 1 of" not in page
    assert client.get(reverse("studies:list"), {"page": 2}).status_code == 200
    assert "More than" not in client.get(reverse("studies:list"), {"condition": "alopecia_areata"}).text
