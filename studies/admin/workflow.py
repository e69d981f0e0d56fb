"""The review workflow on a curation page: its buttons, their addresses and the bulk actions.

Any model that inherits `ReviewWorkflow` gets them by mixing `WorkflowAdmin` into its ModelAdmin
and including `admin/studies/includes/workflow.html` in its change form's object tools. Publishing needs the
model's own publish permission ("studies.publish_study", "claims.publish_claim", ...).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from studies.models import WorkflowError
from studies.models.workflow import REASON_MAX_LENGTH


class WorkflowAdmin:
    actions = ["submit_for_review", "publish_selected"]

    def admin_url_name(self, view):
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/workflow/<slug:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name=self.admin_url_name("workflow"),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if record is not None:
            extra_context["workflow_steps"] = record.available_steps(request.user)
            extra_context["workflow_url"] = f"admin:{self.admin_url_name('workflow')}"
            extra_context["publication_problems"] = record.publication_problems()
            extra_context["reason_max_length"] = REASON_MAX_LENGTH
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def workflow_view(self, request, object_id, step):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404(f"No {self.opts.verbose_name} has the id {object_id!r}.")
        workflow_step = record.workflow_step(step)
        if workflow_step is None:
            raise Http404(f"There is no workflow step called {step!r}.")
        try:
            record.take_step(workflow_step.name, request.user, reason=request.POST.get("reason", ""))
        except WorkflowError as refusal:
            if refusal.permission_denied:
                raise PermissionDenied(str(refusal)) from refusal
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, f"'{record}' is now {record.get_status_display().lower()}.", messages.SUCCESS)
        return redirect(reverse(f"admin:{self.admin_url_name('change')}", args=[record.pk]))

    def take_step_on_each(self, request, queryset, step_name):
        """Take one step on every selected record, reporting which moved and which were refused and why."""
        step = self.model.workflow_step(step_name)
        moved, refused = [], []
        for record in queryset:
            try:
                record.take_step(step.name, request.user)
            except WorkflowError as refusal:
                refused.append(f"'{record}': {refusal.why}")
            else:
                moved.append(f"'{record}'")
        if moved:
            self.message_user(request, f"{step.history} {len(moved)}: {', '.join(moved)}.", messages.SUCCESS)
        if refused:
            self.message_user(request, f"Refused {len(refused)}: {' | '.join(refused)}", messages.WARNING)

    @admin.action(description="Submit selected %(verbose_name_plural)s for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.take_step_on_each(request, queryset, "submit")

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.take_step_on_each(request, queryset, "publish")

    def has_publish_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.publish_{self.opts.model_name}")
