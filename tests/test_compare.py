"""The comparison page: one outcome across studies, one row per study and arm."""

import re

import pytest
from django.urls import reverse

from studies.models import Arm, Intervention, OutcomeMeasure, Study
from studies.views import CappedPaginator
from tests.factories import (
    make_arm,
    make_intervention,
    make_measure,
    make_result,
    make_study,
    make_study_with_change,
)

pytestmark = pytest.mark.django_db


def compare_page(client, **params):
    response = client.get(reverse("studies:compare"), params)
    assert response.status_code == 200
    return response.text


def table_rows(page):
    return re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, flags=re.S)


def exosome_arm(study, **fields):
    arm = make_arm(study=study, **fields)
    make_intervention(arm=arm)
    return arm


def comparator_arm(study, intervention_class=Intervention.InterventionClass.PLACEBO, **fields):
    arm = make_arm(study=study, role=Arm.Role.PLACEBO_COMPARATOR, **fields)
    make_intervention(arm=arm, intervention_class=intervention_class, exosome_source="")
    return arm


def test_hair_density_compares_the_reference_studies_arm_by_arm(client, reference_studies):
    page = compare_page(client)
    rows = table_rows(page)
    assert any("Microneedling + topical exosome" in row and "+35 (SD 6.5)" in row for row in rows)
    assert any("Placenta-derived MSC exosome scalp injections" in row and "+67.0, computed" in row for row in rows)
    assert len(rows) == 2
    assert "<title id=" in page and "<desc id=" in page
    comparators = table_rows(compare_page(client, arms="without_exosomes"))
    assert any("Microneedling + PRP (scalp half)" in row and "+14.6" in row for row in comparators)
    assert any("Microneedling alone (scalp half)" in row and "+10.8" in row for row in comparators)
    assert len(comparators) == 2


def test_studies_reporting_only_words_are_listed_apart_and_not_drawn(client, reference_studies):
    page = compare_page(client, category="hair_density")
    words = page.split("Studies that report this outcome only in words")[1]
    assert "Topical adipose-derived stem cell exosomes for androgenetic alopecia (39 patients)" in words
    assert '<span class="words">significant increase</span>' in words
    assert "39 patients" not in "".join(table_rows(page))


def test_salt_scores_are_changes_computed_from_baseline_and_follow_up(client, reference_studies):
    rows = table_rows(compare_page(client, category="salt_score"))
    assert len(rows) == 2
    assert all("computed" in row for row in rows)
    assert any("Case 1" in row and "-20" in row for row in rows)


def test_each_arm_shows_its_design_and_size(client):
    make_study_with_change(title="Controlled study", design=Study.Design.RANDOMIZED_CONTROLLED, arm_participants=24)
    make_study_with_change(title="Uncontrolled study", arm_participants=None)
    page = compare_page(client)
    rows = table_rows(page)
    assert any(
        "Controlled study" in row and "Randomized controlled trial" in row and '<td data-label="n">24</td>' in row
        for row in rows
    )
    assert any("Uncontrolled study" in row and "not reported" in row for row in rows)
    # In each drawing, a square for the controlled design and a circle for the uncontrolled one.
    assert page.count('<rect class="mark"') == 2 and page.count('<circle class="mark"') == 2


def test_values_in_different_units_are_never_drawn_on_one_axis(client):
    for unit in ("hairs/cm2", "hairs/0.65 cm2"):
        study = make_study()
        make_result(measure=make_measure(study=study, unit=unit), arm=exosome_arm(study))
    page = compare_page(client)
    assert page.count('class="forest forest-wide"') == 2
    assert "In hairs/cm2" in page and "In hairs/0.65 cm2" in page


def test_an_arm_is_shown_at_its_latest_time_point(client):
    study = make_study(title="Two visits")
    arm = exosome_arm(study)
    measure = make_measure(study=study)
    make_result(measure=measure, arm=arm, value="4", timepoint_value=4)
    make_result(measure=measure, arm=arm, value="11", timepoint_value=12)
    rows = table_rows(compare_page(client))
    assert len(rows) == 1
    assert "12 weeks" in rows[0] and "+11" in rows[0]


@pytest.mark.parametrize("status", [Study.Status.DRAFT, Study.Status.IN_REVIEW])
def test_unpublished_studies_are_never_compared(client, status):
    make_study_with_change(title="Unreviewed draft", status=status)
    study = make_study(title="Unreviewed words", status=status)
    make_result(measure=make_measure(study=study), statistic="", value=None, result_text="better")
    page = compare_page(client)
    assert "Unreviewed" not in page
    assert "No published study reports a numeric change in this outcome for these arms." in page


def test_an_unknown_outcome_category_shows_an_error(client):
    make_study_with_change(title="Some study")
    response = client.get(reverse("studies:compare"), {"category": "eyebrows"})
    assert response.status_code == 400
    page = response.text
    assert "That outcome is not one the tracker knows" in page
    assert "Select a valid choice." in page
    assert "Some study" not in page


def test_every_outcome_category_can_be_chosen(client):
    page = compare_page(client)
    for value, label in OutcomeMeasure.Category.choices:
        assert f'<option value="{value}"' in page and f">{label}</option>" in page


@pytest.mark.parametrize("arms", ["exosome", "without_exosomes"])
def test_the_comparison_runs_the_same_number_of_queries_whatever_the_number_of_studies(
    client, assert_queries_do_not_grow, arms
):
    def build(studies):
        for _ in range(studies):
            study = make_study(design=Study.Design.RANDOMIZED_CONTROLLED)
            measure = make_measure(study=study)
            make_result(measure=measure, arm=exosome_arm(study))
            make_result(measure=measure, arm=comparator_arm(study))
            make_result(measure=measure, statistic="", value=None, result_text="better overall")

    assert_queries_do_not_grow(4, build, lambda size: compare_page(client, arms=arms))


def test_a_long_comparison_is_shown_fifty_outcome_reports_a_page(client):
    for number in range(55):
        make_study_with_change(title=f"Compared study {number:02d}")
    first = compare_page(client, category="hair_density")
    assert "Outcome reports 1 to 50 of 55, by study title." in first
    assert "Compared study 49" in first and "Compared study 50" not in first
    assert 'href="?category=hair_density&amp;page=2"' in first
    second = compare_page(client, category="hair_density", page="2")
    assert "Compared study 50" in second and "Compared study 49" not in second
    assert client.get(reverse("studies:compare"), {"page": "3"}).status_code == 404


def test_each_row_says_how_deep_its_facts_were_read(client):
    make_study_with_change(title="Read in full", verification=Study.Verification.FULL_TEXT)
    make_study_with_change(title="Read in the abstract", verification=Study.Verification.ABSTRACT)
    rows = table_rows(compare_page(client))
    assert any("Read in full" in row and '<td data-label="Facts read from">full text</td>' in row for row in rows)
    assert any(
        "Read in the abstract" in row and '<td data-label="Facts read from">abstract</td>' in row for row in rows
    )


def a_controlled_trial(title="Controlled trial"):
    """A trial whose exosome arm, PRP arm and placebo arm each report a change in hair density."""
    study = make_study(title=title, design=Study.Design.RANDOMIZED_CONTROLLED)
    measure = make_measure(study=study)
    make_result(measure=measure, arm=exosome_arm(study, label="Exosome serum"), value="12")
    make_result(measure=measure, arm=comparator_arm(study, Intervention.InterventionClass.PRP, label="PRP"), value="7")
    make_result(measure=measure, arm=comparator_arm(study, label="Saline placebo"), value="2")
    return study


def test_exosome_arms_are_compared_by_default_and_arms_without_exosomes_on_request(client):
    a_controlled_trial()
    page = compare_page(client)
    (row,) = table_rows(page)
    assert "Exosome serum" in row
    assert "Saline placebo" not in page and "PRP" not in "".join(table_rows(page))
    assert 'href="?arms=without_exosomes"' in page
    comparators = compare_page(client, arms="without_exosomes")
    assert [label for label in ("Exosome serum", "PRP", "Saline placebo") if label in comparators] == [
        "PRP",
        "Saline placebo",
    ]
    assert 'href="?arms=exosome"' in comparators


def test_the_arms_choice_keeps_the_outcome_and_the_outcome_choice_keeps_the_arms(client):
    page = compare_page(client, category="salt_score", arms="without_exosomes")
    assert 'href="?category=salt_score&amp;arms=exosome"' in page
    assert re.search(r'<input type="radio" name="arms" value="without_exosomes"[^>]* checked>', page)


def test_a_whole_study_result_counts_as_exosome_only_when_every_arm_was_given_exosomes(client):
    single = make_study(title="Single-arm cohort")
    exosome_arm(single)
    make_result(measure=make_measure(study=single), arm=None, value="9")
    mixed = make_study(title="Pooled controlled trial")
    exosome_arm(mixed)
    comparator_arm(mixed)
    make_result(measure=make_measure(study=mixed), arm=None, value="4")
    untreated = make_study(title="Arm without interventions recorded")
    make_result(measure=make_measure(study=untreated), arm=make_arm(study=untreated), value="3")
    exosome_rows = "".join(table_rows(compare_page(client)))
    other_rows = "".join(table_rows(compare_page(client, arms="without_exosomes")))
    assert "Single-arm cohort" in exosome_rows and "Single-arm cohort" not in other_rows
    assert "Pooled controlled trial" in other_rows and "Pooled controlled trial" not in exosome_rows
    assert "Arm without interventions recorded" in other_rows
    assert "Arm without interventions recorded" not in exosome_rows


def test_words_only_reports_follow_the_arms_choice(client):
    study = make_study(title="Words trial")
    make_result(
        measure=make_measure(study=study), arm=exosome_arm(study), statistic="", value=None, result_text="fuller"
    )
    make_result(
        measure=study.measures.get(), arm=comparator_arm(study), statistic="", value=None, result_text="unchanged"
    )
    exosome = compare_page(client).split("only in words")[1]
    assert '<span class="words">fuller</span>' in exosome and "unchanged" not in exosome
    comparators = compare_page(client, arms="without_exosomes").split("only in words")[1]
    assert '<span class="words">unchanged</span>' in comparators and "fuller" not in comparators


@pytest.mark.parametrize("value", ["placebo", "", "EXOSOME"])
def test_an_unknown_arms_choice_shows_an_error_and_no_study(client, value):
    a_controlled_trial(title="Some trial")
    response = client.get(reverse("studies:compare"), {"arms": value})
    assert response.status_code == 400
    assert "Those arms are not a choice the tracker knows" in response.text
    assert "Some trial" not in response.text


def test_a_very_long_comparison_says_more_than_the_cap_instead_of_counting_every_report(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 60)
    for number in range(65):
        make_study_with_change(title=f"Compared study {number:02d}")
    first = compare_page(client)
    assert "Outcome reports 1 to 50 of more than 60, by study title." in first
    assert 'href="?page=2"' in first
    assert "Compared study 50" in compare_page(client, page="2")
