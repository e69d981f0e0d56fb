"""Small builders for test data: each makes a valid record and takes overrides."""

import itertools

from studies.models import AdverseEvent, Arm, Intervention, OutcomeMeasure, OutcomeResult, Registration, Source, Study

_numbers = itertools.count(1)


def make_study(**overrides):
    number = next(_numbers)
    fields = {
        "title": f"Study {number}",
        "slug": f"study-{number}",
        "condition": Study.Condition.ANDROGENETIC_ALOPECIA,
        "design": Study.Design.PROSPECTIVE_SINGLE_ARM,
        "publication_type": Study.PublicationType.PEER_REVIEWED,
        "verification": Study.Verification.ABSTRACT,
        "adverse_event_status": Study.AdverseEventStatus.NOT_REPORTED,
        "status": Study.Status.PUBLISHED,
        "sample_size": 20,
        "year": 2024,
    }
    fields.update(overrides)
    return Study.objects.create(**fields)


def make_arm(study=None, **overrides):
    fields = {"label": f"Arm {next(_numbers)}", "role": Arm.Role.EXPERIMENTAL, "participants": 10}
    fields.update(overrides)
    return Arm.objects.create(study=study or make_study(), **fields)


def make_intervention(arm=None, **overrides):
    fields = {
        "intervention_class": Intervention.InterventionClass.EXOSOME,
        "exosome_source": Intervention.ExosomeSource.ADSC,
        "route": Intervention.Route.TOPICAL,
    }
    fields.update(overrides)
    return Intervention.objects.create(arm=arm or make_arm(), **fields)


def make_measure(study=None, **overrides):
    fields = {
        "name": f"hair density {next(_numbers)}",
        "category": OutcomeMeasure.Category.HAIR_DENSITY,
        "unit": "hairs/cm2",
    }
    fields.update(overrides)
    return OutcomeMeasure.objects.create(study=study or make_study(), **fields)


def make_result(measure=None, **overrides):
    fields = {
        "statistic": OutcomeResult.Statistic.MEAN_CHANGE,
        "value": "12.5",
        "timepoint_value": 12,
        "timepoint_unit": OutcomeResult.Unit.WEEKS,
    }
    fields.update(overrides)
    return OutcomeResult.objects.create(measure=measure or make_measure(), **fields)


def make_adverse_event(study=None, **overrides):
    fields = {"term": "Scalp erythema", "participants_affected": 2, "participants_at_risk": 10}
    fields.update(overrides)
    return AdverseEvent.objects.create(study=study or make_study(), **fields)


def make_source(study=None, **overrides):
    fields = {"relation": Source.Relation.PRIMARY_RESULTS, "citation": "Author A. A study. J Test. 2024."}
    fields.update(overrides)
    return Source.objects.create(study=study or make_study(), **fields)


def make_registration(study=None, identifier="NCT01234567"):
    return Registration.objects.create(study=study or make_study(), identifier=identifier)


def make_study_with_change(change="10", arm_participants=10, **study_overrides):
    """A published study whose single arm reports a mean change in hair density at 12 weeks."""
    study = make_study(**study_overrides)
    arm = make_arm(study=study, participants=arm_participants)
    make_intervention(arm=arm)
    make_result(measure=make_measure(study=study), arm=arm, value=change)
    return study
