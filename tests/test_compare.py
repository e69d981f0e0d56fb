"""The comparison page: one outcome across studies, one row per study and arm."""

import re

import pytest
from django.urls import reverse

from studies.models import OutcomeMeasure, Study
from tests.factories import make_arm, make_measure, make_result, make_study, make_study_with_change

pytestmark = pytest.mark.django_db


def compare_page(client, **params):
    response = client.get(reverse("studies:compare"), params)
    assert response.status_code == 200
    return response.text


def table_rows(page):
    return re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, flags=re.S)


def test_hair_density_compares_the_reference_studies_arm_by_arm(client, reference_studies):
    page = compare_page(client)
    rows = table_rows(page)
    assert any("Microneedling + topical exosome" in row and "+35 (± SD 6.5)" in row for row in rows)
    assert any("Microneedling + PRP (scalp half)" in row and "+14.6" in row for row in rows)
    assert any("Microneedling alone (scalp half)" in row and "+10.8" in row for row in rows)
    assert any("Placenta-derived MSC exosome scalp injections" in row and "+67.0, computed" in row for row in rows)
    assert len(rows) == 4
    assert "<title id=" in page and "<desc id=" in page


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
    assert page.count('class="dot dot-uncontrolled"') == 1


def test_values_in_different_units_are_never_drawn_on_one_axis(client):
    for unit in ("hairs/cm2", "hairs/0.65 cm2"):
        study = make_study()
        make_result(measure=make_measure(study=study, unit=unit), arm=make_arm(study=study))
    page = compare_page(client)
    assert page.count("<svg") == 2
    assert "In hairs/cm2" in page and "In hairs/0.65 cm2" in page


def test_an_arm_is_shown_at_its_latest_time_point(client):
    study = make_study(title="Two visits")
    arm = make_arm(study=study)
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
    assert "No published study reports a numeric change in this outcome." in page


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


def test_the_comparison_runs_the_same_number_of_queries_whatever_the_number_of_studies(
    client, assert_queries_do_not_grow
):
    def build(studies):
        for _ in range(studies):
            make_study_with_change()

    assert_queries_do_not_grow(3, build, lambda size: compare_page(client))


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
