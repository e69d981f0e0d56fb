"""Rules that hold for every row, whoever writes it: the database itself refuses bad rows."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from studies.models import AdverseEvent, Intervention, OutcomeResult, Study, plain_number
from tests.factories import (
    make_adverse_event,
    make_arm,
    make_intervention,
    make_measure,
    make_result,
    make_study,
)

pytestmark = pytest.mark.django_db


def assert_database_refuses(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize(
    "fields",
    [
        {"sample_size": -1},
        {"year": 1800},
        {"year": 2500},
        {"age_min": Decimal("50"), "age_max": Decimal("30")},
        {"age_mean": Decimal("-3")},
        {"age_max": Decimal("150")},
        {"sample_size": 10, "participants_male": 8, "participants_female": 5},
        {"sample_size": 10, "sample_size_not_reported": True},
        {"participants_female": -2},
        {"slug": "-leading-hyphen"},
        {"slug": "_leading-underscore"},
    ],
    ids=str,
)
def test_the_database_refuses_an_impossible_study(fields):
    assert_database_refuses(lambda: make_study(**fields))


@pytest.mark.parametrize("slug", ["-2024-exosome", "_exosome"])
def test_a_slug_not_starting_with_a_letter_or_digit_is_refused_on_the_slug_field(slug):
    study = Study(slug=slug, title="A study", verification=Study.Verification.ABSTRACT)
    with pytest.raises(ValidationError) as refusal:
        study.full_clean()
    assert refusal.value.message_dict["slug"] == [
        f"The slug '{slug}' must start with a letter or a digit, e.g. ersan-2024-exosome."
    ]


def test_a_slug_may_start_with_a_digit():
    make_study(slug="2024-exosome-trial").full_clean()


def test_the_database_accepts_a_plausible_study_with_unknowns():
    study = make_study(sample_size=None, sample_size_not_reported=True, year=None, age_min=None)
    study.refresh_from_db()
    assert study.sample_size is None
    assert study.year is None


def test_the_database_refuses_a_negative_arm_size():
    assert_database_refuses(lambda: make_arm(participants=-5))


def test_the_database_refuses_an_exosome_source_on_a_non_exosome_intervention():
    assert_database_refuses(
        lambda: make_intervention(
            intervention_class=Intervention.InterventionClass.PLACEBO,
            exosome_source=Intervention.ExosomeSource.ADSC,
        )
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"timepoint_value": -4},
        {"dispersion_type": "sd", "dispersion_value": "-1.2"},
        {"dispersion_type": "ci95", "dispersion_lower": "9", "dispersion_upper": "3"},
        {"statistic": "percent_of_participants", "value": "112"},
        {"statistic": "percent_of_participants", "value": "-1"},
        {"statistic": "percent_of_participants", "value": None, "follow_up": "101"},
        {"n_analysed": -3},
    ],
    ids=str,
)
def test_the_database_refuses_an_impossible_result(fields):
    assert_database_refuses(lambda: make_result(**fields))


def test_the_database_accepts_a_negative_change_and_a_percent_change_above_100():
    lower = make_result(statistic=OutcomeResult.Statistic.MEAN_CHANGE, value="-20.5")
    higher = make_result(statistic=OutcomeResult.Statistic.PERCENT_CHANGE, value="150")
    lower.refresh_from_db()
    higher.refresh_from_db()
    assert lower.value == Decimal("-20.5")
    assert higher.value == Decimal("150")


@pytest.mark.parametrize(
    "fields",
    [
        {"participants_affected": 12, "participants_at_risk": 10},
        {"participants_affected": -1, "participants_at_risk": None},
        {"number_of_events": -2},
    ],
    ids=str,
)
def test_the_database_refuses_an_impossible_adverse_event(fields):
    assert_database_refuses(lambda: make_adverse_event(**fields))


def test_an_adverse_event_count_may_be_unknown():
    event = make_adverse_event(participants_affected=None, participants_at_risk=None)
    event.refresh_from_db()
    assert event.participants_affected is None
    assert AdverseEvent.objects.get().participants_at_risk is None


def test_the_same_rules_reach_the_validation_curators_see():
    study = Study(
        title="Bad ages",
        slug="bad-ages",
        verification=Study.Verification.ABSTRACT,
        age_min=Decimal("50"),
        age_max=Decimal("30"),
    )
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert "The youngest age (50) cannot be above the oldest age (30)." in str(error.value)


def test_a_year_in_the_future_is_refused_with_the_year_named():
    study = make_study()
    study.year = 2999
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert "The year (2999) cannot be in the future" in str(error.value)


def test_an_exosome_intervention_needs_a_source_or_an_explicit_not_stated():
    intervention = Intervention(
        arm=make_arm(), intervention_class=Intervention.InterventionClass.EXOSOME, exosome_source=""
    )
    with pytest.raises(ValidationError) as error:
        intervention.full_clean()
    assert "Not stated" in str(error.value)


def test_unknown_values_stay_unknown_and_are_never_zero():
    measure = make_measure(unit="")
    result = make_result(measure=measure, statistic="", value=None, result_text="significant increase")
    result.refresh_from_db()
    assert result.value is None
    assert result.baseline is None
    assert result.n_analysed is None


@pytest.mark.parametrize(
    ("stored", "written"),
    [("9.5", "9.5"), ("3.00", "3.00"), ("0.003", "0.003"), ("-20.0", "-20.0"), ("1E+2", "100"), ("-0.0", "0.0")],
)
def test_numbers_are_written_with_the_places_they_were_printed_with(stored, written):
    assert plain_number(Decimal(stored)) == written


@pytest.mark.parametrize("typed", ["3.00", "22.0", "6.5", "0.003", "9999999999.999999", "1234567890.123456", "-2.11"])
def test_a_number_comes_back_from_the_database_exactly_as_typed(typed):
    result = make_result(value=typed, baseline=typed, dispersion_type="sd", dispersion_value=typed.lstrip("-"))
    result.refresh_from_db()
    assert (str(result.value), str(result.baseline), str(result.dispersion_value)) == (typed, typed, typed.lstrip("-"))


def test_ages_keep_their_printed_places():
    study = make_study(age_min="22.0", age_max="65")
    study.refresh_from_db()
    assert (str(study.age_min), str(study.age_max)) == ("22.0", "65")


def test_time_points_sort_as_numbers_not_as_text():
    measure = make_measure()
    for weeks in ("12", "4", "26", "0"):
        make_result(measure=measure, timepoint_value=weeks, position=0)
    assert [str(result.timepoint_value) for result in measure.results.all()] == ["0", "4", "12", "26"]


def test_numbers_beyond_what_is_kept_are_refused_with_a_message():
    result = make_result()
    result.value = Decimal("12345678901.5")
    with pytest.raises(ValidationError) as refusal:
        result.full_clean()
    assert "digits" in str(refusal.value.message_dict["value"])
    result.value = Decimal("1.1234567")
    with pytest.raises(ValidationError) as refusal:
        result.full_clean()
    assert "decimal places" in str(refusal.value.message_dict["value"])


def test_a_timepoint_reads_naturally():
    assert make_result(timepoint_value=12, timepoint_unit="months").timepoint_display == "12 months"
    assert make_result(timepoint_value=1, timepoint_unit="months").timepoint_display == "1 month"
    assert make_result(timepoint_label="3 months after the last session").timepoint_display == (
        "3 months after the last session"
    )


def test_every_curated_model_keeps_a_history():
    study = make_study(title="Before")
    study.title = "After"
    study.save()
    assert [record.title for record in study.history.all()] == ["After", "Before"]
    arm = make_arm(study=study)
    assert arm.history.count() == 1
