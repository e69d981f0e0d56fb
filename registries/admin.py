"""Import from ClinicalTrials.gov: read a record, say which arm each result group is, then write it.

The pages are the admin's own: the add page reads a record, the mapping page shows the record's
groups beside the study's arms, and for a study past draft the review page lists each difference to
accept with a reason. Nothing reaches a study before the curator confirms.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from registries.ctgov import RecordError, fetch_record
from registries.forms import AcceptForm, GroupMappingForm, ImportForm
from registries.models import PendingImport
from registries.records import Record
from registries.sync import ImportRefused, accept, changes, find_study, import_record

NAME = "registries_pendingimport"


def arms_to_choose(record, study):
    """The study's arms, then the record's arms the study does not have yet (the import adds them)."""
    labels = list(study.arms.values_list("label", flat=True)) if study else []
    return labels + [label for label in record.arm_labels() if label not in labels]


@admin.register(PendingImport)
class PendingImportAdmin(admin.ModelAdmin):
    list_display = ["nct_id", "read_at", "read_by", "waiting_for"]
    list_select_related = ["read_by"]

    @admin.display(description="Waiting for")
    def waiting_for(self, pending):
        return "the groups to be shown as arms" if pending.arm_of is None else "changes to be accepted"

    # Importing writes studies, so it takes the permissions to add and change them.
    def has_add_permission(self, request):
        return request.user.has_perm("studies.add_study") and request.user.has_perm("studies.change_study")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("studies.change_study")

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def get_urls(self):
        return [
            path("<int:pk>/groups/", self.admin_site.admin_view(self.groups_view), name=f"{NAME}_groups"),
            path("<int:pk>/review/", self.admin_site.admin_view(self.review_view), name=f"{NAME}_review"),
            *super().get_urls(),
        ]

    def context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
        if request.method == "POST" and form.is_valid():
            try:
                data = form.cleaned_data.get("record") or fetch_record(form.cleaned_data["nct_id"])
            except RecordError as error:
                form.add_error(None, str(error))
            else:
                pending = PendingImport.objects.create(nct_id=Record(data).nct_id, record=data, read_by=request.user)
                return redirect("admin:registries_pendingimport_groups", pending.pk)
        title = "Import from ClinicalTrials.gov"
        return TemplateResponse(request, "admin/registries/import_form.html", self.context(request, title, form=form))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pending = get_object_or_404(PendingImport, pk=object_id)
        step = "groups" if pending.arm_of is None else "review"
        return redirect(f"admin:registries_pendingimport_{step}", pending.pk)

    def groups_view(self, request, pk):
        if not self.has_add_permission(request):
            raise PermissionDenied
        pending = get_object_or_404(PendingImport, pk=pk)
        record = Record(pending.record)
        study = find_study(record.nct_id)
        arm_labels = arms_to_choose(record, study)
        groups = record.groups
        suggestions = {group.key: record.suggested_arm(group, arm_labels) for group in groups}
        posted = request.POST if request.method == "POST" else None
        form = GroupMappingForm(posted, groups=groups, arm_labels=arm_labels, suggestions=suggestions)
        if request.method == "POST" and form.is_valid():
            try:
                outcome = import_record(record, form.arm_of(), request.user)
            except ImportRefused as refusal:
                form.add_error(None, f"Nothing was imported. {refusal}")
            else:
                if outcome.waiting:
                    pending.arm_of = form.arm_of()
                    pending.save(update_fields=["arm_of"])
                    return redirect("admin:registries_pendingimport_review", pending.pk)
                pending.delete()
                self.message_user(request, self.done_message(outcome, record), messages.SUCCESS)
                return redirect("admin:studies_study_change", outcome.study.pk)
        context = self.context(
            request,
            f"{record.nct_id}: which arm is each result group?",
            form=form,
            record=record,
            study=study,
            arm_labels=arm_labels,
            new_arms=[label for label in arm_labels if not study or not study.arms.filter(label=label).exists()],
            pending=pending,
        )
        return TemplateResponse(request, "admin/registries/map_groups.html", context)

    def done_message(self, outcome, record):
        if outcome.created:
            return (
                f"Imported {record.nct_id} as the draft study '{outcome.study}'. Check it, then submit it for review."
            )
        if outcome.applied:
            return f"Updated the draft study '{outcome.study}' from {record.nct_id}: {len(outcome.applied)} change(s)."
        return f"The draft study '{outcome.study}' already matches {record.nct_id}: nothing changed."

    def review_view(self, request, pk):
        pending = get_object_or_404(PendingImport, pk=pk)
        if not self.has_change_permission(request, pending) or pending.arm_of is None:
            raise PermissionDenied
        record = Record(pending.record)
        study = find_study(record.nct_id)
        if study is None:
            pending.delete()
            self.message_user(request, f"No study holds {record.nct_id} any more.", messages.WARNING)
            return redirect("admin:registries_pendingimport_changelist")
        form = AcceptForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                key, reason = form.cleaned_data["key"], form.cleaned_data["reason"]
                change = accept(study, record, pending.arm_of, key, reason, request.user)
            except ImportRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(request, f"Accepted: {change.label}.", messages.SUCCESS)
            return redirect("admin:registries_pendingimport_review", pending.pk)
        if request.method == "POST":
            for problem in form.errors.values():
                self.message_user(request, " ".join(problem), messages.ERROR)
        context = self.context(
            request,
            f"{record.nct_id}: differences from '{study}'",
            study=study,
            record=record,
            changes=changes(study, record, pending.arm_of),
            pending=pending,
            delete_url=reverse("admin:registries_pendingimport_delete", args=[pending.pk]),
        )
        return TemplateResponse(request, "admin/registries/review.html", context)
