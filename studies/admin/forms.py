"""Forms shared by every curation page: edit locking and reasons for changing published records."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from studies.models import Arm, Study
from studies.models.study import arm_size_problem


def study_of(instance):
    if isinstance(instance, Study):
        return instance if instance.pk else None
    return instance.study if instance.study_id else None


class ReasonForm(forms.ModelForm):
    """Changes to a published record need a reason, kept in its history.

    The record whose publication counts is the one edited, or for a part of a study, its study
    (see `published_record`).
    """

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=100,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        what = self.reasoned_model()._meta.verbose_name
        self.fields[
            "change_reason"
        ].help_text = f"Required when the {what} is published: say briefly what changed and why. Stored in the history."

    def reasoned_model(self):
        return self._meta.model

    def published_record(self):
        """The saved record whose being published makes a reason necessary; None for a new one."""
        return self.instance if self.instance.pk else None

    def clean(self):
        cleaned_data = super().clean()
        record = self.published_record()
        if record is not None and record.is_public and not cleaned_data.get("change_reason", "").strip():
            self.add_error(
                "change_reason",
                f"This {record._meta.verbose_name} is published: give a short reason for the change. "
                "It is stored in the history.",
            )
        return cleaned_data


class CurationForm(ReasonForm):
    """Guards a study against lost edits.

    The form remembers the study's version when the page was opened; if someone else saved
    the study (or any part of it) in the meantime, the save is refused and nothing is
    overwritten. Changes to a published study need a reason, kept in the history.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        study = study_of(self.instance)
        if study is not None:
            self.fields["loaded_version"].initial = study.version

    def reasoned_model(self):
        return Study

    def published_record(self):
        return study_of(self.instance)

    def clean(self):
        study = study_of(self.instance)
        if study is None:
            return super().clean()
        # The check and the save that follows must be one step: the admin saves inside a transaction,
        # and locking the study's row here makes a second curator's save wait until the first one
        # has committed, then read its new version and be refused (PostgreSQL; SQLite takes the
        # whole database for writing at the start of the transaction, see settings).
        with transaction.atomic():
            current_version = (
                Study.objects.select_for_update().filter(pk=study.pk).values_list("version", flat=True).first()
            )
        loaded_version = self.cleaned_data.get("loaded_version")
        if loaded_version is not None and loaded_version != current_version:
            raise ValidationError(
                f"Someone else saved changes to study '{study.title}' after you opened this page (you opened "
                f"version {loaded_version}; it is now version {current_version}). Your changes were not saved, "
                "and theirs are kept. Open the study again to see their changes, then make yours.",
                code="stale",
            )
        return super().clean()


class ReasonedSaveMixin:
    """Saves the page's record and inline rows with the curator's reason in their history."""

    def change_reason(self, form, change):
        return form.cleaned_data.get("change_reason") or ("Edited" if change else "Created")

    def save_model(self, request, obj, form, change):
        obj._change_reason = self.change_reason(form, change)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = self.change_reason(form, change)
        for record in formset.save(commit=False):
            record._change_reason = reason
            record.save()
        for record in formset.deleted_objects:
            record._change_reason = reason
            record.delete()


ARMS_COME_FIRST = "Save the study with its arms first; then choose the arm here."


class StudyPartsFormSet(BaseInlineFormSet):
    """Inline rows that point at an arm may only choose arms of the same study."""

    def study(self):
        return study_of(self.instance)

    @property
    def note(self):
        """Shown above the rows: a study being added has no arms to choose from yet."""
        return ARMS_COME_FIRST if "arm" in self.form.base_fields and self.study() is None else ""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "arm" in form.fields:
            study = self.study()
            form.fields["arm"].queryset = Arm.objects.filter(study=study) if study else Arm.objects.none()
            if study is None:
                form.fields["arm"].empty_label = "Save the study first"
                form.fields["arm"].help_text = ARMS_COME_FIRST


class ArmFormSet(StudyPartsFormSet):
    """The arm sizes are checked together, so a curator can move participants between arms in one save."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.sizes_checked_with_siblings = True
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        sizes = [
            (form.cleaned_data["label"], form.cleaned_data.get("participants"))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problem = arm_size_problem(self.instance, sizes)
        if problem:
            raise ValidationError(problem)
