"""What limits each study, computed from its recorded facts: on the study page, in the list, and as filters."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from studies.models import Intervention, Study
from studies.models.limitations import RULES
from tests.factories import make_arm, make_intervention, make_registration, make_study

pytestmark = pytest.mark.django_db


def codes(study):
    return [limitation.code for limitation in Study.objects.get(pk=study.pk).limitations]


def sound_study(**overrides):
    """A study with none of the limitations: randomised, 60 people, peer-reviewed, read in full,
    registered, exosomes alone, harms reported."""
    fields = {
        "design": Study.Design.RANDOMIZED_CONTROLLED,
        "sample_size": 60,
        "verification": Study.Verification.FULL_TEXT,
        "adverse_event_status": Study.AdverseEventStatus.NONE_OBSERVED,
        **overrides,
    }
    study = make_study(**fields)
    make_registration(study, identifier=f"NCT{study.pk:08d}")
    make_intervention(make_arm(study, participants=30))
    return study


def test_the_39_patient_study_is_known_only_through_a_review_with_no_control_group_known(reference_studies):
    study = Study.objects.get(slug="adsc-exosome-topical-aga-39")
    assert [(limitation.code, limitation.label) for limitation in study.limitations] == [
        ("no_control_group", "No control group known"),
        ("secondary_only", "Facts from a secondary source only"),
        ("no_registration", "No trial registration"),
    ]


def test_amini_2025_is_randomised_but_small_and_read_in_its_abstract(reference_studies):
    assert codes(Study.objects.get(slug="amini-2025-exosome-plant-extract-rct")) == ["small", "abstract_only"]


def test_microneedling_given_with_exosomes_is_named_as_a_co_treatment(reference_studies):
    wan = Study.objects.get(slug="wan-2025-microneedling-topical-exosome")
    (co_treatment,) = [limitation for limitation in wan.limitations if limitation.code == "co_treatment"]
    assert "microneedling" in co_treatment.explanation
    koumprentziotis = Study.objects.get(slug="koumprentziotis-2025-mnrf-topical-exosome")
    assert (
        "microneedling radiofrequency"
        in [lim for lim in koumprentziotis.limitations if lim.code == "co_treatment"][0].explanation
    )


def test_a_completed_trial_without_results_after_12_months_is_overdue(reference_studies):
    trial = Study.objects.get(slug="nct06239207")
    assert "results_overdue" in codes(trial) and "safety_not_reported" in codes(trial)
    (overdue,) = [limitation for limitation in trial.limitations if limitation.code == "results_overdue"]
    assert "21 July 2024" in overdue.explanation


def test_a_trial_completed_less_than_12_months_ago_is_not_yet_overdue():
    recent = sound_study(
        results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS,
        registry_status="completed",
        end_date=timezone.now().date() - timedelta(days=300),
    )
    assert "results_overdue" not in codes(recent)
    Study.objects.filter(pk=recent.pk).update(end_date=timezone.now().date() - timedelta(days=400))
    assert "results_overdue" in codes(recent)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"design": Study.Design.PROSPECTIVE_SINGLE_ARM}, "no_control_group"),
        ({"design": Study.Design.NOT_STATED}, "no_control_group"),
        ({"sample_size": 29}, "small"),
        ({"publication_type": Study.PublicationType.PREPRINT}, "not_peer_reviewed"),
        ({"verification": Study.Verification.SECONDARY}, "secondary_only"),
        ({"verification": Study.Verification.ABSTRACT}, "abstract_only"),
        ({"adverse_event_status": Study.AdverseEventStatus.NOT_REPORTED}, "safety_not_reported"),
    ],
)
def test_each_fact_brings_its_limitation_and_nothing_else(overrides, code):
    assert codes(sound_study(**overrides)) == [code]


def test_a_co_treatment_counts_only_in_an_arm_given_exosomes():
    study = sound_study()
    comparator = make_arm(study, participants=30, label="Microneedling alone")
    make_intervention(comparator, intervention_class=Intervention.InterventionClass.MICRONEEDLING, exosome_source="")
    assert codes(study) == []
    make_intervention(study.arms.first(), intervention_class=Intervention.InterventionClass.LASER, exosome_source="")
    assert codes(study) == ["co_treatment"]


def test_an_unregistered_study_says_so():
    study = sound_study()
    study.registrations.all().delete()
    assert codes(study) == ["no_registration"]


def test_the_study_page_shows_each_limitation_with_its_explanation_or_says_there_are_none(client):
    small = sound_study(slug="small-trial", sample_size=12)
    page = client.get(reverse("studies:detail", args=["small-trial"])).text
    assert '<span class="badge badge-limitation">Fewer than 30 participants</span> 12 took part' in page
    assert small.limitations[0].label == "Fewer than 30 participants"
    sound_study(slug="sound-trial")
    page = client.get(reverse("studies:detail", args=["sound-trial"])).text
    assert "None of the limitations the tracker looks for." in page and "badge-limitation" not in page


def test_the_list_shows_each_studys_limitations_and_none_for_a_study_without(client):
    sound_study(title="Sound trial")
    sound_study(title="Preprint trial", publication_type=Study.PublicationType.PREPRINT)
    cards = {
        card.split("</a>")[0].split(">")[-1]: card
        for card in client.get(reverse("studies:list")).text.split('class="study-card"')[1:]
    }
    assert "badge-limitation" not in cards["Sound trial"]
    assert '<li class="badge badge-limitation">Not peer-reviewed</li>' in cards["Preprint trial"]
    assert "Preprint (not peer-reviewed): no independent reviewer checked it" in cards["Preprint trial"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"has_control_group": "true"}, {"Randomised"}),
        ({"has_control_group": "false"}, {"Single arm", "Preprint"}),
        ({"peer_reviewed": "true"}, {"Randomised", "Single arm"}),
        ({"peer_reviewed": "false"}, {"Preprint"}),
    ],
)
def test_the_list_filters_by_control_group_and_peer_review(client, query, expected):
    sound_study(title="Randomised")
    sound_study(title="Single arm", design=Study.Design.PROSPECTIVE_SINGLE_ARM)
    sound_study(title="Preprint", design=Study.Design.CASE_SERIES, publication_type=Study.PublicationType.PREPRINT)
    response = client.get(reverse("studies:list"), query)
    assert {study.title for study in response.context["object_list"]} == expected
    assert response.status_code == 200


def test_the_methods_page_says_what_each_limitation_means(client):
    page = client.get(reverse("studies:methods")).text
    for code, label, _when in RULES:
        assert f'<dt id="limitation-{code}">{label}</dt>' in page


def test_the_api_gives_a_studys_limitations_as_its_page_does(client, reference_studies):
    data = client.get(reverse("api:study-detail", args=["amini-2025-exosome-plant-extract-rct"])).json()
    assert [(item["code"], item["label"]) for item in data["limitations"]] == [
        ("small", "Fewer than 30 participants"),
        ("abstract_only", "Facts from the abstract only"),
    ]
