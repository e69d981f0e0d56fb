from django.conf import settings
from django.db import models


class PendingImport(models.Model):
    """A ClinicalTrials.gov record read but not yet written: its result groups wait for the curator to
    say which arm each one is, or, for a study past draft, its differences wait to be accepted."""

    nct_id = models.CharField("NCT number", max_length=11, help_text="The record's ClinicalTrials.gov number.")
    record = models.JSONField(help_text="The record exactly as the registry's API v2 gave it.")
    arm_of = models.JSONField(
        "groups shown as arms",
        null=True,
        blank=True,
        help_text="The curator's decision: each result group's arm label, empty for the whole study. Empty "
        "until the groups are mapped.",
    )
    read_at = models.DateTimeField(auto_now_add=True, help_text="When the record was read.")
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The curator who asked for it.",
    )

    class Meta:
        ordering = ["-read_at", "-id"]
        verbose_name = "import from ClinicalTrials.gov"
        verbose_name_plural = "imports from ClinicalTrials.gov"

    def __str__(self):
        return f"{self.nct_id}, read {self.read_at:%Y-%m-%d %H:%M}" if self.read_at else self.nct_id
