from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
)


@admin.register(Study)
class StudyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "design", "condition", "sample_size", "status", "verification", "updated_at"]
    list_filter = ["status", "design", "condition", "verification"]
    search_fields = ["title", "slug", "sources__doi", "sources__pmid", "registrations__identifier"]
    prepopulated_fields = {"slug": ["title"]}


for model in (Arm, Intervention, OutcomeMeasure, OutcomeResult, ArmComparison, AdverseEvent, Source, Registration):
    admin.site.register(model, SimpleHistoryAdmin)
