"""The certainty of the evidence, outcome by outcome: the summary-of-findings table and each outcome's page."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from studies.models import Appraisal, AppraisalJudgement, Certainty, OutcomeSummary, counts_for


def published_summaries():
    """The published outcome summaries, each with `counts` computed from the published studies (two queries)."""
    summaries = list(OutcomeSummary.objects.published())
    counts = counts_for(summaries)
    for summary in summaries:
        summary.counts = counts[summary.pk]
    return summaries


@require_safe
def evidence_list(request):
    context = {"summaries": published_summaries(), "certainty_levels": list(Certainty)}
    return render(request, "studies/evidence_list.html", context)


def published_appraisals():
    """Published appraisals with their judgements, to attach to the studies of a page."""
    judgements = AppraisalJudgement.objects.select_related("outcome", "source")
    return Appraisal.objects.published().prefetch_related(Prefetch("judgements", queryset=judgements))


@require_safe
def outcome_summary(request, key):
    summary = get_object_or_404(OutcomeSummary.objects.published(), key=key)
    summary.counts = counts_for([summary])[summary.pk]
    studies = list(
        summary.studies().with_limitation_facts().with_design_rank().order_by("design_rank", "-sample_size", "title")
    )
    appraisals = {appraisal.study_id: appraisal for appraisal in published_appraisals().filter(study__in=studies)}
    for study in studies:
        study.public_appraisal = appraisals.get(study.pk)
    return render(request, "studies/outcome_summary.html", {"summary": summary, "studies": studies})


def public_appraisal(study):
    """The study's appraisal if it is published, else None (a draft appraisal is never shown)."""
    appraisal = getattr(study, "appraisal", None)
    if appraisal is None or appraisal.status != Appraisal.Status.PUBLISHED:
        return None
    return appraisal
