"""What the API writes for a study and its parts.

A study is written the way its page shows it: nested parts, each in its own serializer, so that a new
kind of part (an appraisal, a summary of the evidence) is one more nested field. Codes are written as
stored (`androgenetic_alopecia`); the schema lists each code's label.
"""

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from studies.models import (
    AdverseEvent,
    Arm,
    ArmComparison,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Registration,
    Source,
    Study,
    limitations,
    percent_change_between,
    plain_number,
    rounded_percent,
)
from studies.models.numbers import ExactDecimalField


@extend_schema_field(OpenApiTypes.NUMBER)
class ExactNumberField(serializers.Field):
    """A number written with the places it was stored with: Decimal("3.00") is written 3.00.

    Plain notation, never an exponent, and never minus zero (see `plain_number`). Unknown is null.
    """

    # What ModelSerializer passes for a model's DecimalField; the stored text already obeys them.
    IGNORED = ("max_digits", "decimal_places", "max_value", "min_value", "coerce_to_string", "localize", "rounding")

    def __init__(self, **kwargs):
        for name in self.IGNORED:
            kwargs.pop(name, None)
        kwargs["read_only"] = True
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return Decimal(plain_number(value))


class ReadSerializer(serializers.ModelSerializer):
    """Every API serializer only reads, and writes exact numbers for the tracker's decimal fields."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        ExactDecimalField: ExactNumberField,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        field_kwargs["read_only"] = True
        for name in ("required", "default", "validators", "allow_blank", "max_length", "min_length"):
            field_kwargs.pop(name, None)
        if model_field.null:
            field_kwargs["allow_null"] = True
        return field_class, field_kwargs


def absolute(serializer, path):
    return serializer.context["site"] + path


class StudySummarySerializer(ReadSerializer):
    url = serializers.SerializerMethodField(help_text="The study's page on this site.")
    api_url = serializers.SerializerMethodField(help_text="Everything public about the study, in this API.")
    has_results = serializers.BooleanField(read_only=True, help_text="At least one result is recorded.")
    has_numeric_results = serializers.BooleanField(
        read_only=True, help_text="At least one result is given as a number, not only in words."
    )

    class Meta:
        model = Study
        fields = [
            "slug",
            "title",
            "url",
            "api_url",
            "year",
            "country",
            "condition",
            "design",
            "publication_type",
            "sample_size",
            "sample_size_not_reported",
            "planned_sample_size",
            "results_status",
            "has_results",
            "has_numeric_results",
            "adverse_event_status",
            "verification",
            "updated_at",
        ]

    def get_url(self, study) -> str:
        return absolute(self, study.get_absolute_url())

    def get_api_url(self, study) -> str:
        return absolute(self, reverse("api:study-detail", args=[study.slug]))


class RegistrationSerializer(ReadSerializer):
    registry = serializers.CharField(source="registry_name", read_only=True)
    url = serializers.SerializerMethodField(
        help_text="The record on its registry; null for a registry the tracker does not know."
    )

    class Meta:
        model = Registration
        fields = ["identifier", "registry", "url"]

    def get_url(self, registration) -> str | None:
        return registration.url or None


class SourceSerializer(ReadSerializer):
    urls = serializers.ListField(
        source="url_list", child=serializers.CharField(), read_only=True, help_text="Where the facts were read."
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "relation",
            "citation",
            "authors",
            "title",
            "journal",
            "year",
            "volume",
            "issue",
            "pages",
            "doi",
            "pmid",
            "pmcid",
            "registry_id",
            "urls",
            "note",
        ]


class InterventionSerializer(ReadSerializer):
    class Meta:
        model = Intervention
        fields = [
            "intervention_class",
            "exosome_source",
            "source_detail",
            "product",
            "route",
            "route_detail",
            "dose",
            "regimen",
            "characterisation",
        ]


class ArmSerializer(ReadSerializer):
    interventions = InterventionSerializer(many=True, read_only=True)

    class Meta:
        model = Arm
        fields = ["id", "label", "role", "participants", "description", "interventions"]


TIMEPOINT = ["timepoint_value", "timepoint_unit", "timepoint_label"]


class ResultSerializer(ReadSerializer):
    arm_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The arm (see arms); null for a result of the whole study."
    )
    change_from_baseline = ExactNumberField(
        help_text="In the measure's unit: the source's own change, or follow_up minus baseline; null when unknown."
    )
    percent_change = serializers.SerializerMethodField(
        help_text="The source's own percent change, or one computed from baseline and follow_up (rounded to two "
        "decimals, halves up); null when unknown."
    )
    change_is_computed = serializers.BooleanField(
        read_only=True, help_text="true when the changes were computed by the tracker, not reported by the source."
    )

    class Meta:
        model = OutcomeResult
        fields = ["id", "arm_id", *OutcomeResult.REPORTED_FIELDS]
        fields += ["change_from_baseline", "percent_change", "change_is_computed"]

    @extend_schema_field({"type": "number", "nullable": True})
    def get_percent_change(self, result):
        # As outcomes.csv and the study page: the source's own figure, else one computed and rounded once.
        if result.statistic == OutcomeResult.Statistic.PERCENT_CHANGE and result.value is not None:
            return Decimal(plain_number(result.value))
        percent = percent_change_between(result.baseline, result.follow_up)
        return None if percent is None else Decimal(plain_number(rounded_percent(percent)))


class ComparisonSerializer(ReadSerializer):
    class Meta:
        model = ArmComparison
        fields = ["id", "description", *TIMEPOINT, "result_text", "p_value", "direction", "significance"]


class MeasureSerializer(ReadSerializer):
    results = ResultSerializer(many=True, read_only=True)
    comparisons = ComparisonSerializer(many=True, read_only=True)

    class Meta:
        model = OutcomeMeasure
        fields = ["id", "name", "category", "unit", "method", "role", "timepoints", "results", "comparisons"]


class AdverseEventSerializer(ReadSerializer):
    arm_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The arm it was seen in (see arms); null when not split by arm."
    )

    class Meta:
        model = AdverseEvent
        fields = [
            "id",
            "arm_id",
            "term",
            "serious",
            "participants_affected",
            "participants_at_risk",
            "number_of_events",
            "severity",
            "note",
        ]


class LimitationSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[code for code, _label, _when in limitations.RULES],
        help_text="Which limitation: see /methods/#limitations.",
    )
    label = serializers.CharField(help_text="The limitation as the study page names it.")
    explanation = serializers.CharField(help_text="Why it matters, for this study.")


class StudySerializer(StudySummarySerializer):
    limitations = LimitationSerializer(
        many=True, read_only=True, help_text="What limits how far the study can be trusted, computed from its facts."
    )
    discrepancies = serializers.ListField(
        source="discrepancy_list",
        child=serializers.CharField(),
        read_only=True,
        help_text="Known disagreements between sources.",
    )
    registrations = RegistrationSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    arms = ArmSerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    adverse_events = AdverseEventSerializer(many=True, read_only=True)

    class Meta:
        model = Study
        fields = [
            *StudySummarySerializer.Meta.fields,
            "summary",
            "condition_detail",
            "design_detail",
            "publication_type_detail",
            "sponsor",
            "registry_status",
            "unit_of_analysis",
            "participants_sex",
            "participants_male",
            "participants_female",
            "age_min",
            "age_max",
            "age_mean",
            "age_median",
            "severity_scale",
            "severity_range",
            "eligibility",
            "prior_treatment",
            "follow_up",
            "level_of_evidence",
            "funding",
            "adverse_event_note",
            "curation_note",
            "discrepancies",
            "limitations",
            "start_date",
            "end_date",
            "synthetic",
            "registrations",
            "sources",
            "arms",
            "measures",
            "adverse_events",
        ]
