from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    # Before the count of claims and appearances that `load_reference_studies` prints.
    reference_heading = "Claims and their appearances: "

    def ready(self):
        from claims.exports import CLAIM_EVIDENCE, CLAIMS
        from studies.exports import register_tables

        # The downloads, datapackage.json and /data/ carry the claims after the studies' tables.
        register_tables(CLAIMS, CLAIM_EVIDENCE)

    def load_reference(self):
        """Called by `load_reference_studies` once the studies are loaded: the claims cite them."""
        from claims.reference import load_reference_claims

        return load_reference_claims()
