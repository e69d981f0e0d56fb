from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Appearance, Claim, EvidenceLink
from studies.admin.base import CurationAdmin, KeyAutocomplete
from studies.admin.forms import ReasonedSaveMixin
from studies.models import WorkflowError
from studies.models.workflow import REASON_MAX_LENGTH


class ClaimForm(forms.ModelForm):
    """Changes to a published claim need a reason, kept in the history, as for studies."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=100,
        required=False,
        help_text="Required when the claim is published: say briefly what changed and why (e.g. 're-assessed "
        "after Amini 2025 was corrected'). Stored in the history.",
    )

    class Meta:
        model = Claim
        fields = ["key", "quote", "appearance", "topic", "product", "verdict", "rationale", "assessed_on"]

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.instance.is_public and not cleaned_data.get("change_reason", "").strip():
            self.add_error(
                "change_reason",
                "This claim is published: give a short reason for the change. It is stored in the history.",
            )
        return cleaned_data


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    extra = 0
    fields = ["study", "role", "position"]
    autocomplete_fields = ["study"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "study":
            kwargs["widget"] = KeyAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EvidenceChangedFilter(admin.SimpleListFilter):
    title = "evidence changed since assessed"
    parameter_name = "evidence_changed"

    def lookups(self, request, model_admin):
        return [("yes", "Yes: re-assess"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(evidence_changed=self.value() == "yes")
        return queryset


@admin.register(Appearance)
class AppearanceAdmin(SimpleHistoryAdmin):
    list_display = ["key", "kind", "publisher", "url", "seen_on"]
    list_filter = ["kind"]
    search_fields = ["key", "description", "publisher", "author", "url"]
    fields = ["key", ("kind", "kind_detail"), "description", ("publisher", "author"), "url", "archived_url", "seen_on"]


@admin.register(Claim)
class ClaimAdmin(ReasonedSaveMixin, CurationAdmin):
    form = ClaimForm
    list_display = ["key", "verdict", "topic", "appearance", "status", "assessed_on", "evidence_changed"]
    list_filter = ["status", EvidenceChangedFilter, "verdict", "topic", "appearance__kind"]
    list_select_related = ["appearance"]
    search_fields = ["key", "quote", "product", "appearance__description"]
    readonly_fields = ["status", "created_at", "updated_at"]
    actions = ["submit_for_review", "publish_selected"]
    inlines = [EvidenceLinkInline]
    fieldsets = [
        (None, {"fields": ["key", "status", "quote", "appearance", ("topic", "product")]}),
        ("Assessment", {"fields": ["verdict", "rationale", "assessed_on"]}),
        ("Saving", {"fields": ["change_reason", ("created_at", "updated_at")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_evidence_changed()

    @admin.display(boolean=True, description="Evidence changed since assessed", ordering="evidence_changed")
    def evidence_changed(self, claim):
        return claim.evidence_changed

    def view_on_site(self, claim):
        return claim.get_absolute_url() if claim.is_public else None

    def get_urls(self):
        return [
            path(
                "<path:object_id>/workflow/<slug:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name="claims_claim_workflow",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if claim is not None:
            extra_context["workflow_steps"] = claim.available_steps(request.user)
            extra_context["publication_problems"] = claim.publication_problems()
            extra_context["reason_max_length"] = REASON_MAX_LENGTH
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def workflow_view(self, request, object_id, step):
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            raise Http404(f"No claim has the id {object_id!r}.")
        workflow_step = claim.workflow_step(step)
        if workflow_step is None:
            raise Http404(f"There is no workflow step called {step!r}.")
        try:
            claim.take_step(workflow_step.name, request.user, reason=request.POST.get("reason", ""))
        except WorkflowError as refusal:
            if refusal.permission_denied:
                raise PermissionDenied(str(refusal)) from refusal
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, f"'{claim}' is now {claim.get_status_display().lower()}.", messages.SUCCESS)
        return redirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def take_step_on_each(self, request, queryset, step_name):
        step = Claim.workflow_step(step_name)
        moved, refused = [], []
        for claim in queryset:
            try:
                claim.take_step(step.name, request.user)
            except WorkflowError as refusal:
                refused.append(f"'{claim}': {refusal.why}")
            else:
                moved.append(f"'{claim}'")
        if moved:
            self.message_user(request, f"{step.history} {len(moved)}: {', '.join(moved)}.", messages.SUCCESS)
        if refused:
            self.message_user(request, f"Refused {len(refused)}: {' | '.join(refused)}", messages.WARNING)

    @admin.action(description="Submit selected claims for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.take_step_on_each(request, queryset, "submit")

    @admin.action(description="Publish selected claims", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.take_step_on_each(request, queryset, "publish")

    def has_publish_permission(self, request):
        return request.user.has_perm("claims.publish_claim")
