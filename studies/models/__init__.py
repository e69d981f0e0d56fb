from .arms import Arm, Intervention
from .outcomes import ArmComparison, Direction, OutcomeMeasure, OutcomeResult, Significance, plain_number
from .safety import AdverseEvent
from .sources import Registration, Source
from .study import Study
from .workflow import ReviewStatus, ReviewWorkflow, Step, WorkflowError

__all__ = [
    "AdverseEvent",
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
    "plain_number",
]
