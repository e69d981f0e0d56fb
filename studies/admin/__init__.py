from studies.admin.parts import ArmAdmin, OutcomeMeasureAdmin
from studies.admin.study import StudyAdmin

__all__ = ["ArmAdmin", "OutcomeMeasureAdmin", "StudyAdmin"]
