from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from registries.ctgov import RecordError, fetch_record, nct_number, read_file
from registries.models import PendingImport
from registries.records import Record
from registries.sync import ImportRefused, find_study, import_record


class Command(BaseCommand):
    help = (
        "Import one study from ClinicalTrials.gov (API v2) as a draft, or update the study that holds its "
        "number. Records with results need each result group's arm: give them with --group, or map them "
        "in the admin (the command says where)."
    )

    def add_arguments(self, parser):
        parser.add_argument("nct_id", help="The NCT number, e.g. NCT02210780.")
        parser.add_argument("--file", help="Read the record from this JSON file instead of the registry.")
        parser.add_argument(
            "--group",
            action="append",
            default=[],
            metavar="GROUP=ARM",
            help="The result group titled GROUP is the arm labelled ARM; an empty ARM means the whole study. "
            "Repeat for every group.",
        )

    def handle(self, nct_id, file=None, group=(), **options):
        try:
            nct_id = nct_number(nct_id)
            if file:
                try:
                    with open(file, "rb") as opened:
                        data = read_file(opened, expected=nct_id)
                except OSError as error:
                    raise RecordError(f"The file {file} cannot be read ({error.strerror}).") from error
            else:
                data = fetch_record(nct_id)
        except RecordError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        record = Record(data)
        arm_of = self.arm_of(record, group)
        if arm_of is None:
            pending = PendingImport.objects.create(nct_id=record.nct_id, record=data)
            address = reverse("admin:registries_pendingimport_groups", args=[pending.pk])
            self.stdout.write(
                f"{record.nct_id} has {len(record.groups)} result groups; say which arm each is at {address} "
                "(or give --group for each). Nothing was imported yet."
            )
            return
        try:
            outcome = import_record(record, arm_of)
        except ImportRefused as refusal:
            raise CommandError(f"Nothing was imported. {refusal}") from refusal
        if outcome.created:
            self.stdout.write(f"Imported {record.nct_id} as the draft study '{outcome.study}' ({outcome.study.slug}).")
        elif outcome.waiting:
            pending = PendingImport.objects.create(nct_id=record.nct_id, record=data, arm_of=arm_of)
            address = reverse("admin:registries_pendingimport_review", args=[pending.pk])
            self.stdout.write(
                f"'{outcome.study}' is {outcome.study.get_status_display().lower()}: {len(outcome.waiting)} "
                f"difference(s) wait to be accepted one by one at {address}."
            )
        else:
            self.stdout.write(f"Updated the draft '{outcome.study}': {len(outcome.applied)} change(s).")
            for change in outcome.applied:
                self.stdout.write(f"  {change.label}: {change.old_text} -> {change.new_text}")

    def arm_of(self, record, given):
        """Group key -> arm label from the --group options; None when some group is not given."""
        by_title = {}
        for item in given:
            title, separator, arm = item.partition("=")
            if not separator:
                raise CommandError(f"--group {item!r} is not GROUP=ARM.")
            by_title[title.strip()] = arm.strip()
        study = find_study(record.nct_id)
        labels = set(record.arm_labels()) | (set(study.arms.values_list("label", flat=True)) if study else set())
        arm_of = {}
        for group in record.groups:
            if group.title not in by_title:
                return None
            arm = by_title[group.title]
            if arm and arm not in labels:
                arms = ", ".join(sorted(labels))
                raise CommandError(f"'{arm}' is not an arm of {record.nct_id}; the arms are: {arms}.")
            arm_of[group.key] = arm
        unknown = set(by_title) - {group.title for group in record.groups}
        if unknown:
            raise CommandError(f"The record has no result group called {', '.join(sorted(unknown))}.")
        return arm_of
