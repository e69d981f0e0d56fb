"""Rules that hold for every row, whoever writes it: the database itself refuses bad rows."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from studies.models import AdverseEvent, Intervention, OutcomeResult, Study, plain_number, rounded_percent
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


def test_the_countries_of_studies_respect_the_studies_they_are_asked_of():
    make_study(country="India", condition=Study.Condition.ALOPECIA_AREATA)
    make_study(country="Brazil")
    make_study(country="China", status=Study.Status.DRAFT)
    make_study(country="")
    assert Study.objects.published().countries() == ["Brazil", "India"]
    assert Study.objects.published().filter(condition=Study.Condition.ALOPECIA_AREATA).countries() == ["India"]
    assert Study.objects.countries() == ["Brazil", "China", "India"]


# Facts computed from what a source reports: one home each, read by the pages, charts and exports.


def test_a_change_from_baseline_is_follow_up_minus_baseline_exactly():
    result = make_result(statistic=OutcomeResult.Statistic.MEAN, value=None, baseline="79.6", follow_up="59.6")
    result.refresh_from_db()
    assert result.change_from_baseline == Decimal("-20.0")
    assert result.percent_change == Decimal("-20.0") * 100 / Decimal("79.6")
    assert result.change_is_computed


def test_a_result_that_reports_a_change_gives_its_own_value():
    mean_change = make_result(statistic=OutcomeResult.Statistic.MEAN_CHANGE, value="35", baseline="60", follow_up="90")
    percent = make_result(statistic=OutcomeResult.Statistic.PERCENT_CHANGE, value="-12.5", baseline="8", follow_up="7")
    assert mean_change.change_from_baseline == Decimal("35")
    assert percent.percent_change == Decimal("-12.5")
    assert not mean_change.change_is_computed and not percent.change_is_computed


@pytest.mark.parametrize(
    ("fields", "change", "percent"),
    [
        ({"baseline": "0", "follow_up": "4"}, Decimal("4"), None),
        ({"baseline": "50", "follow_up": None}, None, None),
        ({"baseline": None, "follow_up": "50"}, None, None),
        ({"baseline": None, "follow_up": None}, None, None),
    ],
    ids=["baseline zero", "no follow-up", "no baseline", "neither"],
)
def test_a_change_that_cannot_be_computed_is_none_never_zero(fields, change, percent):
    result = make_result(statistic=OutcomeResult.Statistic.MEAN, value="4", **fields)
    assert result.change_from_baseline == change
    assert result.percent_change is percent


def test_a_percent_change_is_shown_with_two_decimals_rounded_half_up():
    assert rounded_percent(Decimal("-25.125")) == Decimal("-25.13")
    assert rounded_percent(Decimal("12.344")) == Decimal("12.34")
    assert rounded_percent(None) is None
    # A computed figure is not a measurement: +10% is not printed as +10.00%.
    assert str(rounded_percent(Decimal("10"))) == "10" and str(rounded_percent(Decimal("12.5"))) == "12.5"
    assert str(rounded_percent(Decimal("100.001"))) == "100"


@pytest.mark.parametrize(
    ("ages", "text"),
    [
        ({}, "not reported"),
        ({"age_min": 22, "age_max": 65}, "22 to 65 years"),
        ({"age_min": 40, "age_max": 40}, "40 years"),
        ({"age_min": 18}, "youngest 18 years, oldest not reported"),
        ({"age_max": Decimal("70.5")}, "oldest 70.5 years, youngest not reported"),
        ({"age_min": 22, "age_max": 65, "age_mean": Decimal("38.4")}, "22 to 65 years; mean 38.4 years"),
        ({"age_median": 41}, "median 41 years"),
    ],
    ids=str,
)
def test_a_study_states_its_age_range_in_words(ages, text):
    assert make_study(**ages).age_text == text


@pytest.mark.parametrize(
    ("sizes", "text"),
    [
        ({"sample_size": 20}, "20"),
        ({"sample_size": 20, "planned_sample_size": 24}, "20 (planned 24)"),
        ({"sample_size": None, "planned_sample_size": 40}, "not reported (planned 40)"),
        ({"sample_size": None}, "not reported"),
    ],
    ids=str,
)
def test_a_study_states_its_enrolment_in_words_never_as_zero(sizes, text):
    assert make_study(**sizes).enrolment_text == text


def test_a_study_says_what_kind_of_results_it_has_with_or_without_annotations():
    numbers = make_study(title="Numbers")
    make_result(measure=make_measure(study=numbers))
    words = make_study(title="Words")
    make_result(measure=make_measure(study=words), statistic="", value=None, result_text="improved")
    make_study(title="Planned", results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
    make_study(title="Empty")
    expected = {
        "Numbers": "Numeric results",
        "Words": "In words only",
        "Planned": "Registered, no results yet",
        "Empty": "None recorded yet",
    }
    for studies in (Study.objects.all(), Study.objects.with_numeric_results()):
        assert {study.title: study.results_kind for study in studies} == expected
