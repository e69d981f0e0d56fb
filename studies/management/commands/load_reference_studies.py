from django.apps import apps
from django.core.management.base import BaseCommand

from studies.reference import load_reference_studies
from studies.reference_evidence import load_reference_evidence


class Command(BaseCommand):
    help = (
        "Bring the database up to date with the reference studies, their appraisals and the outcome "
        "summaries shipped with the tracker: create the missing ones (published) and correct those no "
        "curator has edited since they were loaded. A record a curator has edited is left as it is and "
        "reported as a conflict, with what differs. Other apps' reference data (the claims) follows, by the "
        "same rules."
    )

    styles = {"created": "SUCCESS", "corrected": "SUCCESS", "conflict": "WARNING"}

    def handle(self, *args, **options):
        self.report(load_reference_studies(), "")
        self.report(load_reference_evidence(), "Appraisals and outcome summaries: ")
        # Other apps ship reference data about the studies (claims cite them); an app takes part by
        # giving its AppConfig a load_reference() method returning outcomes and a heading, so that
        # studies imports none of them.
        for app_config in apps.get_app_configs():
            load_reference = getattr(app_config, "load_reference", None)
            if callable(load_reference):
                self.report(load_reference(), getattr(app_config, "reference_heading", ""))

    def report(self, outcomes, heading):
        for outcome in outcomes:
            style = getattr(self.style, self.styles.get(outcome.action, ""), str)
            self.stdout.write(style(str(outcome)))
        counts = {action: sum(outcome.action == action for outcome in outcomes) for action in self.styles}
        unchanged = len(outcomes) - sum(counts.values())
        self.stdout.write(
            f"{heading}{counts['created']} created, {counts['corrected']} corrected, {unchanged} unchanged, "
            f"{counts['conflict']} conflicts."
        )
