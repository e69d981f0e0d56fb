"""What each table's rows hold: a few queries per chunk of studies, with no per-row query."""

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import F
from django.urls import reverse

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
    percent_change_between,
    rounded_percent,
)

LIST_SEPARATOR = " | "
# OWASP's list of leading characters that make a spreadsheet evaluate a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


class Scope(models.TextChoices):
    ARM = "arm", "One arm's result"
    WHOLE_STUDY = "whole_study", "Result for the whole study, not split by arm"
    BETWEEN_ARMS = "between_arms", "Comparison between arms as reported"


class ValueOrigin(models.TextChoices):
    REPORTED = "reported", "Copied from the source"
    COMPUTED = "computed", "Computed by the tracker from reported values"


class AdverseEventRowType(models.TextChoices):
    REPORTING_STATUS = "reporting_status", "What the study says about harm overall (one row per study)"
    EVENT = "event", "One adverse event, in one arm or the whole study"


def joined(values):
    return LIST_SEPARATOR.join(values)


# The study's own publication comes first when choosing the one source that identifies it. A review
# summarising the study is not its source: a study known only through reviews gets no citation or
# DOI of its own (the review's DOI would send a reader, or a reference manager, to the review), and
# names the review it was read in instead.
OWN_SOURCE_PREFERENCE = [
    Source.Relation.PRIMARY_RESULTS,
    Source.Relation.REGISTRY_RECORD,
    Source.Relation.PROTOCOL,
]
CITATION_PARTS = ["authors", "title", "journal", "year", "volume", "issue", "pages"]


def study_rows(study_ids):
    """One row per study. Besides its columns a row holds `own_source` (the source that identifies the
    study, with its citation's parts) and `known_only_through` (the review a study without a source of
    its own was read in), for the citations."""
    own_sources, reviews = {}, {}
    sources = Source.objects.filter(study_id__in=study_ids).order_by("position", "id")
    for source in sources.values("study_id", "relation", "citation", "doi", "pmid", "pmcid", *CITATION_PARTS):
        study_id = source["study_id"]
        if source["relation"] == Source.Relation.SECONDARY_REVIEW:
            reviews.setdefault(study_id, source)
            continue
        current = own_sources.get(study_id)
        rank = OWN_SOURCE_PREFERENCE.index(source["relation"])
        if current is None or rank < OWN_SOURCE_PREFERENCE.index(current["relation"]):
            own_sources[study_id] = source
    registry_ids = {}
    registrations = Registration.objects.filter(study_id__in=study_ids).values_list("study_id", "identifier")
    for study_id, identifier in registrations.order_by("identifier"):
        registry_ids.setdefault(study_id, []).append(identifier)

    for study in Study.objects.filter(pk__in=study_ids).order_by("pk").values():
        source = own_sources.get(study["id"])
        review = None if source else reviews.get(study["id"])
        yield {
            **study,
            "study_slug": study["slug"],
            # A path on this site; the download makes it absolute (see Column.site_address).
            "public_url": reverse("studies:detail", args=[study["slug"]]),
            "citation": source and source["citation"],
            "doi": source and source["doi"],
            "pmid": source and source["pmid"],
            "pmcid": source and source["pmcid"],
            "secondary_source": review and review["citation"],
            "secondary_source_doi": review and review["doi"],
            "registry_ids": joined(registry_ids.get(study["id"], [])),
            "discrepancies": joined(line.strip() for line in study["discrepancies"].splitlines() if line.strip()),
            "workflow_status": study["status"],
            "own_source": source,
            "known_only_through": review,
        }


INTERVENTION_LISTS = {
    "intervention_classes": "intervention_class",
    "exosome_sources": "exosome_source",
    "exosome_source_details": "source_detail",
    "products": "product",
    "routes": "route",
    "route_details": "route_detail",
    "doses": "dose",
    "regimens": "regimen",
}


def arm_rows(study_ids):
    interventions = {}
    query = Intervention.objects.filter(arm__study_id__in=study_ids).order_by("arm_id", "position", "id")
    for intervention in query.values("arm_id", *INTERVENTION_LISTS.values()):
        interventions.setdefault(intervention["arm_id"], []).append(intervention)
    arms = Arm.objects.filter(study_id__in=study_ids).order_by("study_id", "position", "id")
    for arm in arms.values("id", "study__slug", "label", "role", "participants", "description"):
        parts = interventions.get(arm["id"], [])
        yield {
            "arm_id": arm["id"],
            "study_slug": arm["study__slug"],
            "arm_label": arm["label"],
            "role": arm["role"],
            "participants": arm["participants"],
            "description": arm["description"],
            "intervention_count": len(parts),
            **{column: joined(part[name] for part in parts) for column, name in INTERVENTION_LISTS.items()},
        }


def driver_rows(queryset):
    """The rows of a values() queryset as dicts, read straight from the database driver.

    The ORM would turn every number into a Decimal and back; the export only writes them out,
    so it takes what the driver returns: the numbers as the plain text they are stored as. On
    the largest table this is most of the export's cost.
    """
    query = queryset.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # e.g. no study ids: nothing to read
        return
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2000):
            for values in batch:
                yield dict(zip(names, values, strict=True))


# The measure's facts repeat on each of its rows; the query names them as the table does, so a
# row needs no copying (this table is the largest by far).
MEASURE_COLUMNS = {
    "study_slug": F("measure__study__slug"),
    "measure_name": F("measure__name"),
    "category": F("measure__category"),
    "measure_role": F("measure__role"),
    "method": F("measure__method"),
    "unit": F("measure__unit"),
    "measure_timepoints": F("measure__timepoints"),
}
RESULT_FIELDS = ["id", "measure_id", "arm_id", *OutcomeResult.REPORTED_FIELDS]


def outcome_rows(study_ids):
    results = {}
    query = OutcomeResult.objects.filter(measure__study_id__in=study_ids).order_by(
        "measure_id", "position", F("timepoint_value").asc(nulls_last=True), "id"
    )
    for result in driver_rows(query.values(*RESULT_FIELDS, arm_label=F("arm__label"), **MEASURE_COLUMNS)):
        results.setdefault(result["measure_id"], []).append(result)
    comparisons = {}
    query = ArmComparison.objects.filter(measure__study_id__in=study_ids).order_by(
        "measure_id", F("timepoint_value").asc(nulls_last=True), "id"
    )
    comparison_fields = [field.attname for field in ArmComparison._meta.concrete_fields]
    for comparison in query.values(*comparison_fields, **MEASURE_COLUMNS):
        comparisons.setdefault(comparison["measure_id"], []).append(comparison)

    measures = OutcomeMeasure.objects.filter(study_id__in=study_ids).order_by("study_id", "position", "id")
    for measure_id in measures.values_list("id", flat=True):
        for row in results.get(measure_id, ()):
            row["row_id"] = f"result-{row['id']}"
            row["result_id"] = row["id"]
            row["scope"] = Scope.ARM if row["arm_id"] else Scope.WHOLE_STUDY
            row["value_origin"] = ValueOrigin.REPORTED
            row["comparison"] = None
            yield row
            if row["statistic"] == OutcomeResult.Statistic.PERCENT_CHANGE:
                continue  # the source gave the percent change itself
            percent = percent_change_between(row["baseline"], row["follow_up"])
            if percent is not None:
                yield {
                    **row,
                    "row_id": f"result-{row['id']}-percent-change",
                    "statistic": OutcomeResult.Statistic.PERCENT_CHANGE,
                    "value": rounded_percent(percent),
                    "dispersion_type": "",
                    "dispersion_value": None,
                    "dispersion_lower": None,
                    "dispersion_upper": None,
                    "p_value": "",
                    "significance": "",
                    "result_text": "",
                    "value_origin": ValueOrigin.COMPUTED,
                }
        for comparison in comparisons.get(measure_id, ()):
            comparison["row_id"] = f"comparison-{comparison['id']}"
            comparison["scope"] = Scope.BETWEEN_ARMS
            comparison["comparison"] = comparison["description"]
            comparison["statistic_detail"] = comparison["estimate_type"]
            comparison["value_origin"] = ValueOrigin.REPORTED
            yield comparison


def adverse_event_rows(study_ids):
    events = {}
    query = AdverseEvent.objects.filter(study_id__in=study_ids).order_by(
        "study_id", F("arm__position").asc(nulls_first=True), F("arm_id").asc(nulls_first=True), "term", "id"
    )
    for event in query.values("arm__label", *(f.attname for f in AdverseEvent._meta.concrete_fields)):
        events.setdefault(event["study_id"], []).append(event)
    studies = Study.objects.filter(pk__in=study_ids).order_by("pk")
    for study in studies.values("id", "slug", "adverse_event_status", "adverse_event_note"):
        yield {
            "row_id": f"status-{study['slug']}",
            "row_type": AdverseEventRowType.REPORTING_STATUS,
            "study_slug": study["slug"],
            "reporting_status": study["adverse_event_status"],
            "note": study["adverse_event_note"],
        }
        for event in events.get(study["id"], []):
            yield {
                **event,
                "row_id": f"event-{event['id']}",
                "row_type": AdverseEventRowType.EVENT,
                "study_slug": study["slug"],
                "adverse_event_id": event["id"],
                "arm_label": event["arm__label"],
            }


def source_rows(study_ids):
    sources = Source.objects.filter(study_id__in=study_ids).order_by("study_id", "position", "id")
    for source in sources.values("study__slug", *(f.attname for f in Source._meta.concrete_fields)):
        yield {
            **source,
            "source_id": source["id"],
            "study_slug": source["study__slug"],
            "article_title": source["title"],
            "urls": " ".join(line.strip() for line in source["urls"].splitlines() if line.strip()),
        }
