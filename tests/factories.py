"""Small builders for test data: each makes a valid record and takes overrides."""

import itertools

from studies.models import (
    TOOLS,
    AdverseEvent,
    Appraisal,
    AppraisalJudgement,
    Arm,
    ArmComparison,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Registration,
    Source,
    Study,
    proposed_tool,
)

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


def make_comparison(measure=None, **overrides):
    fields = {"description": "Exosome vs placebo", "result_text": "Wilcoxon W = 86.5, p = 0.006", "p_value": "0.006"}
    fields.update(overrides)
    return ArmComparison.objects.create(measure=measure or make_measure(), **fields)


def make_study_with_everything(**overrides):
    """A controlled trial with every part a study can have: two arms, two measures with results per
    arm and a between-arm comparison, adverse events per arm, a source and a registration."""
    study = make_study(design=Study.Design.RANDOMIZED_CONTROLLED, **overrides)
    Registration.objects.create(study=study, identifier=f"NCT{study.pk:08d}")
    make_source(study, doi=f"10.1000/test.{study.pk}", pmid=str(1000 + study.pk))
    treated = make_arm(study, label="Exosome", participants=10)
    placebo = make_arm(study, label="Placebo", role=Arm.Role.PLACEBO_COMPARATOR, participants=10, position=1)
    make_intervention(treated, product="Test exosome")
    make_intervention(placebo, intervention_class=Intervention.InterventionClass.PLACEBO, exosome_source="")
    for name, unit in (("hair density", "hairs/cm2"), ("hair diameter", "µm")):
        measure = make_measure(study, name=name, unit=unit)
        make_result(
            measure, arm=treated, baseline="80.5", follow_up="95.25", dispersion_type="sd", dispersion_value="6.5"
        )
        make_result(measure, arm=placebo, baseline="81", follow_up="82", n_analysed=10, p_value="<0.05")
        make_comparison(measure)
    make_adverse_event(study, arm=treated, term="Scalp erythema", participants_affected=2, participants_at_risk=10)
    make_adverse_event(study, arm=placebo, term="Itch", participants_affected=1, participants_at_risk=10)
    return study


def make_registration(study=None, identifier="NCT01234567"):
    return Registration.objects.create(study=study or make_study(), identifier=identifier)


def make_study_with_change(change="10", arm_participants=10, **study_overrides):
    """A published study whose single arm reports a mean change in hair density at 12 weeks."""
    study = make_study(**study_overrides)
    arm = make_arm(study=study, participants=arm_participants)
    make_intervention(arm=arm)
    make_result(measure=make_measure(study=study), arm=arm, value=change)
    return study


def make_study_of_size(size, **overrides):
    """A study with `size` arms, each with an exosome intervention and an adverse event, and `size`
    measures with a result for every arm: for checking that a page's queries do not grow with it."""
    study = make_study(**overrides)
    make_registration(study=study, identifier=f"NCT{study.pk:08d}")
    make_source(study=study)
    arms = [make_arm(study=study) for _ in range(size)]
    for arm in arms:
        make_intervention(arm=arm)
        make_adverse_event(study=study, arm=arm)
    for _ in range(size):
        measure = make_measure(study=study)
        for arm in arms:
            make_result(measure=measure, arm=arm)
    return study


def make_appraisal(study=None, judgements=None, **overrides):
    """A published appraisal with the tool the study's design fits, every domain 'not assessed' unless
    `judgements` ({domain code: judgement}) says otherwise."""
    study = study or make_study()
    tool = TOOLS[proposed_tool(study)]
    fields = {
        "tool": tool.code,
        "overall": "not_assessed" if tool.has_overall else "",
        "status": Appraisal.Status.PUBLISHED,
    }
    fields.update(overrides)
    appraisal = Appraisal.objects.create(study=study, **fields)
    for domain in appraisal.tool_definition.domains:
        judgement = (judgements or {}).get(domain.code, "not_assessed")
        AppraisalJudgement.objects.create(appraisal=appraisal, domain=domain.code, judgement=judgement)
    return appraisal
