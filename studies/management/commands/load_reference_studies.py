from django.apps import apps
from django.core.management.base import BaseCommand

from studies.reference import load_reference_studies


class Command(BaseCommand):
    help = (
        "Bring the database up to date with the reference studies shipped with the tracker: create the "
        "missing ones (published) and correct those no curator has edited since they were loaded. A study "
        "a curator has edited is left as it is and reported as a conflict, with what differs. Other apps' "
        "reference data (the claims) follows, by the same rules."
    )

    def handle(self, *args, **options):
        self.report(load_reference_studies())
        # Other apps ship reference data about the studies (claims cite them); an app takes part by
        # giving its AppConfig a load_reference() method returning outcomes, so studies imports none of them.
        for app_config in apps.get_app_configs():
            load_reference = getattr(app_config, "load_reference", None)
            if callable(load_reference):
                self.report(load_reference())

    def report(self, outcomes):
        styles = {"created": self.style.SUCCESS, "corrected": self.style.SUCCESS, "conflict": self.style.WARNING}
        for outcome in outcomes:
            self.stdout.write(styles.get(outcome.action, str)(str(outcome)))
        counts = {action: sum(outcome.action == action for outcome in outcomes) for action in styles}
        unchanged = len(outcomes) - sum(counts.values())
        self.stdout.write(
            f"{counts['created']} created, {counts['corrected']} corrected, {unchanged} unchanged, "
            f"{counts['conflict']} conflicts."
        )
