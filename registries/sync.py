"""Bringing a study in line with its ClinicalTrials.gov record.

A record not yet in the tracker becomes a new draft study. A draft already in the tracker is
updated. A study in review or published is not changed: its differences from the record are listed
(tracker value -> registry value) for a curator to accept one by one, with a reason. Every save keeps
"Synced from ClinicalTrials.gov, record of DATE" in the history. Parts are only ever added or
updated, never deleted, and the tracker's own categories (condition, design, an arm's role, an
intervention's class, a measure's category) are the registry's suggestion for a new study only.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from registries.records import Part, Record
from studies.admin.history import readable
from studies.models import Arm, Intervention, OutcomeMeasure, Registration, Source, Study, plain_number

# The tracker's categories: a curator refines them, and a later import must not put them back.
NEW_ONLY = {
    Source: {"relation", "urls"},
    Arm: {"role"},
    Intervention: {"intervention_class", "exosome_source"},
    OutcomeMeasure: {"category"},
}


class ImportRefused(Exception):
    """The record cannot be written as it is; the message names the part and the rule."""


def sync_reason(record, reason=""):
    when = record.record_date.isoformat() if record.record_date else "unknown date"
    text = f"Synced from ClinicalTrials.gov, record of {when}"
    return f"{text}: {reason}" if reason else text


def find_study(nct_id):
    return Study.objects.filter(registrations__identifier=nct_id).order_by("pk").first()


def differs(old, new):
    if new in (None, ""):
        return False  # the registry says nothing: what the tracker holds stays
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return plain_number(old) != plain_number(new)
    return old != new


def shown(model, field_name, value):
    return readable(model, field_name, value)


def save(instance, reason, user, where):
    instance._change_reason = reason
    instance._history_user = user
    try:
        instance.full_clean()
    except ValidationError as error:
        problems = " ".join(f"{message}" for messages in error.message_dict.values() for message in messages)
        raise ImportRefused(f"{where}: {problems}") from error
    instance.save()


@dataclass
class FieldChange:
    instance: object
    field: str
    new: object
    where: str

    def __post_init__(self):
        self.old = getattr(self.instance, self.field)

    @property
    def label(self):
        verbose = self.instance._meta.get_field(self.field).verbose_name
        return f"{self.where}: {verbose}"

    @property
    def old_text(self):
        return shown(type(self.instance), self.field, self.old)

    @property
    def new_text(self):
        return shown(type(self.instance), self.field, self.new)

    @property
    def key(self):
        return digest(f"{self.instance._meta.label}:{self.instance.pk}:{self.field}")

    def apply(self, study, reason, user):
        setattr(self.instance, self.field, self.new)
        save(self.instance, reason, user, self.where)


@dataclass
class NewPart:
    part: Part
    parent: object

    @property
    def label(self):
        count = count_parts(self.part) - 1
        inside = f", with {count} part{'s' if count != 1 else ''} of its own" if count else ""
        return f"New {self.part.description}{inside}"

    old_text = "(not in the tracker)"

    @property
    def new_text(self):
        return ", ".join(
            f"{name}: {shown(self.part.model, name, value)}"
            for name, value in self.part.values.items()
            if value not in (None, "") and name != "position"
        )[:300]

    @property
    def key(self):
        parent = f"{self.parent._meta.label}:{self.parent.pk}"
        return digest(f"new:{self.part.model._meta.label}:{parent}:{self.part.key}:{self.part.arm}")

    def apply(self, study, reason, user):
        create(self.part, self.parent, study, reason, user)


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def count_parts(part):
    return 1 + sum(count_parts(child) for child in part.children)


def arm_named(study, label, must_exist_for):
    arm = Arm.objects.filter(study=study, label=label).first() if study.pk else None
    if arm is None:
        raise ImportRefused(
            f"{must_exist_for} belongs to arm '{label}', which the study does not have yet: add that arm first."
        )
    return arm


def create(part, parent, study, reason, user):
    fields = {**part.fields}
    parent_field = getattr(part.model, "parent_field", "study")
    fields[parent_field] = parent
    if "study" in {f.name for f in part.model._meta.fields} and parent_field != "study":
        fields["study"] = study
    if part.arm is not None:
        fields["arm"] = arm_named(study, part.arm, part.description) if part.arm else None
    instance = part.model(**fields)
    save(instance, reason, user, part.description)
    for child in part.children:
        create(child, instance, study, reason, user)
    return instance


def lookup(part, parent, study):
    """The row that `part` describes, among its parent's; None when there is none yet."""
    if parent.pk is None:
        return None
    criteria = {getattr(part.model, "parent_field", "study"): parent, **part.key}
    if part.arm:
        arm = Arm.objects.filter(study=study, label=part.arm).first()
        if arm is None:
            return None
        criteria["arm"] = arm
    elif part.arm == "":
        criteria["arm"] = None
        # Groups shown as the whole study are told apart by the group named in their words.
        for words_field in ("result_text", "note"):
            if words_field in part.values:
                criteria[words_field] = part.values[words_field]
    return part.model.objects.filter(**criteria).order_by("pk").first()


def part_changes(part, parent, study):
    existing = lookup(part, parent, study)
    if existing is None:
        return [NewPart(part, parent)]
    new_only = NEW_ONLY.get(part.model, set())
    found = [
        FieldChange(existing, name, value, part.description)
        for name, value in part.values.items()
        if name not in new_only and differs(getattr(existing, name), value)
    ]
    for child in part.children:
        found += part_changes(child, existing, study)
    return found


def changes(study, record, arm_of):
    """Every difference between the study and the record, study facts first, then part by part."""
    found = [
        FieldChange(study, name, value, "Study")
        for name, value in record.study_values().items()
        if differs(getattr(study, name), value)
    ]
    for part in record.parts(arm_of):
        found += part_changes(part, study, study)
    return found


def unique_slug(record):
    base = slugify(record.nct_id)
    slug, number = base, 2
    while Study.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@dataclass
class Outcome:
    study: Study
    created: bool
    applied: list  # the changes written
    waiting: list  # the differences a curator must accept one by one (studies past draft)


def import_record(record, arm_of, user=None):
    """Create or update the study of `record` in one transaction: nothing is left half written."""
    with transaction.atomic():
        study = find_study(record.nct_id)
        reason = sync_reason(record)
        if study is None:
            study = Study(slug=unique_slug(record), **record.new_study_values())
            save(study, reason, user, "Study")
            applied = [NewPart(part, study) for part in record.parts(arm_of)]
            for change in applied:
                change.apply(study, reason, user)
            return Outcome(study, True, applied, [])
        found = changes(study, record, arm_of)
        if study.status != Study.Status.DRAFT:
            return Outcome(study, False, [], found)
        apply_all(study, found, reason, user)
        return Outcome(study, False, found, [])


def apply_all(study, found, reason, user):
    """Field changes of one record are saved together, so that rules across fields see the new values."""
    by_instance = {}
    for change in found:
        if isinstance(change, FieldChange):
            by_instance.setdefault((type(change.instance), change.instance.pk), []).append(change)
    for group in by_instance.values():
        instance = group[0].instance
        for change in group:
            setattr(instance, change.field, change.new)
        save(instance, reason, user, group[0].where)
    for change in found:
        if isinstance(change, NewPart):
            change.apply(study, reason, user)
    if found:
        study.bump_version()


def accept(study, record, arm_of, key, reason, user=None):
    """Write the one listed difference called `key`, with the curator's reason."""
    reason = reason.strip()
    if not reason:
        raise ImportRefused("Give a reason for accepting this change; it is kept in the history.")
    with transaction.atomic():
        change = next((change for change in changes(study, record, arm_of) if change.key == key), None)
        if change is None:
            raise ImportRefused("This change is no longer waiting (it was accepted already, or the study changed).")
        change.apply(study, sync_reason(record, reason), user)
        study.bump_version()
        return change


def refresh_registration(study, record, user=None):
    """The registry status and dates of `study` as the record gives them; the changes written, as text."""
    registration = Registration.objects.get(study=study, identifier=record.nct_id)
    reason = sync_reason(record)
    written = []
    values = record.registration_values()
    for name, value in values.items():
        if differs(getattr(registration, name), value):
            old = shown(Registration, name, getattr(registration, name))
            written.append(f"{name.replace('_', ' ')}: {old} -> {shown(Registration, name, value)}")
            setattr(registration, name, value)
    if written:
        save(registration, reason, user, f"Registration {record.nct_id}")
    status = record.overall_status
    if status and study.registry_status.strip().lower() != status.lower():
        written.append(f"registry status: {study.registry_status or '(empty)'} -> {status}")
        study.registry_status = status
        study._change_reason = reason
        study._history_user = user
        study.save(update_fields=["registry_status", "version", "updated_at"])
    return written


__all__ = ["ImportRefused", "Record", "accept", "changes", "find_study", "import_record", "refresh_registration"]
