from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from studies.admin.base import CurationAdmin
from studies.admin.forms import CurationForm, ReasonedSaveMixin
from studies.admin.history import study_history
from studies.admin.inlines import (
    AdverseEventInline,
    ArmInline,
    OutcomeMeasureInline,
    RegistrationInline,
    SourceInline,
)
from studies.exports import export_selected_studies
from studies.models import Study

Status = Study.Status

# Each workflow step: where it may start, where it leads, who may take it.
WORKFLOW = {
    "submit": {"from": [Status.DRAFT], "to": Status.IN_REVIEW, "permission": "change", "label": "Submitted for review"},
    "return-to-draft": {
        "from": [Status.IN_REVIEW],
        "to": Status.DRAFT,
        "permission": "change",
        "label": "Returned to draft",
    },
    "publish": {"from": [Status.IN_REVIEW], "to": Status.PUBLISHED, "permission": "publish", "label": "Published"},
    "unpublish": {"from": [Status.PUBLISHED], "to": Status.IN_REVIEW, "permission": "publish", "label": "Unpublished"},
}


def refusal_for_publishing(study):
    if study.status != Status.IN_REVIEW:
        return f"it is {study.get_status_display().lower()}; only studies in review can be published"
    problems = study.publication_problems()
    return " ".join(problems)


@admin.register(Study)
class StudyAdmin(ReasonedSaveMixin, CurationAdmin):
    class Media:
        css = {"all": ["studies/admin.css"]}

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
    actions = ["submit_for_review", "publish_selected", export_selected_studies]
    inlines = [SourceInline, RegistrationInline, ArmInline, OutcomeMeasureInline, AdverseEventInline]
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
        ("Safety", {"fields": ["adverse_event_status", "adverse_event_note"]}),
        ("Verification", {"fields": ["verification", "curation_note", "discrepancies"]}),
        ("Saving", {"fields": ["change_reason", "loaded_version", ("created_at", "updated_at")]}),
    ]

    def has_publish_permission(self, request):
        return request.user.has_perm("studies.publish_study")

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
        study = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if study is not None:
            extra_context["can_publish"] = self.has_publish_permission(request)
            extra_context["publication_problems"] = study.publication_problems()
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def workflow_view(self, request, object_id, step):
        study = get_object_or_404(Study, pk=object_id)
        if step not in WORKFLOW:
            raise PermissionDenied
        rule = WORKFLOW[step]
        allowed = (
            self.has_publish_permission(request)
            if rule["permission"] == "publish"
            else self.has_change_permission(request, study)
        )
        if not allowed:
            raise PermissionDenied
        change_url = reverse("admin:studies_study_change", args=[study.pk])
        if study.status not in rule["from"]:
            self.message_user(
                request,
                f"'{study.title}' is {study.get_status_display().lower()}; it cannot be "
                f"{rule['label'].lower()} from there.",
                messages.ERROR,
            )
            return redirect(change_url)
        reason = rule["label"]
        if step == "publish":
            problems = study.publication_problems()
            if problems:
                self.message_user(
                    request, f"'{study.title}' was not published. Missing: {' '.join(problems)}", messages.ERROR
                )
                return redirect(change_url)
        if step == "unpublish":
            given = request.POST.get("reason", "").strip()
            if not given or "\x00" in given:
                self.message_user(
                    request, "Give a reason for unpublishing in plain text; the study stays published.", messages.ERROR
                )
                return redirect(change_url)
            reason = f"Unpublished: {given}"[:100]
        study.transition(rule["to"], reason)
        self.message_user(request, f"'{study.title}' is now {study.get_status_display().lower()}.", messages.SUCCESS)
        return redirect(change_url)

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

    @admin.action(description="Submit selected studies for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        drafts = [study for study in queryset if study.status == Status.DRAFT]
        for study in drafts:
            study.transition(Status.IN_REVIEW, "Submitted for review")
        skipped = queryset.count() - len(drafts)
        self.message_user(request, f"Submitted {len(drafts)} for review; {skipped} skipped (not drafts).")

    @admin.action(description="Publish selected studies", permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, refused = [], []
        for study in queryset:
            refusal = refusal_for_publishing(study)
            if refusal:
                refused.append(f"'{study.title}': {refusal}")
            else:
                study.transition(Status.PUBLISHED, "Published")
                published.append(f"'{study.title}'")
        if published:
            self.message_user(request, f"Published {len(published)}: {', '.join(published)}.", messages.SUCCESS)
        if refused:
            self.message_user(request, f"Refused {len(refused)}: {' | '.join(refused)}", messages.WARNING)
