"""Impossible data is refused in the admin, with the numbers named, and nothing is lost."""

import pytest
from django.core.exceptions import ValidationError

from studies.models import OutcomeResult, Source, Study
from tests.admin_helpers import errors_of, post_change
from tests.factories import (
    make_adverse_event,
    make_arm,
    make_measure,
    make_registration,
    make_result,
    make_source,
    make_study,
)

pytestmark = pytest.mark.django_db


def assert_refused(response, message):
    errors = errors_of(response)
    assert any(message in error for error in errors), errors


def adverse_event(trial, **overrides):
    return {"arm": trial.arms.get(label="Placebo").pk, "term": "Scalp erythema", **overrides}


def test_an_adverse_event_within_its_arm_is_saved(curator_client, trial):
    row = adverse_event(trial, participants_affected=2, participants_at_risk=10)
    assert post_change(curator_client, trial, rows={"adverse_events": [row]}).status_code == 302
    assert trial.adverse_events.get().participants_affected == 2


def test_more_people_affected_than_at_risk_is_refused(curator_client, trial):
    row = adverse_event(trial, participants_affected=12, participants_at_risk=10)
    response = post_change(curator_client, trial, rows={"adverse_events": [row]})
    assert_refused(
        response,
        "Participants affected (12) cannot exceed participants at risk (10) in arm 'Placebo', event 'Scalp erythema'.",
    )
    assert not trial.adverse_events.exists()


def test_more_people_at_risk_than_in_the_arm_is_refused(curator_client, trial):
    row = adverse_event(trial, participants_affected=2, participants_at_risk=25)
    response = post_change(curator_client, trial, rows={"adverse_events": [row]})
    assert_refused(
        response,
        "Participants at risk (25) cannot exceed the 20 participants in arm 'Placebo', event 'Scalp erythema'.",
    )


def test_arms_may_be_resized_together_within_the_sample_size(curator_client, trial):
    page_rows = {"arms-0-participants": 10, "arms-1-participants": 30}
    assert post_change(curator_client, trial, changes=page_rows).status_code == 302
    assert list(trial.arms.values_list("participants", flat=True)) == [10, 30]


def test_arms_adding_up_to_more_than_the_sample_size_are_refused(curator_client, trial):
    response = post_change(
        curator_client, trial, rows={"arms": [{"label": "Extra", "role": "experimental", "participants": 5}]}
    )
    assert_refused(
        response,
        "The arms add up to 45 participants ('Exosome' 20 + 'Placebo' 20 + 'Extra' 5), more than the 40 enrolled",
    )
    assert trial.arms.count() == 2


def test_lowering_the_sample_size_below_the_arms_is_refused(curator_client, trial):
    response = post_change(curator_client, trial, changes={"sample_size": 30})
    assert_refused(response, "more than the 30 enrolled")
    trial.refresh_from_db()
    assert trial.sample_size == 40


def test_split_scalp_arms_may_each_hold_everyone(curator_client):
    study = make_study(status=Study.Status.DRAFT, sample_size=30, design="split_scalp", unit_of_analysis="scalp_half")
    rows = [{"label": f"Half {n}", "role": "experimental", "participants": 30} for n in (1, 2)]
    assert post_change(curator_client, study, rows={"arms": rows}).status_code == 302
    assert study.arms.count() == 2


def result_row(trial, **overrides):
    return {
        "arm": trial.arms.get(label="Exosome").pk,
        "timepoint_value": 12,
        "timepoint_unit": "weeks",
        "statistic": "mean_change",
        "value": "12",
        **overrides,
    }


GOOD_RESULTS = [
    {"n_analysed": 20},
    {"dispersion_type": "ci95", "dispersion_lower": "3", "dispersion_upper": "19.5"},
    {"dispersion_type": "sd", "dispersion_value": "4.2"},
    {"statistic": "percent_of_participants", "value": "80"},
    {"timepoint_value": 0, "baseline": "60", "value": ""},
    {"value": "-3.5"},
]

BAD_RESULTS = [
    ({"n_analysed": 25}, "Number analysed (25) cannot exceed the 20 participants in the arm (in arm 'Exosome'"),
    (
        {"dispersion_type": "ci95", "dispersion_lower": "3", "dispersion_upper": "9"},
        "The value (12) lies outside its 95% CI (3 to 9)",
    ),
    (
        {"dispersion_type": "ci95", "dispersion_lower": "19", "dispersion_upper": "3"},
        "The lower bound (19) is above the upper bound (3) of the 95% CI",
    ),
    ({"dispersion_type": "sd", "dispersion_value": "-1.2"}, "The SD (-1.2) cannot be negative"),
    ({"dispersion_type": "range", "dispersion_lower": "1"}, "Give both bounds of the Range, or neither"),
    ({"statistic": "percent_of_participants", "value": "112"}, "A percentage must be between 0 and 100, not 112"),
    ({"timepoint_value": "-4"}, "The time point (-4) cannot be negative"),
    ({"timepoint_value": "0", "follow_up": "15"}, "A follow-up value cannot be at baseline (time point 0)"),
    ({"timepoint_unit": ""}, "Give the unit of time point 12"),
    ({"statistic": ""}, "Say what the value 12 is"),
    ({"value": "", "result_text": ""}, "Give a value, baseline and follow-up values, or the result in words"),
]


@pytest.mark.parametrize("overrides", GOOD_RESULTS, ids=str)
def test_a_plausible_result_is_saved(curator_client, trial, overrides):
    measure = make_measure(study=trial, name="hair density", unit="hairs/cm2")
    response = post_change(curator_client, measure, rows={"results": [result_row(trial, **overrides)]})
    assert response.status_code == 302, errors_of(response)
    assert measure.results.count() == 1


@pytest.mark.parametrize(("overrides", "message"), BAD_RESULTS, ids=[message for _, message in BAD_RESULTS])
def test_an_impossible_result_is_refused_with_its_numbers(curator_client, trial, overrides, message):
    measure = make_measure(study=trial, name="hair density", unit="hairs/cm2")
    response = post_change(curator_client, measure, rows={"results": [result_row(trial, **overrides)]})
    assert_refused(response, message)
    assert not OutcomeResult.objects.exists()


def test_a_numeric_result_needs_a_unit_on_its_measure(curator_client, trial):
    measure = make_measure(study=trial, name="hair count", unit="")
    response = post_change(curator_client, measure, rows={"results": [result_row(trial)]})
    assert_refused(response, "A numeric value needs a unit: set the unit of measure 'hair count' first")


def test_a_percentage_measure_keeps_values_within_0_and_100(curator_client, trial):
    measure = make_measure(study=trial, name="satisfied", unit="%")
    response = post_change(
        curator_client, measure, rows={"results": [result_row(trial, statistic="mean", value="130")]}
    )
    assert_refused(response, "A percentage must be between 0 and 100, not 130")
    accepted = post_change(curator_client, measure, rows={"results": [result_row(trial, statistic="mean", value="87")]})
    assert accepted.status_code == 302


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        ({"doi": "https://doi.org/10.1007/S00266-024-04332-3"}, {"doi": "10.1007/s00266-024-04332-3"}),
        ({"doi": "doi:10.3390/life15030500"}, {"doi": "10.3390/life15030500"}),
        ({"pmid": "PMID: 39174804"}, {"pmid": "39174804"}),
        ({"pmcid": "12539994"}, {"pmcid": "PMC12539994"}),
        ({"registry_id": "nct06539273"}, {"registry_id": "NCT06539273"}),
    ],
    ids=str,
)
def test_identifiers_are_normalised_on_save(curator_client, trial, pasted, stored):
    row = {"relation": "primary_results", "citation": "A. Author. Title. 2024.", **pasted}
    response = post_change(curator_client, trial, rows={"sources": [row]})
    assert response.status_code == 302, errors_of(response)
    source = Source.objects.get()
    assert {field: getattr(source, field) for field in stored} == stored


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ({"doi": "11.1234/abc"}, "'11.1234/abc' is not a DOI"),
        (
            {"doi": "10.1234/x},title={injected},note={x"},
            "'10.1234/x},title={injected},note={x' is not a DOI. A DOI starts with '10.'",
        ),
        ({"pmid": "39174804x"}, "'39174804x' is not a PubMed ID"),
        ({"pmcid": "PMCX1"}, "'PMCX1' is not a PubMed Central ID"),
        ({"registry_id": "NCT123"}, "'NCT123' is not a ClinicalTrials.gov ID"),
        ({"urls": "ftp://example.org/paper"}, "'ftp://example.org/paper' is not a web address"),
    ],
    ids=str,
)
def test_malformed_identifiers_are_refused(curator_client, trial, pasted, message):
    row = {"relation": "primary_results", "citation": "A. Author. Title. 2024.", **pasted}
    assert_refused(post_change(curator_client, trial, rows={"sources": [row]}), message)
    assert not Source.objects.exists()


def test_a_registry_id_is_normalised_and_checked(curator_client, trial):
    assert (
        post_change(curator_client, trial, rows={"registrations": [{"identifier": " nct06930326"}]}).status_code == 302
    )
    assert trial.registrations.get().identifier == "NCT06930326"
    assert_refused(
        post_change(curator_client, trial, rows={"registrations": [{"identifier": "NCT0693"}]}),
        "'NCT0693' is not a ClinicalTrials.gov ID",
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"year": 2999}, "The year (2999) cannot be in the future"),
        ({"start_date": "2024-05-01", "end_date": "2024-01-01"}, "The end date (2024-01-01) is before the start date"),
        ({"start_date": "2999-01-01"}, "The start date (2999-01-01) cannot be in the future"),
        ({"participants_male": 30, "participants_female": 15}, "add up to 45, more than the sample size (40)"),
        ({"age_min": 60, "age_max": 20}, "The youngest age (60) cannot be above the oldest age (20)"),
        ({"sample_size_not_reported": True}, "The sample size is given (40)"),
    ],
    ids=str,
)
def test_impossible_study_facts_are_refused(curator_client, trial, changes, message):
    assert_refused(post_change(curator_client, trial, changes=changes), message)
    trial.refresh_from_db()
    assert trial.year == 2024 and trial.start_date is None


def test_plausible_study_facts_are_saved(curator_client, trial):
    changes = {"year": 2025, "start_date": "2024-01-01", "end_date": "2024-05-01", "participants_male": 40}
    assert post_change(curator_client, trial, changes=changes).status_code == 302
    trial.refresh_from_db()
    assert (trial.year, str(trial.end_date), trial.participants_male) == (2025, "2024-05-01", 40)


def test_an_arm_cannot_be_moved_into_another_study_from_its_admin_page(curator_client, trial):
    published = make_study(title="Published trial", sample_size=100)
    arm = trial.arms.get(label="Placebo")
    post_change(curator_client, arm, {"study": published.pk, "label": "Placebo moved"})
    arm.refresh_from_db()
    assert arm.study == trial
    assert not published.arms.exists()


@pytest.mark.parametrize(
    "make_part",
    [
        lambda study, other: (make_arm(study=study), "study", other),
        lambda study, other: (make_measure(study=study), "study", other),
        lambda study, other: (make_result(make_measure(study=study)), "measure", make_measure(study=other)),
        lambda study, other: (make_adverse_event(study), "study", other),
        lambda study, other: (make_source(study), "study", other),
        lambda study, other: (make_registration(study), "study", other),
    ],
    ids=["arm", "measure", "result", "adverse event", "source", "registration"],
)
def test_no_part_of_a_study_can_be_moved_to_another_parent(trial, make_part):
    other = make_study(title="Published trial")
    part, parent, new_parent = make_part(trial, other)
    setattr(part, parent, new_parent)
    with pytest.raises(ValidationError) as refusal:
        part.full_clean()
    assert "cannot be moved to another one" in refusal.value.message_dict[parent][0]


def test_a_slug_starting_with_a_hyphen_is_refused_on_the_slug_field(curator_client, trial):
    response = post_change(curator_client, trial, changes={"slug": "-exosome-trial"})
    assert response.context["adminform"].form.errors["slug"] == [
        "The slug '-exosome-trial' must start with a letter or a digit, e.g. ersan-2024-exosome."
    ]
    trial.refresh_from_db()
    assert not trial.slug.startswith("-")
