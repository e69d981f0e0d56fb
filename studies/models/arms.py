from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from studies.models.parts import FixedParent


class Arm(FixedParent, models.Model):
    class Role(models.TextChoices):
        EXPERIMENTAL = "experimental", "Experimental"
        PLACEBO_COMPARATOR = "placebo_comparator", "Placebo comparator"
        ACTIVE_COMPARATOR = "active_comparator", "Active comparator"
        NO_INTERVENTION = "no_intervention", "No intervention"
        SINGLE_CASE = "single_case", "Single case"
        OTHER = "other", "Other"

    study = models.ForeignKey(
        "Study", on_delete=models.CASCADE, related_name="arms", help_text="The study this arm belongs to."
    )
    label = models.CharField(
        max_length=200,
        help_text="Name of the arm or cohort as the source names it, e.g. 'Placebo (0.9% saline)'. "
        "Shown publicly; results and adverse events refer to it.",
    )
    role = models.CharField(
        max_length=30,
        choices=Role,
        help_text="The arm's part in the design. Shown publicly.",
    )
    role_detail = models.CharField(
        "role as reported",
        max_length=100,
        blank=True,
        help_text="The arm's type in the source's words, e.g. the registry's 'Sham Comparator'. Shown publicly.",
    )
    participants = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Number of participants (or scalp halves) allocated to this arm. Empty when the "
        "source does not give per-arm numbers; never 0 for unknown. Shown publicly.",
    )
    description = models.TextField(
        blank=True,
        help_text="Anything else the source says about this arm. Shown publicly.",
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Order of the arm on the study page; lower comes first.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["study", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "label"],
                name="arm_label_unique_in_study",
                violation_error_message="This study already has an arm with this label.",
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if self.study_id is None or getattr(self, "sizes_checked_with_siblings", False):
            return
        from studies.models.study import arm_size_problem

        siblings = self.study.arms.exclude(pk=self.pk).values_list("label", "participants")
        problem = arm_size_problem(self.study, [*siblings, (self.label, self.participants)])
        if problem:
            raise ValidationError({"participants": problem})


class Intervention(FixedParent, models.Model):
    parent_field = "arm"

    class InterventionClass(models.TextChoices):
        EXOSOME = "exosome", "Exosome"
        PRP = "prp", "Platelet-rich plasma (PRP)"
        MINOXIDIL = "minoxidil", "Minoxidil"
        FINASTERIDE = "finasteride", "Finasteride"
        MICRONEEDLING = "microneedling", "Microneedling"
        MICRONEEDLING_RADIOFREQUENCY = "microneedling_radiofrequency", "Microneedling radiofrequency"
        LASER = "laser", "Laser"
        PLACEBO = "placebo", "Placebo"
        OTHER = "other", "Other"

    class ExosomeSource(models.TextChoices):
        ADSC = "adsc", "Adipose-derived stem cells (ADSC)"
        UMBILICAL_CORD_MSC = "umbilical_cord_msc", "Umbilical cord MSC"
        WHARTONS_JELLY_MSC = "whartons_jelly_msc", "Wharton's jelly MSC"
        FORESKIN_MSC = "foreskin_msc", "Foreskin MSC"
        BONE_MARROW_MSC = "bone_marrow_msc", "Bone-marrow MSC"
        PLACENTA_MSC = "placenta_msc", "Placenta-derived MSC"
        MSC_UNSPECIFIED = "msc_unspecified", "MSC, tissue unspecified"
        PLANT_DERIVED = "plant_derived", "Plant-derived"
        NOT_STATED = "not_stated", "Not stated"

    class Route(models.TextChoices):
        TOPICAL = "topical", "Topical"
        TOPICAL_AFTER_MICRONEEDLING = "topical_after_microneedling", "Topical after microneedling"
        TOPICAL_AFTER_LASER = "topical_after_laser", "Topical after laser"
        INTRADERMAL_INJECTION = "intradermal_injection", "Intradermal injection"
        SCALP_INJECTION = "scalp_injection", "Scalp injection"
        OTHER = "other", "Other"
        NOT_STATED = "not_stated", "Not stated"

    arm = models.ForeignKey(
        Arm, on_delete=models.CASCADE, related_name="interventions", help_text="The arm that received it."
    )
    intervention_class = models.CharField(
        "class",
        max_length=40,
        choices=InterventionClass,
        help_text="What kind of treatment this is. Shown publicly and used by filters.",
    )
    class_detail = models.CharField(
        "kind as reported",
        max_length=100,
        blank=True,
        help_text="The kind of intervention in the source's words, e.g. the registry's 'Drug' or 'Device'. "
        "Shown publicly.",
    )
    description = models.TextField(
        blank=True,
        help_text="What the source says about the intervention itself, e.g. the registry's description and "
        "other names. Shown publicly.",
    )
    exosome_source = models.CharField(
        max_length=30,
        choices=ExosomeSource,
        blank=True,
        help_text="For exosomes only: the cells or plant they come from. Choose 'Not stated' when the "
        "source does not say. Shown publicly and used by filters.",
    )
    source_detail = models.CharField(
        max_length=300,
        blank=True,
        help_text="The exosome source exactly as reported, e.g. 'foreskin-derived mesenchymal stromal "
        "cells'. Shown publicly.",
    )
    product = models.CharField(
        max_length=200,
        blank=True,
        help_text="Commercial product name and maker, if named. Shown publicly and searchable.",
    )
    route = models.CharField(
        max_length=40,
        choices=Route,
        default=Route.NOT_STATED,
        help_text="How the treatment reaches the scalp. Shown publicly and used by filters.",
    )
    route_detail = models.CharField(
        max_length=300,
        blank=True,
        help_text="The route exactly as reported, e.g. 'injection into the scalp'. Shown publicly.",
    )
    dose = models.CharField(
        max_length=300,
        blank=True,
        help_text="Dose as reported, with its units, e.g. '20 mg/vial (10 billion exosomes)'. Shown publicly.",
    )
    regimen = models.CharField(
        max_length=300,
        blank=True,
        help_text="Schedule as reported, e.g. '4 sessions, every 2 weeks'. Empty when not reported. Shown publicly.",
    )
    characterisation = models.TextField(
        blank=True,
        help_text="How the exosomes were characterised (particle size, markers), as reported. Shown publicly.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the arm; lower comes first.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["arm", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intervention_class="exosome") | Q(exosome_source=""),
                name="intervention_exosome_source_only_for_exosomes",
                violation_error_message="An exosome source can only be given for an exosome intervention.",
            ),
        ]

    def __str__(self):
        return self.get_intervention_class_display()

    def clean(self):
        super().clean()
        if self.intervention_class == self.InterventionClass.EXOSOME and not self.exosome_source:
            raise ValidationError(
                {"exosome_source": "Choose the exosome source, or 'Not stated' when the source does not say."}
            )
