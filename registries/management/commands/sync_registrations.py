from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registries.ctgov import RecordError, RegistryUnreachable, fetch_record
from registries.records import Record
from registries.sync import refresh_registration
from studies.models import Registration, Study


class Command(BaseCommand):
    help = (
        "Refresh the registry status and dates of every study with a ClinicalTrials.gov number, and print what "
        "changed. Run it daily; it changes nothing when the registry cannot be reached."
    )

    def handle(self, **options):
        registrations = Registration.objects.filter(identifier__regex=r"^NCT[0-9]{8}$").select_related("study")
        records, missing = [], []
        # Every record is read before anything is written: an unreachable registry leaves all as it was.
        for registration in registrations.order_by("identifier", "study_id"):
            try:
                records.append((registration.study, Record(fetch_record(registration.identifier))))
            except RegistryUnreachable as error:
                raise CommandError(f"{error}") from error
            except RecordError as error:
                missing.append(f"{registration.identifier} ({registration.study}): {error}")
        changed = 0
        with transaction.atomic():
            for study, record in records:
                study = Study.objects.get(pk=study.pk)
                written = refresh_registration(study, record)
                if written:
                    changed += 1
                    self.stdout.write(f"{record.nct_id} {study}:")
                    for line in written:
                        self.stdout.write(f"  {line}")
        self.stdout.write(f"Read {len(records)} record(s); {changed} study(ies) changed.")
        if missing:
            raise CommandError("Some records could not be read:\n" + "\n".join(missing))
