from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Appearance, Claim, EvidenceLink
from studies.admin.base import CurationAdmin, KeyAutocomplete
from studies.admin.forms import ReasonedSaveMixin
from studies.admin.workflow import WorkflowAdmin


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
        fields = [
            "key",
            "quote",
            "appearance",
            "topic",
            "product",
            "verdict",
            "rationale",
            "assessed_on",
            "outcome_summaries",
        ]

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
class ClaimAdmin(WorkflowAdmin, ReasonedSaveMixin, CurationAdmin):
    form = ClaimForm
    list_display = ["key", "verdict", "topic", "appearance", "status", "assessed_on", "evidence_changed"]
    list_filter = ["status", EvidenceChangedFilter, "verdict", "topic", "appearance__kind"]
    list_select_related = ["appearance"]
    search_fields = ["key", "quote", "product", "appearance__description"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [EvidenceLinkInline]
    filter_horizontal = ["outcome_summaries"]
    fieldsets = [
        (None, {"fields": ["key", "status", "quote", "appearance", ("topic", "product")]}),
        ("Assessment", {"fields": ["verdict", "rationale", "assessed_on", "outcome_summaries"]}),
        ("Saving", {"fields": ["change_reason", ("created_at", "updated_at")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_evidence_changed()

    @admin.display(boolean=True, description="Evidence changed since assessed", ordering="evidence_changed")
    def evidence_changed(self, claim):
        return claim.evidence_changed

    def view_on_site(self, claim):
        return claim.get_absolute_url() if claim.is_public else None
