"""The study list's counts: beside each choice of each filter, how many studies choosing it would show."""

import html
import re
from datetime import date

import pytest
from django.db.models import Count
from django.urls import reverse

from studies.facets import FACETS
from studies.models import Intervention, Registration, Study
from tests.factories import make_arm, make_intervention, make_measure, make_result, make_study, make_study_with_change

pytestmark = pytest.mark.django_db


def list_page(client, **params):
    return client.get(reverse("studies:list"), params)


def options(page, name):
    """{value: text} of each option of the drop-down `name`, as a screen reader reads them."""
    select = re.search(rf'<select name="{name}".*?</select>', page.text, re.S)
    found = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))
    return {html.unescape(value): html.unescape(text) for value, text in found}


def count_shown(page, name, value):
    """The number in an option's text, "Randomized controlled trial (3)" -> 3."""
    return int(re.fullmatch(r".* \((\d+)\)", options(page, name)[value]).group(1))


def matching(page):
    return int(re.search(r"(\d+) stud(?:y|ies) match", page.text).group(1))


def test_each_choice_shows_the_studies_it_would_list(client, reference_studies):
    page = list_page(client)
    published = Study.objects.published()
    assert options(page, "design")["randomized_controlled"] == (
        f"Randomized controlled trial ({published.filter(design='randomized_controlled').count()})"
    )
    assert options(page, "condition")[""] == f"Any condition ({published.count()})"
    given_exosomes = published.filter(arms__interventions__intervention_class="exosome").distinct()
    assert count_shown(page, "intervention_class", "exosome") == given_exosomes.count() > 0
    injected = published.filter(arms__interventions__route="scalp_injection").distinct()
    assert count_shown(page, "route", "scalp_injection") == injected.count()
    controlled = published.filter(design__in=["randomized_controlled", "split_scalp", "non_randomized_controlled"])
    assert count_shown(page, "has_control_group", "true") == controlled.count() > 0
    assert count_shown(page, "has_control_group", "false") == published.count() - controlled.count()
    for country in published.exclude(country="").values_list("country", flat=True).distinct():
        assert options(page, "country")[country] == f"{country} ({published.filter(country=country).count()})"


def test_every_count_is_what_the_list_shows_when_the_choice_is_taken(client, reference_studies):
    """Under another filter, each choice's count equals the list's own count of the studies it gives."""
    page = list_page(client, year_min=2020)
    checked = 0
    for name in FACETS:
        for value in options(page, name):
            expected = matching(list_page(client, year_min=2020, **{name: value}))
            assert count_shown(page, name, value) == expected, (name, value)
            checked += 1
    assert checked > 60


def test_results_counts_tell_numbers_from_words(client):
    make_study_with_change(title="Numbers study")
    words = make_study(title="Words study")
    make_result(measure=make_measure(study=words), statistic="", value=None, result_text="improved")
    make_study(title="Planned trial", results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
    make_study(title="Not yet curated")
    results = options(list_page(client), "results")
    assert results == {
        "": "Any results (4)",
        "numeric": "Numeric results (1)",
        "words_only": "Results in words only (1)",
        "registered": "Registered, no results yet (1)",
    }


def test_overdue_trials_are_counted(client):
    overdue = make_study(results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS, publication_type="registry_only")
    Registration.objects.create(
        study=overdue,
        identifier="NCT03418623",
        primary_completion_date=date(2020, 3, 13),
        primary_completion_date_type="actual",
    )
    make_study()
    assert options(list_page(client), "results_due") == {
        "": "Any (2)",
        "overdue": "No results 12 months after completion (1)",
    }


def test_a_filters_own_counts_set_it_aside_and_follow_the_other_filters(client):
    make_study(design="randomized_controlled", condition="alopecia_areata")
    make_study(design="randomized_controlled", condition="androgenetic_alopecia")
    make_study(design="case_series", condition="androgenetic_alopecia")
    unfiltered = list_page(client)
    chosen = list_page(client, design="randomized_controlled")
    # Choosing a design leaves the design counts as they were, so its alternatives can be compared ...
    assert options(chosen, "design") == options(unfiltered, "design")
    assert options(chosen, "design")["case_series"] == "Case series (1)"
    assert options(chosen, "design")[""] == "Any design (3)"
    # ... and narrows every other filter's counts to the randomised trials.
    assert options(unfiltered, "condition")["androgenetic_alopecia"] == "Androgenetic alopecia (2)"
    assert options(chosen, "condition")["androgenetic_alopecia"] == "Androgenetic alopecia (1)"
    assert options(chosen, "condition")[""] == "Any condition (2)"
    # With two filters in use, each one's counts keep the other.
    both = list_page(client, design="randomized_controlled", condition="androgenetic_alopecia")
    assert options(both, "design")["case_series"] == "Case series (1)"
    assert options(both, "condition")["alopecia_areata"] == "Alopecia areata (1)"


def test_an_intervention_filter_in_use_counts_its_alternatives_under_the_other_filters(client):
    with_prp = make_study(condition="alopecia_areata")
    make_intervention(arm=make_arm(study=with_prp), intervention_class="prp", exosome_source="")
    make_intervention(arm=make_arm(study=make_study(condition="alopecia_areata")))
    make_intervention(arm=make_arm(study=make_study(condition="androgenetic_alopecia")))
    page = list_page(client, intervention_class="prp", condition="alopecia_areata")
    assert options(page, "intervention_class")["prp"] == "Platelet-rich plasma (PRP) (1)"
    assert options(page, "intervention_class")["exosome"] == "Exosome (1)"
    assert options(page, "intervention_class")[""] == "Any intervention (2)"
    assert options(page, "exosome_source")["adsc"] == "Adipose-derived stem cells (ADSC) (0)"
    assert options(page, "condition")["androgenetic_alopecia"] == "Androgenetic alopecia (0)"


@pytest.mark.parametrize("status", [Study.Status.DRAFT, Study.Status.IN_REVIEW])
def test_an_unpublished_study_is_never_counted(client, status):
    make_study(design="randomized_controlled")
    hidden = make_study(design="case_report", country="Atlantis", status=status)
    make_intervention(arm=make_arm(study=hidden), intervention_class="laser", exosome_source="")
    page = list_page(client)
    assert options(page, "design")["case_report"] == "Case report (0)"
    assert options(page, "design")[""] == "Any design (1)"
    assert options(page, "intervention_class")["laser"] == "Laser (0)"
    assert "Atlantis" not in page.text


def test_a_study_with_two_arms_of_the_same_class_counts_once(client):
    study = make_study()
    make_intervention(arm=make_arm(study=study), route="topical")
    make_intervention(arm=make_arm(study=study), route="scalp_injection")
    page = list_page(client)
    assert options(page, "intervention_class")["exosome"] == "Exosome (1)"
    assert options(page, "exosome_source")["adsc"] == "Adipose-derived stem cells (ADSC) (1)"
    # One study with two routes counts once under each.
    assert options(page, "route")["topical"] == "Topical (1)"
    assert options(page, "route")["scalp_injection"] == "Scalp injection (1)"


def test_a_choice_that_gives_no_study_stays_offered_with_zero_in_its_place(client):
    make_intervention(arm=make_arm(study=make_study()))
    page = list_page(client)
    assert list(options(page, "intervention_class")) == ["", *Intervention.InterventionClass.values]
    assert options(page, "intervention_class")["laser"] == "Laser (0)"
    assert options(page, "verification")["full_text"] == "Full text (0)"
    assert options(page, "peer_reviewed")["false"] == "No (0)"
    assert options(list_page(client, verification="full_text"), "verification")["full_text"] == "Full text (0)"


def test_the_yes_no_filters_offer_any_yes_or_no(client):
    make_study(design="split_scalp", publication_type="preprint")
    page = list_page(client)
    assert options(page, "has_control_group") == {"unknown": "Any (1)", "true": "Yes (1)", "false": "No (0)"}
    assert options(page, "peer_reviewed") == {"unknown": "Any (1)", "true": "Yes (0)", "false": "No (1)"}


def test_an_active_filter_names_its_choice_without_a_count(client):
    make_study(design="randomized_controlled")
    page = list_page(client, design="randomized_controlled")
    assert 'aria-label="Remove filter Design: Randomized controlled trial"' in page.text


def test_an_invalid_filter_page_shows_no_counts(client):
    make_study(design="randomized_controlled")
    page = list_page(client, design="randomized_controlled", year_min="soon")
    assert page.status_code == 400
    assert "A filter value is not valid" in page.text
    assert options(page, "design")["randomized_controlled"] == "Randomized controlled trial"
    assert options(page, "condition")[""] == "Any condition"


def test_counts_take_a_fixed_number_of_queries(client, assert_queries_do_not_grow):
    """The content version, the count, the countries and the page; two for the counts under every
    filter; for the filters in use, one for a study's own field and two for an intervention's. The
    same with 2 studies or 40."""

    def build(studies):
        for _ in range(studies):
            study = make_study_with_change(country="India")
            make_intervention(arm=make_arm(study=study), intervention_class="prp", exosome_source="")

    def visit(size):
        visit.page = list_page(client, condition="androgenetic_alopecia", intervention_class="prp")
        assert visit.page.status_code == 200

    assert_queries_do_not_grow(9, build, visit, sizes=(2, 40))
    assert options(visit.page, "intervention_class")["prp"] == "Platelet-rich plasma (PRP) (42)"


def test_counts_agree_with_the_database_on_every_intervention_value(client, reference_studies):
    page = list_page(client)
    published = Study.objects.published()
    for field in ("intervention_class", "exosome_source", "route"):
        expected = dict(
            Intervention.objects.filter(arm__study__in=published)
            .exclude(**{field: ""})
            .values_list(field)
            .annotate(studies=Count("arm__study", distinct=True))
        )
        shown = {value: count_shown(page, field, value) for value in options(page, field) if value}
        assert shown == {value: expected.get(value, 0) for value in shown}, field
        assert sum(shown.values()) > 0


def test_the_counts_are_made_once_per_content_version_and_filters_not_per_page(client, django_assert_max_num_queries):
    for _ in range(30):
        make_study_with_change(country="India")
    first = list_page(client, condition="androgenetic_alopecia", sort="title")
    # Another page of the same filters: its studies are read, its counts come from the cache.
    with django_assert_max_num_queries(4):  # the version, the count, the countries, the page
        second = list_page(client, condition="androgenetic_alopecia", sort="title", page=2)
    assert second.status_code == 200
    assert options(second, "condition") == options(first, "condition")
    make_study_with_change(country="India")
    third = list_page(client, condition="androgenetic_alopecia", sort="title", page=2)
    assert options(third, "condition") != options(first, "condition")
