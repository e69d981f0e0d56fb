from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from studies.models.parts import FixedParent


class AdverseEvent(FixedParent, models.Model):
    class Severity(models.TextChoices):
        MILD = "mild", "Mild"
        MODERATE = "moderate", "Moderate"
        SEVERE = "severe", "Severe"

    class Assessment(models.TextChoices):
        SYSTEMATIC = "systematic", "Systematic assessment"
        NON_SYSTEMATIC = "non_systematic", "Non-systematic assessment"

    study = models.ForeignKey(
        "Study", on_delete=models.CASCADE, related_name="adverse_events", help_text="The study that reported it."
    )
    arm = models.ForeignKey(
        "Arm",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adverse_events",
        help_text="The arm in which the event was seen. Empty when the source does not split events "
        "by arm. Counts are never pooled across arms on public pages.",
    )
    term = models.CharField(
        max_length=200,
        help_text="The event as the source names it, e.g. 'scalp erythema'. Shown publicly.",
    )
    serious = models.BooleanField(
        null=True,
        blank=True,
        help_text="Whether the source classes the event as serious. Empty when it does not say. Shown publicly.",
    )
    participants_affected = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Participants who had the event at least once. Empty when not reported. Shown publicly.",
    )
    participants_at_risk = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Participants who could have had it (usually those treated in the arm). Empty when "
        "not reported. Shown publicly.",
    )
    number_of_events = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Total occurrences, when reported (one person can have several). Shown publicly.",
    )
    severity = models.CharField(
        max_length=20,
        choices=Severity,
        blank=True,
        help_text="Severity as the source grades it. Empty when not graded. Shown publicly.",
    )
    organ_system = models.CharField(
        max_length=200,
        blank=True,
        help_text="The organ system the source files the event under, e.g. 'Infections and infestations'. "
        "Shown publicly.",
    )
    vocabulary = models.CharField(
        max_length=100,
        blank=True,
        help_text="The dictionary the term comes from, with its version, e.g. 'MedDRA (18.0)'. Empty when the "
        "source uses its own words. Shown publicly.",
    )
    assessment = models.CharField(
        max_length=20,
        choices=Assessment,
        blank=True,
        help_text="Whether every participant was asked about events like this one (systematic) or they were "
        "noted when reported (non-systematic). Empty when the source does not say. Shown publicly.",
    )
    assessment_detail = models.CharField(
        "assessment as reported",
        max_length=100,
        blank=True,
        help_text="The assessment type in the source's words, e.g. the registry's 'SYSTEMATIC_ASSESSMENT'.",
    )
    note = models.TextField(blank=True, help_text="Anything else the source says about the event. Shown publicly.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["study", "arm", "term", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants_affected__lte=F("participants_at_risk")),
                name="adverse_event_affected_within_at_risk",
                violation_error_message="Participants affected cannot exceed participants at risk.",
            ),
        ]

    def __str__(self):
        return self.term

    def clean(self):
        super().clean()
        where = f"in arm '{self.arm.label}', event '{self.term}'" if self.arm_id else f"for event '{self.term}'"
        affected, at_risk = self.participants_affected, self.participants_at_risk
        if self.arm_id and self.study_id and self.arm.study_id != self.study_id:
            raise ValidationError({"arm": f"Arm '{self.arm.label}' belongs to another study."})
        if affected is not None and at_risk is not None and affected > at_risk:
            raise ValidationError(
                {
                    "participants_affected": f"Participants affected ({affected}) cannot exceed participants "
                    f"at risk ({at_risk}) {where}."
                }
            )
        arm_size = self.arm.participants if self.arm_id else None
        if arm_size is not None:
            for field, count, name in (
                ("participants_at_risk", at_risk, "Participants at risk"),
                ("participants_affected", affected, "Participants affected"),
            ):
                if count is not None and count > arm_size:
                    raise ValidationError(
                        {field: f"{name} ({count}) cannot exceed the {arm_size} participants {where}."}
                    )


class AdverseEventGroup(FixedParent, models.Model):
    """How many in one group had any adverse event at all, as a trial registry totals them.

    Totals are not sums of the terms: one person with two events counts once, and terms below the
    registry's frequency threshold are not listed but are counted here.
    """

    study = models.ForeignKey(
        "Study",
        on_delete=models.CASCADE,
        related_name="adverse_event_groups",
        help_text="The study that reported the totals.",
    )
    arm = models.ForeignKey(
        "Arm",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adverse_event_groups",
        help_text="The arm the group is. Empty when the group is the whole study.",
    )
    title = models.CharField(
        max_length=300, help_text="The group's title in the source, e.g. 'Placebo qw'. Shown publicly."
    )
    description = models.TextField(blank=True, help_text="The group's description in the source.")
    deaths_affected = models.PositiveIntegerField(
        null=True, blank=True, help_text="Participants who died. Empty when not reported. Shown publicly."
    )
    deaths_at_risk = models.PositiveIntegerField(
        null=True, blank=True, help_text="Participants counted for deaths. Empty when not reported."
    )
    serious_affected = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Participants with at least one serious adverse event. Empty when not reported. Shown publicly.",
    )
    serious_at_risk = models.PositiveIntegerField(
        null=True, blank=True, help_text="Participants counted for serious adverse events. Empty when not reported."
    )
    other_affected = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Participants with at least one other (not serious) adverse event above the frequency "
        "threshold. Empty when not reported. Shown publicly.",
    )
    other_at_risk = models.PositiveIntegerField(
        null=True, blank=True, help_text="Participants counted for other adverse events. Empty when not reported."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the study page.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["study", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{kind}_affected__lte": F(f"{kind}_at_risk")}),
                name=f"adverse_event_group_{kind}_within_at_risk",
                violation_error_message=f"Participants with {label} cannot exceed those at risk.",
            )
            for kind, label in (("deaths", "death"), ("serious", "serious events"), ("other", "other events"))
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.arm_id and self.study_id and self.arm.study_id != self.study_id:
            raise ValidationError({"arm": f"Arm '{self.arm.label}' belongs to another study."})
        for kind, label in (("deaths", "Deaths"), ("serious", "Serious"), ("other", "Other")):
            affected, at_risk = getattr(self, f"{kind}_affected"), getattr(self, f"{kind}_at_risk")
            if affected is not None and at_risk is not None and affected > at_risk:
                raise ValidationError(
                    {
                        f"{kind}_affected": f"{label}: participants affected ({affected}) cannot exceed participants "
                        f"at risk ({at_risk}) in group '{self.title}'."
                    }
                )
