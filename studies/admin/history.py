"""One page with every change to a study and to each of its parts, field by field."""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from studies.history import study_history_records
from studies.models import plain_number


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
