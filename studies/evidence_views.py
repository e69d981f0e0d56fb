"""The certainty of the evidence, outcome by outcome: the summary-of-findings table and each outcome's page."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from studies import charts
from studies.charts.downloads import svg_download
from studies.models import (
    Appraisal,
    AppraisalJudgement,
    Certainty,
    OutcomeMeasure,
    OutcomeResult,
    OutcomeSummary,
    counts_for,
)
from studies.models.evidence import ADVERSE_EVENTS


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


def outcome_charts(summary, studies):
    """Forest plots of the exosome arms' changes in the summary's outcome, one row per arm at its latest
    change, and the studies reporting it only in words; nothing for harms, which have no such chart."""
    if summary.outcome_category == ADVERSE_EVENTS:
        return [], []
    results = OutcomeResult.objects.of_exosome_arms().select_related("arm")
    measures = (
        OutcomeMeasure.objects.filter(study__in=[study.pk for study in studies], category=summary.outcome_category)
        .select_related("study")
        .prefetch_related(Prefetch("results", queryset=results))
        .order_by("study__title", "study_id", "position", "id")
    )
    panels, words_only = charts.comparison_panels(measures)
    for number, panel in enumerate(panels, start=1):
        panel.download = reverse("studies:evidence-chart", args=[summary.key, number])
    return panels, words_only


def summary_with_studies(key):
    summary = get_object_or_404(OutcomeSummary.objects.published(), key=key)
    summary.counts = counts_for([summary])[summary.pk]
    studies = list(
        summary.studies().with_limitation_facts().with_design_rank().order_by("design_rank", "-sample_size", "title")
    )
    appraisals = {appraisal.study_id: appraisal for appraisal in published_appraisals().filter(study__in=studies)}
    for study in studies:
        study.public_appraisal = appraisal = appraisals.get(study.pk)
        if appraisal is not None:
            # The overall that holds for this outcome: a study may judge one of its measures apart.
            study.outcome_overall = appraisal.for_outcome(summary.outcome_category)[1]
    return summary, studies


@require_safe
def outcome_summary(request, key):
    summary, studies = summary_with_studies(key)
    panels, words_only = outcome_charts(summary, studies)
    context = {
        "summary": summary,
        "studies": studies,
        "charts": panels,
        "words_only": words_only,
        "traffic_lights": charts.appraisal_lights(studies, summary.outcome_category),
    }
    return render(request, "studies/outcome_summary.html", context)


@require_safe
def outcome_chart(request, key, number):
    summary, studies = summary_with_studies(key)
    panels, _ = outcome_charts(summary, studies)
    if not 1 <= number <= len(panels):
        raise Http404("This outcome has no chart of that number.")
    return svg_download(request, panels[number - 1], f"evidence-{summary.key}-{number}")


def public_appraisal(study):
    """The study's appraisal if it is published, else None (a draft appraisal is never shown)."""
    appraisal = getattr(study, "appraisal", None)
    if appraisal is None or appraisal.status != Appraisal.Status.PUBLISHED:
        return None
    return appraisal
