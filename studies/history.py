"""The history of a study is the history of the study record and of every one of its parts."""

from itertools import chain

from studies.models import (
    AdverseEvent,
    AdverseEventGroup,
    Arm,
    ArmComparison,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Registration,
    Source,
    Study,
)


def study_history_records(study_id):
    # Parts that were deleted keep their history rows, so the ids come from history, not from live rows.
    arm_ids = Arm.history.filter(study_id=study_id).values("id")
    measure_ids = OutcomeMeasure.history.filter(study_id=study_id).values("id")
    querysets = [
        Study.history.filter(id=study_id),
        Registration.history.filter(study_id=study_id),
        Source.history.filter(study_id=study_id),
        Arm.history.filter(study_id=study_id),
        Intervention.history.filter(arm_id__in=arm_ids),
        OutcomeMeasure.history.filter(study_id=study_id),
        OutcomeResult.history.filter(measure_id__in=measure_ids),
        ArmComparison.history.filter(measure_id__in=measure_ids),
        AdverseEvent.history.filter(study_id=study_id),
        AdverseEventGroup.history.filter(study_id=study_id),
    ]
    return chain.from_iterable(queryset.select_related("history_user") for queryset in querysets)
