from django.conf import settings
from django.contrib import admin

from studies.admin.evidence import AppraisalAdmin, OutcomeSummaryAdmin
from studies.admin.parts import ArmAdmin, OutcomeMeasureAdmin
from studies.admin.study import StudyAdmin

admin.site.site_header = f"{settings.SITE_NAME}: curation"
admin.site.site_title = f"{settings.SITE_NAME}: curation"
admin.site.index_title = "Studies, their parts, appraisals and outcome summaries"
# The sidebar repeats the one-app index and takes width the results grid needs.
admin.site.enable_nav_sidebar = False

__all__ = ["AppraisalAdmin", "ArmAdmin", "OutcomeMeasureAdmin", "OutcomeSummaryAdmin", "StudyAdmin"]
