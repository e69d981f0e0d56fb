from django.contrib import admin

from studies.admin.base import CurationAdmin, KeyAutocomplete
from studies.admin.forms import CurationForm, ReasonedSaveMixin
from studies.admin.inlines import ArmComparisonInline, InterventionInline, OutcomeResultInline
from studies.models import Arm, OutcomeMeasure


class StudyPartAdmin(ReasonedSaveMixin, CurationAdmin):
    """A part of a study edited on its own page; every save counts as a change to the study."""

    form = CurationForm
    list_select_related = ["study"]
    autocomplete_fields = ["study"]
    search_fields = ["study__title"]
    show_full_result_count = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "study":
            kwargs["widget"] = KeyAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A part belongs to its study for good (see FixedParent): chosen when it is added, then shown.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "study"] if obj is not None else readonly

    def has_module_permission(self, request):
        # Reached from the study page; the index lists studies only.
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.study.bump_version()

    def delete_model(self, request, obj):
        study = obj.study
        super().delete_model(request, obj)
        study.bump_version()


@admin.register(Arm)
class ArmAdmin(StudyPartAdmin):
    list_display = ["label", "study", "role", "participants"]
    search_fields = ["label", "study__title"]
    fields = [
        "study",
        "label",
        ("role", "role_detail"),
        "participants",
        "description",
        "position",
        "change_reason",
        "loaded_version",
    ]
    inlines = [InterventionInline]


@admin.register(OutcomeMeasure)
class OutcomeMeasureAdmin(StudyPartAdmin):
    list_display = ["name", "study", "category", "unit"]
    search_fields = ["name", "study__title"]
    fields = [
        "study",
        ("name", "category"),
        ("unit", "method"),
        ("role", "timepoints"),
        "description",
        "position",
        "change_reason",
        "loaded_version",
    ]
    inlines = [OutcomeResultInline, ArmComparisonInline]
