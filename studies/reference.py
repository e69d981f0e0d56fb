"""The reference studies the tracker ships with, and how they become and stay database records.

A reference study is created published. When the reference data changes later (a new study, a
corrected fact), loading again brings the database up to date: what is missing is created, and a
record no curator has touched since it was loaded is corrected field by field, each change kept in
its history with the reason "Reference data correction". A study a curator has edited is never
overwritten; the loader reports how it differs from the reference data, for a curator to decide.
"""

import copy
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import models, transaction

from studies.history import study_history_records
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
    plain_number,
)

REFERENCE_FILE = Path(__file__).resolve().parent / "reference_data" / "studies.yaml"
LOADED_REASON = "Loaded from the reference data"
CORRECTION_REASON = "Reference data correction"
LOADER_REASONS = {LOADED_REASON, CORRECTION_REASON}
# Kept by the workflow and the database, not facts a source reports.
NOT_COMPARED = {"id", "status", "version", "synthetic", "created_at", "updated_at"}


def read_reference_studies(path=REFERENCE_FILE):
    """The entries of the reference file, a fresh copy each time (callers may change them)."""
    return copy.deepcopy(parsed_reference_file(path))


def parsed_reference_file(path):
    return read_yaml(path)["studies"]


@functools.cache
def read_yaml(path):
    """A reference file, parsed once per process; callers copy what they change."""
    # libyaml's parser when PyYAML has it: the files are read on every load, and in tests very often.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


@dataclass
class StudyRecords:
    """A study and its parts, either planned from the reference data (unsaved) or read from the database."""

    study: Study
    registrations: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    arms: list = field(default_factory=list)  # (arm, [interventions])
    measures: list = field(default_factory=list)  # (measure, [results], [comparisons])
    adverse_events: list = field(default_factory=list)


def planned_records(data, status=Study.Status.PUBLISHED):
    """The records one entry of the reference data describes, not saved yet."""
    data = copy.deepcopy(data)
    arms = data.pop("arms", [])
    measures = data.pop("measures", [])
    adverse_events = data.pop("adverse_events", [])
    sources = data.pop("sources", [])
    registrations = data.pop("registrations", [])

    planned = StudyRecords(Study(status=status, **data))
    planned.registrations = [Registration(identifier=identifier) for identifier in sorted(registrations)]
    for position, source in enumerate(sources):
        source["urls"] = "\n".join(source.get("urls", []))
        planned.sources.append(Source(position=position, **source))
    arms_by_label = {}
    for position, arm_data in enumerate(arms):
        interventions = arm_data.pop("interventions", [])
        arm = Arm(position=position, **arm_data)
        arms_by_label[arm.label] = arm
        planned.arms.append(
            (arm, [Intervention(arm=arm, position=order, **values) for order, values in enumerate(interventions)])
        )
    for position, measure_data in enumerate(measures):
        results = measure_data.pop("results", [])
        comparisons = measure_data.pop("comparisons", [])
        measure = OutcomeMeasure(position=position, **measure_data)
        planned_results = []
        for order, result in enumerate(results):
            arm = arms_by_label.get(result.pop("arm", None))
            planned_results.append(OutcomeResult(measure=measure, arm=arm, position=order, **result))
        planned_comparisons = [ArmComparison(measure=measure, **comparison) for comparison in comparisons]
        planned.measures.append((measure, planned_results, planned_comparisons))
    for event in adverse_events:
        planned.adverse_events.append(AdverseEvent(arm=arms_by_label.get(event.pop("arm", None)), **event))
    return planned


def stored_records(study):
    """The study and its parts as they are in the database, in the order the reference data lists them."""
    stored = StudyRecords(study)
    stored.registrations = list(study.registrations.order_by("identifier"))
    stored.sources = list(study.sources.all())
    stored.arms = [(arm, list(arm.interventions.all())) for arm in study.arms.all()]
    stored.measures = [
        (measure, list(measure.results.select_related("arm")), list(measure.comparisons.all()))
        for measure in study.measures.all()
    ]
    stored.adverse_events = list(study.adverse_events.select_related("arm"))
    return stored


def save_checked(record, reason):
    """Save through the same validation the admin applies, and say why in the history."""
    # Planned records point at parents that had no id yet when they were planned.
    for model_field in record._meta.concrete_fields:
        if model_field.is_relation and model_field.is_cached(record):
            parent = model_field.get_cached_value(record)
            if parent is not None:
                setattr(record, model_field.attname, parent.pk)
    # The database checks each row's constraints as it is saved, in the same transaction, so the
    # loader does not ask it a second time, one query per constraint, before every save.
    record.full_clean(validate_constraints=False)
    record._change_reason = reason
    record.save()
    return record


@transaction.atomic
def create_study(data, status=Study.Status.PUBLISHED, reason=LOADED_REASON):
    """Create a study and all its parts from one entry of the reference data."""
    planned = planned_records(data, status)
    study = save_checked(planned.study, reason)
    for record in planned.registrations + planned.sources:
        record.study = study
        save_checked(record, reason)
    for arm, interventions in planned.arms:
        arm.study = study
        save_checked(arm, reason)
        for intervention in interventions:
            save_checked(intervention, reason)
    for measure, results, comparisons in planned.measures:
        measure.study = study
        save_checked(measure, reason)
        for record in results + comparisons:
            save_checked(record, reason)
    for event in planned.adverse_events:
        event.study = study
        save_checked(event, reason)
    return study


# Comparing and correcting


def facts(record):
    """What a record says, field by field, in comparable form; the arm it belongs to by its label."""
    values = {}
    for model_field in record._meta.concrete_fields:
        if model_field.name in NOT_COMPARED or (model_field.is_relation and model_field.name != "arm"):
            continue
        if model_field.name == "arm":
            values["arm"] = record.arm.label if record.arm is not None else None
        else:
            values[model_field.name] = model_field.to_python(getattr(record, model_field.attname))
    return values


def shown(value):
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, int | Decimal):
        return plain_number(value)
    return f"'{value}'"


def describe(record):
    name = record._meta.verbose_name
    label = getattr(record, "label", None) or getattr(record, "name", None) or getattr(record, "identifier", None)
    if isinstance(record, OutcomeResult | ArmComparison):
        where = record.arm.label if getattr(record, "arm", None) is not None else "whole study"
        return f"{name} of '{record.measure.name}' ({where}, {record.timepoint_display or 'time not stated'})"
    if isinstance(record, Intervention):
        return f"{name} {record.position + 1} of arm '{record.arm.label}'"
    if isinstance(record, Study):
        return "study"
    return f"{name} '{label}'" if label else f"{name} {getattr(record, 'position', 0) + 1}"


@dataclass
class Change:
    """One way the database differs from the reference data, and how to correct it."""

    stored: models.Model | None  # None: missing from the database
    planned: models.Model | None  # None: no longer in the reference data
    fields: dict = field(default_factory=dict)  # name -> (stored value, reference value)

    def __str__(self):
        if self.stored is None:
            return f"missing {describe(self.planned)}"
        if self.planned is None:
            return f"{describe(self.stored)} is no longer in the reference data"
        changes = ", ".join(f"{name} {shown(old)} -> {shown(new)}" for name, (old, new) in self.fields.items())
        return f"{describe(self.stored)}: {changes}"


def paired(stored_list, planned_list):
    """Records matched by their order, which the reference data fixes."""
    for index in range(max(len(stored_list), len(planned_list))):
        yield (
            stored_list[index] if index < len(stored_list) else None,
            planned_list[index] if index < len(planned_list) else None,
        )


def same(stored, planned):
    """Equal as printed: 3.00 is not the same fact as 3."""
    if isinstance(stored, Decimal) and isinstance(planned, Decimal):
        return str(stored) == str(planned)
    return stored == planned


def record_changes(stored, planned):
    if stored is None or planned is None:
        return [Change(stored, planned)]
    before, after = facts(stored), facts(planned)
    differing = {name: (before[name], after[name]) for name in after if not same(before[name], after[name])}
    return [Change(stored, planned, differing)] if differing else []


def differences(stored, planned):
    """Every change that would bring the stored records in line with the planned ones, parents first."""
    changes = record_changes(stored.study, planned.study)
    for stored_list, planned_list in (
        (stored.registrations, planned.registrations),
        (stored.sources, planned.sources),
    ):
        for old, new in paired(stored_list, planned_list):
            changes += record_changes(old, new)
    for old, new in paired(stored.arms, planned.arms):
        changes += record_changes(old and old[0], new and new[0])
        for old_part, new_part in paired(old[1] if old else [], new[1] if new else []):
            changes += record_changes(old_part, new_part)
    for old, new in paired(stored.measures, planned.measures):
        changes += record_changes(old and old[0], new and new[0])
        for index in (1, 2):
            for old_part, new_part in paired(old[index] if old else [], new[index] if new else []):
                changes += record_changes(old_part, new_part)
    for old, new in paired(stored.adverse_events, planned.adverse_events):
        changes += record_changes(old, new)
    return changes


def apply_corrections(study, changes):
    """Correct the stored records, creating what is missing and removing what the reference dropped."""
    arms_by_label = {}

    def stored_arm(arm):
        return None if arm is None else arms_by_label.get(arm.label) or study.arms.get(label=arm.label)

    removed = []
    for change in changes:
        if change.planned is None:
            removed.append(change.stored)
            continue
        record = change.stored
        if record is None:
            record = change.planned
            if hasattr(record, "study_id") and record.study_id is None:
                record.study = study
            if hasattr(record, "measure_id") and record.measure_id is None:
                record.measure = study.measures.get(name=record.measure.name)
        for name, (_old, new) in change.fields.items():
            if name != "arm":  # compared by label; set below
                setattr(record, name, new)
        if isinstance(record, Intervention) and record.arm_id is None:
            record.arm = stored_arm(record.arm)
        if isinstance(record, OutcomeResult | AdverseEvent) and "arm" in facts(change.planned):
            record.arm = stored_arm(change.planned.arm)
        save_checked(record, CORRECTION_REASON)
        if isinstance(record, Arm):
            arms_by_label[record.label] = record
    for record in reversed(removed):
        record._change_reason = CORRECTION_REASON
        record.delete()


def edited_since_loaded(*histories):
    """Whether any of these history records (of a reference record and its parts) was made by anyone
    but the loader: then a curator has edited it, and the loader leaves it alone."""
    return any(record.history_change_reason not in LOADER_REASONS for history in histories for record in history)


def edited_by_a_curator(study):
    """Whether anyone but the loader has changed the study or any of its parts since it was loaded."""
    return edited_since_loaded(study_history_records(study.pk))


@dataclass
class Outcome:
    slug: str
    action: str  # created, corrected, unchanged, conflict
    changes: list = field(default_factory=list)

    def __str__(self):
        if self.action == "created":
            return f"{self.slug}: created"
        if self.action == "unchanged":
            return f"{self.slug}: unchanged"
        details = "; ".join(str(change) for change in self.changes)
        if self.action == "corrected":
            return f"{self.slug}: corrected: {details}"
        return f"{self.slug}: conflict: edited by a curator, left as it is; the reference data differs: {details}"


@transaction.atomic
def update_study(study, data):
    changes = differences(stored_records(study), planned_records(data, status=study.status))
    if not changes:
        return Outcome(study.slug, "unchanged")
    if edited_by_a_curator(study):
        return Outcome(study.slug, "conflict", changes)
    apply_corrections(study, changes)
    study.refresh_from_db()
    study.bump_version()
    return Outcome(study.slug, "corrected", changes)


def load_reference_studies(entries=None):
    """Bring the database up to date with the reference data; returns one Outcome per reference study."""
    outcomes = []
    for data in entries if entries is not None else read_reference_studies():
        existing = Study.objects.filter(slug=data["slug"]).first()
        if existing is None:
            create_study(data)
            outcomes.append(Outcome(data["slug"], "created"))
        else:
            outcomes.append(update_study(existing, data))
    return outcomes
