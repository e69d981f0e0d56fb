from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from studies.admin.base import CurationAdmin
from studies.admin.forms import CurationForm, ReasonedSaveMixin
from studies.admin.history import study_history
from studies.admin.inlines import (
    AdverseEventGroupInline,
    AdverseEventInline,
    ArmInline,
    OutcomeMeasureInline,
    RegistrationInline,
    SourceInline,
)
from studies.admin.workflow import WorkflowAdmin
from studies.exports import zip_response
from studies.models import Study


@admin.register(Study)
class StudyAdmin(WorkflowAdmin, ReasonedSaveMixin, CurationAdmin):
    form = CurationForm
    list_display = ["title", "design", "condition", "sample_size", "status", "verification", "updated_at"]
    list_filter = [
        "status",
        "design",
        "condition",
        ("arms__interventions__intervention_class", admin.ChoicesFieldListFilter),
        ("arms__interventions__exosome_source", admin.ChoicesFieldListFilter),
        "verification",
    ]
    search_fields = ["title", "slug", "sources__doi", "=sources__pmid", "=registrations__identifier"]
    show_full_result_count = False
    list_per_page = 50
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "created_at", "updated_at"]
    actions = [*WorkflowAdmin.actions, "export_selected_studies"]
    inlines = [
        SourceInline,
        RegistrationInline,
        ArmInline,
        OutcomeMeasureInline,
        AdverseEventGroupInline,
        AdverseEventInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "status"]}),
        (
            "Condition and design",
            {
                "fields": [
                    ("condition", "condition_detail"),
                    ("design", "design_detail"),
                    ("publication_type", "publication_type_detail"),
                    ("results_status", "registry_status"),
                    ("year", "country", "sponsor"),
                    ("start_date", "end_date"),
                    "level_of_evidence",
                    "funding",
                ]
            },
        ),
        (
            "Participants",
            {
                "fields": [
                    ("sample_size", "sample_size_not_reported", "planned_sample_size"),
                    "unit_of_analysis",
                    ("participants_sex", "participants_male", "participants_female"),
                    ("age_min", "age_max", "age_mean", "age_median"),
                    ("severity_scale", "severity_range"),
                    "eligibility",
                    "prior_treatment",
                    "follow_up",
                ]
            },
        ),
        ("Safety", {"fields": ["adverse_event_status", "adverse_event_note", "adverse_event_threshold"]}),
        ("Verification", {"fields": ["verification", "curation_note", "discrepancies"]}),
        ("Saving", {"fields": ["change_reason", "loaded_version", ("created_at", "updated_at")]}),
    ]

    def view_on_site(self, study):
        # Before publishing, the public page does not exist: curators see the preview instead.
        return study.get_absolute_url() if study.is_public else reverse("studies:preview", args=[study.slug])

    def get_urls(self):
        return [
            path(
                "<path:object_id>/full-history/",
                self.admin_site.admin_view(self.full_history_view),
                name="studies_study_full_history",
            ),
            *super().get_urls(),
        ]

    def full_history_view(self, request, object_id):
        study = get_object_or_404(Study, pk=object_id)
        if not self.has_view_or_change_permission(request, study):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Full history: {study}",
            "opts": self.model._meta,
            "original": study,
            "entries": study_history(study.pk),
        }
        return TemplateResponse(request, "admin/studies/study/full_history.html", context)

    @admin.action(description="Export selected studies (zip of CSV tables)")
    def export_selected_studies(self, request, queryset):
        """The selected studies, whatever their workflow status, in the public download's formats."""
        return zip_response(queryset, request)
