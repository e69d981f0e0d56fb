from .arms import Arm, Intervention
from .numbers import plain_number
from .outcomes import (
    ArmComparison,
    Direction,
    OutcomeMeasure,
    OutcomeResult,
    Significance,
    percent_change_between,
    rounded_percent,
)
from .safety import AdverseEvent, AdverseEventGroup
from .sources import Registration, Source
from .study import Study
from .workflow import ReviewStatus, ReviewWorkflow, Step, WorkflowError

__all__ = [
    "AdverseEvent",
    "AdverseEventGroup",
    "Arm",
    "ArmComparison",
    "Direction",
    "Intervention",
    "OutcomeMeasure",
    "OutcomeResult",
    "Registration",
    "ReviewStatus",
    "ReviewWorkflow",
    "Significance",
    "Source",
    "Step",
    "Study",
    "WorkflowError",
    "percent_change_between",
    "plain_number",
    "rounded_percent",
]
