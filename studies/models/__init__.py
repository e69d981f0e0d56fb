from .appraisal import TOOLS, Appraisal, AppraisalJudgement, Judgement, proposed_tool
from .arms import Arm, Intervention
from .evidence import Certainty, Concern, OutcomeSummary, counts_for
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
    "TOOLS",
    "Appraisal",
    "AppraisalJudgement",
    "Certainty",
    "Concern",
    "Judgement",
    "OutcomeSummary",
    "counts_for",
    "proposed_tool",
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
