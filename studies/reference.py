"""The reference studies the tracker ships with, and how they become database records."""

import copy
from pathlib import Path

import yaml
from django.db import transaction

from studies.models import (
    AdverseEvent,
    Arm,
    ArmComparison,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Registration,
    Source,
    Study,
)

REFERENCE_FILE = Path(__file__).resolve().parent / "reference_data" / "studies.yaml"
LOADED_REASON = "Loaded from the reference data"


def read_reference_studies(path=REFERENCE_FILE):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["studies"]


def save_checked(record, reason):
    """Save through the same validation the admin applies, and say why in the history."""
    record.full_clean()
    record._change_reason = reason
    record.save()
    return record


@transaction.atomic
def create_study(data, status=Study.Status.PUBLISHED, reason=LOADED_REASON):
    """Create a study and all its parts from one entry of the reference data."""
    data = copy.deepcopy(data)
    arms = data.pop("arms", [])
    measures = data.pop("measures", [])
    adverse_events = data.pop("adverse_events", [])
    sources = data.pop("sources", [])
    registrations = data.pop("registrations", [])

    study = save_checked(Study(status=status, **data), reason)
    for identifier in registrations:
        save_checked(Registration(study=study, identifier=identifier), reason)
    for position, source in enumerate(sources):
        source["urls"] = "\n".join(source.get("urls", []))
        save_checked(Source(study=study, position=position, **source), reason)

    arms_by_label = {}
    for position, arm_data in enumerate(arms):
        interventions = arm_data.pop("interventions", [])
        arm = save_checked(Arm(study=study, position=position, **arm_data), reason)
        arms_by_label[arm.label] = arm
        for intervention_position, intervention in enumerate(interventions):
            save_checked(Intervention(arm=arm, position=intervention_position, **intervention), reason)

    for position, measure_data in enumerate(measures):
        results = measure_data.pop("results", [])
        comparisons = measure_data.pop("comparisons", [])
        measure = save_checked(OutcomeMeasure(study=study, position=position, **measure_data), reason)
        for result_position, result in enumerate(results):
            arm = arms_by_label[result.pop("arm")] if "arm" in result else None
            save_checked(OutcomeResult(measure=measure, arm=arm, position=result_position, **result), reason)
        for comparison in comparisons:
            save_checked(ArmComparison(measure=measure, **comparison), reason)

    for event in adverse_events:
        arm = arms_by_label[event.pop("arm")] if "arm" in event else None
        save_checked(AdverseEvent(study=study, arm=arm, **event), reason)
    return study


def load_reference_studies(entries=None):
    """Create every reference study that is not in the database yet.

    A study already present is never touched, so a curator's later edits survive.
    Returns (slug, what happened) pairs.
    """
    outcomes = []
    for data in entries if entries is not None else read_reference_studies():
        existing = Study.objects.filter(slug=data["slug"]).first()
        if existing is None:
            create_study(data)
            outcomes.append((data["slug"], "created"))
        elif existing.history.exclude(history_change_reason=LOADED_REASON).exists():
            outcomes.append((data["slug"], "skipped: edited by a curator since it was loaded, left as it is"))
        else:
            outcomes.append((data["slug"], "skipped: already loaded"))
    return outcomes
