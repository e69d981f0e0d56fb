from django.core.management.base import BaseCommand

from studies.reference import load_reference_studies


class Command(BaseCommand):
    help = (
        "Load the reference studies shipped with the tracker, published. Studies already in the "
        "database are skipped and never overwritten."
    )

    def handle(self, *args, **options):
        outcomes = load_reference_studies()
        for slug, outcome in outcomes:
            style = self.style.SUCCESS if outcome == "created" else self.style.WARNING
            self.stdout.write(style(f"{slug}: {outcome}"))
        created = sum(outcome == "created" for _, outcome in outcomes)
        self.stdout.write(f"{created} created, {len(outcomes) - created} skipped.")
