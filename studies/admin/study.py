from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

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
from studies.exports import zip_response
from studies.models import Study, WorkflowError
from studies.models.workflow import REASON_MAX_LENGTH


@admin.register(Study)
class StudyAdmin(ReasonedSaveMixin, CurationAdmin):
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
    actions = ["submit_for_review", "publish_selected", "export_selected_studies"]
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
                "<path:object_id>/workflow/<slug:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name="studies_study_workflow",
            ),
            path(
                "<path:object_id>/full-history/",
                self.admin_site.admin_view(self.full_history_view),
                name="studies_study_full_history",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        study = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if study is not None:
            extra_context["workflow_steps"] = study.available_steps(request.user)
            extra_context["publication_problems"] = study.publication_problems()
            extra_context["reason_max_length"] = REASON_MAX_LENGTH
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def workflow_view(self, request, object_id, step):
        study = self.get_object(request, unquote(object_id))
        if study is None:
            raise Http404(f"No study has the id {object_id!r}.")
        workflow_step = study.workflow_step(step)
        if workflow_step is None:
            raise Http404(f"There is no workflow step called {step!r}.")
        try:
            study.take_step(workflow_step.name, request.user, reason=request.POST.get("reason", ""))
        except WorkflowError as refusal:
            if refusal.permission_denied:
                raise PermissionDenied(str(refusal)) from refusal
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, f"'{study}' is now {study.get_status_display().lower()}.", messages.SUCCESS)
        return redirect(reverse("admin:studies_study_change", args=[study.pk]))

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

    def take_step_on_each(self, request, queryset, step_name):
        """Take one step on every selected study, reporting which moved and which were refused and why."""
        step = Study.workflow_step(step_name)
        moved, refused = [], []
        for study in queryset:
            try:
                study.take_step(step.name, request.user)
            except WorkflowError as refusal:
                refused.append(f"'{study}': {refusal.why}")
            else:
                moved.append(f"'{study}'")
        if moved:
            self.message_user(request, f"{step.history} {len(moved)}: {', '.join(moved)}.", messages.SUCCESS)
        if refused:
            self.message_user(request, f"Refused {len(refused)}: {' | '.join(refused)}", messages.WARNING)

    @admin.action(description="Submit selected studies for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.take_step_on_each(request, queryset, "submit")

    @admin.action(description="Publish selected studies", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.take_step_on_each(request, queryset, "publish")

    def has_publish_permission(self, request):
        return request.user.has_perm("studies.publish_study")

    @admin.action(description="Export selected studies (zip of CSV tables)")
    def export_selected_studies(self, request, queryset):
        """The selected studies, whatever their workflow status, in the public download's formats."""
        return zip_response(queryset, request)
