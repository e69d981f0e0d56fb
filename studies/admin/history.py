"""One page with every change to a study and to each of its parts, field by field."""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, groupby

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


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    record: object
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def part(self):
        return self.record.instance_type._meta.verbose_name.capitalize()


def readable(model, field_name, value):
    if value is None or value == "":
        return "(empty)"
    model_field = model._meta.get_field(field_name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, Decimal):
        return plain_number(value)
    return str(value)


def study_history_records(study_id):
    # Parts that were deleted keep their history rows, so the ids come from history, not from live rows.
    arm_ids = Arm.history.filter(study_id=study_id).values("id")
    measure_ids = OutcomeMeasure.history.filter(study_id=study_id).values("id")
    querysets = [
        Study.history.filter(id=study_id),
        Registration.history.filter(study_id=study_id),
        Source.history.filter(study_id=study_id),
        Arm.history.filter(study_id=study_id),
        Intervention.history.filter(arm_id__in=arm_ids),
        OutcomeMeasure.history.filter(study_id=study_id),
        OutcomeResult.history.filter(measure_id__in=measure_ids),
        ArmComparison.history.filter(measure_id__in=measure_ids),
        AdverseEvent.history.filter(study_id=study_id),
    ]
    return chain.from_iterable(queryset.select_related("history_user") for queryset in querysets)


def study_history(study_id):
    """Every historical record of the study and its parts, newest first, with what changed."""
    entries = []
    records = sorted(study_history_records(study_id), key=lambda r: (r.instance_type.__name__, r.id, r.history_date))
    for _, versions in groupby(records, key=lambda r: (r.instance_type.__name__, r.id)):
        previous = None
        for record in versions:
            entry = HistoryEntry(record)
            if previous is not None and record.history_type == "~":
                model = record.instance_type
                delta = record.diff_against(previous)
                entry.changes = [
                    FieldChange(
                        model._meta.get_field(change.field).verbose_name,
                        readable(model, change.field, change.old),
                        readable(model, change.field, change.new),
                    )
                    for change in delta.changes
                ]
            entries.append(entry)
            previous = record
    entries.sort(key=lambda entry: entry.record.history_date, reverse=True)
    return entries
