from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from studies.admin.forms import ArmFormSet, StudyPartsFormSet
from studies.models import (
    AdverseEvent,
    AdverseEventGroup,
    Arm,
    ArmComparison,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Registration,
    Source,
    plain_number,
)


class PlainDecimalField(forms.DecimalField):
    """Shows 9.5 rather than the stored 9.500000, so curators see what the source printed."""

    def prepare_value(self, value):
        return plain_number(value) if isinstance(value, Decimal) else value


# Single-line inputs keep the wide inline tables readable at laptop widths.
COMPACT_TEXT = {"widget": forms.TextInput(attrs={"size": 24})}
COMPACT_NUMBER = {"form_class": PlainDecimalField, "widget": forms.TextInput(attrs={"size": 7, "inputmode": "decimal"})}
# Counts without the number input's spin buttons, which take a third of a short input and are
# never used to type a count; phones still show their number keyboard.
COMPACT_COUNT = {"widget": forms.TextInput(attrs={"size": 5, "inputmode": "numeric"})}


class CompactInline(admin.TabularInline):
    """A table of rows that fits a laptop screen: no pop-up icons next to choices, short inputs."""

    formfield_overrides = {
        models.TextField: COMPACT_TEXT,
        models.DecimalField: COMPACT_NUMBER,
        models.PositiveIntegerField: COMPACT_COUNT,
        models.PositiveSmallIntegerField: COMPACT_COUNT,
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(getattr(formfield, "widget", None), RelatedFieldWidgetWrapper):
            formfield.widget = formfield.widget.widget
        return formfield


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0


class SourceInline(admin.StackedInline):
    model = Source
    extra = 0
    fields = [
        ("relation", "position"),
        "citation",
        ("authors", "title"),
        ("journal", "year"),
        ("volume", "issue", "pages"),
        ("doi", "pmid", "pmcid", "registry_id"),
        "urls",
        "note",
    ]
    # The citation's parts share three lines under the printed citation they are copied from.
    input_sizes = {"authors": 50, "title": 60, "journal": 24, "year": 5, "volume": 5, "issue": 5, "pages": 10}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.input_sizes:
            kwargs["widget"] = forms.TextInput(attrs={"size": self.input_sizes[db_field.name]})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ArmInline(admin.TabularInline):
    model = Arm
    formset = ArmFormSet
    extra = 0
    fields = ["label", "role", "role_detail", "participants", "description", "position", "interventions_summary"]
    readonly_fields = ["interventions_summary"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 30})}}

    @admin.display(description="Interventions")
    def interventions_summary(self, arm):
        if not arm.pk:
            return "Save the study, then add interventions."
        items = format_html_join("", "<li>{}</li>", ((str(i),) for i in arm.interventions.all()))
        link = reverse("admin:studies_arm_change", args=[arm.pk])
        return format_html('<ul class="inline-summary">{}</ul><a href="{}">Edit interventions</a>', items, link)


class OutcomeMeasureInline(admin.TabularInline):
    model = OutcomeMeasure
    extra = 0
    fields = ["name", "category", "unit", "method", "role", "timepoints", "position", "results_summary"]
    readonly_fields = ["results_summary"]

    @admin.display(description="Results")
    def results_summary(self, measure):
        if not measure.pk:
            return "Save the study, then enter results."
        link = reverse("admin:studies_outcomemeasure_change", args=[measure.pk])
        count = measure.results.count()
        return format_html('{} result{} · <a href="{}">Edit results grid</a>', count, "" if count == 1 else "s", link)


class AdverseEventInline(CompactInline):
    model = AdverseEvent
    formset = StudyPartsFormSet
    template = "admin/studies/edit_inline/tabular_with_note.html"
    extra = 0
    fields = [
        "arm",
        "term",
        "serious",
        "participants_affected",
        "participants_at_risk",
        "number_of_events",
        "severity",
        "organ_system",
        "vocabulary",
        "assessment",
        "assessment_detail",
        "note",
    ]


class AdverseEventGroupInline(CompactInline):
    """Per-group totals of people with any adverse event, as a trial registry reports them."""

    model = AdverseEventGroup
    formset = StudyPartsFormSet
    template = "admin/studies/edit_inline/tabular_with_note.html"
    extra = 0
    verbose_name_plural = "adverse-event totals per group"
    fields = [
        "arm",
        "title",
        "deaths_affected",
        "deaths_at_risk",
        "serious_affected",
        "serious_at_risk",
        "other_affected",
        "other_at_risk",
        "position",
    ]


class InterventionInline(admin.StackedInline):
    model = Intervention
    extra = 0
    fields = [
        ("intervention_class", "class_detail", "exosome_source", "route"),
        ("source_detail", "route_detail"),
        "description",
        ("product", "dose", "regimen"),
        "characterisation",
        "position",
    ]


# A registry's own words for a result's class, category, statistic and spread are kept as imported
# and shown in one column of the results grid, so that its numbers still fit a desktop screen.
RESULT_REGISTRY_WORDS = ["class_title", "category_title", "statistic_detail", "dispersion_detail"]


class OutcomeResultInline(CompactInline):
    """The results grid: every arm and time point of one measure on one screen."""

    model = OutcomeResult
    formset = StudyPartsFormSet
    extra = 0
    fields = ["arm", *[name for name in OutcomeResult.REPORTED_FIELDS if name not in RESULT_REGISTRY_WORDS]]
    fields += ["registry_words", "position"]
    readonly_fields = ["registry_words"]

    def get_fields(self, request, obj=None):
        # Only results imported from a registry carry its words; a hand-entered grid keeps its width.
        imported = obj is not None and any(
            any(getattr(result, name) for name in RESULT_REGISTRY_WORDS) for result in obj.results.all()
        )
        return self.fields if imported else [name for name in self.fields if name != "registry_words"]

    @admin.display(description="Registry's words")
    def registry_words(self, result):
        words = [
            f"{OutcomeResult._meta.get_field(name).verbose_name.capitalize()}: {getattr(result, name)}"
            for name in RESULT_REGISTRY_WORDS
            if getattr(result, name)
        ]
        return "; ".join(words) or "—"


class ArmComparisonInline(CompactInline):
    model = ArmComparison
    extra = 0
    fields = [
        "timepoint_value",
        "timepoint_unit",
        "timepoint_label",
        "description",
        "result_text",
        "statistical_method",
        "estimate_type",
        "value",
        "dispersion_type",
        "dispersion_detail",
        "dispersion_lower",
        "dispersion_upper",
        "estimate_spread",
        "estimate_spread_type",
        "p_value",
        "direction",
        "significance",
    ]
