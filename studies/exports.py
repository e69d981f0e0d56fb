"""The downloadable tables: each defined once, as columns, for the CSV files, the data package
description and the data dictionary page alike."""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import admin
from django.db.models import F
from django.http import StreamingHttpResponse
from django.urls import reverse

from studies.models import (
    AdverseEvent,
    Arm,
    ArmComparison,
    Direction,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Registration,
    Significance,
    Source,
    Study,
    plain_number,
)

# Studies fetched per round of queries: every table costs a fixed number of queries per chunk,
# so memory and query count stay bounded whatever the number of studies.
CHUNK_SIZE = 500
LIST_SEPARATOR = " | "
# OWASP's list of leading characters that make a spreadsheet evaluate a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
ZIP_NAME = "hair-loss-evidence.zip"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, datetime
    description: str
    unit: str = ""
    choices: type | None = None  # a TextChoices class whose codes the column holds
    listed: bool = False  # one item per intervention, separated by LIST_SEPARATOR

    @property
    def codes(self):
        return self.choices.choices if self.choices else []

    @property
    def constraints(self):
        if not self.codes:
            return {}
        codes = [code for code, _label in self.codes]
        if not self.listed:
            return {"constraints": {"enum": codes}}
        item = "(" + "|".join(codes) + ")?"
        return {"constraints": {"pattern": f"{item}({re.escape(LIST_SEPARATOR)}{item})*"}}


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    reference: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple
    rows: object  # function(study_ids, base_url) -> rows as dicts keyed by column name
    primary_key: str
    foreign_keys: tuple = field(default=())

    @property
    def filename(self):
        return f"{self.name}.csv"

    @property
    def header(self):
        return [column.name for column in self.columns]


def neutralise(text):
    """A text cell a spreadsheet shows as text, never runs as a formula."""
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def cell(column, value):
    if value is None or value == "":
        return ""
    if column.type == "number":
        return plain_number(value)
    if column.type == "integer":
        return str(value)
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "datetime":
        return value.isoformat()
    return neutralise(str(value))


def joined(values):
    return LIST_SEPARATOR.join(values)


def chunks_of(studies):
    """The ids of the given studies, in id order, a chunk at a time (keyset pagination)."""
    last_id = 0
    while True:
        ids = list(studies.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:CHUNK_SIZE])
        if ids:
            yield ids
        if len(ids) < CHUNK_SIZE:
            return
        last_id = ids[-1]


# The study's own publication comes first when choosing the one source that identifies it.
SOURCE_PREFERENCE = [
    Source.Relation.PRIMARY_RESULTS,
    Source.Relation.REGISTRY_RECORD,
    Source.Relation.PROTOCOL,
    Source.Relation.SECONDARY_REVIEW,
]


def study_rows(study_ids, base_url):
    main_sources = {}
    sources = Source.objects.filter(study_id__in=study_ids).order_by("position", "id")
    for source in sources.values("study_id", "relation", "citation", "doi", "pmid", "pmcid"):
        current = main_sources.get(source["study_id"])
        rank = SOURCE_PREFERENCE.index(source["relation"])
        if current is None or rank < SOURCE_PREFERENCE.index(current["relation"]):
            main_sources[source["study_id"]] = source
    registry_ids = {}
    registrations = Registration.objects.filter(study_id__in=study_ids).values_list("study_id", "identifier")
    for study_id, identifier in registrations.order_by("identifier"):
        registry_ids.setdefault(study_id, []).append(identifier)

    for study in Study.objects.filter(pk__in=study_ids).order_by("pk").values():
        source = main_sources.get(study["id"], {})
        yield {
            **study,
            "study_slug": study["slug"],
            "public_url": base_url + reverse("studies:detail", args=[study["slug"]]),
            "citation": source.get("citation"),
            "doi": source.get("doi"),
            "pmid": source.get("pmid"),
            "pmcid": source.get("pmcid"),
            "registry_ids": joined(registry_ids.get(study["id"], [])),
            "discrepancies": joined(line.strip() for line in study["discrepancies"].splitlines() if line.strip()),
            "workflow_status": study["status"],
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


def arm_rows(study_ids, base_url):
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


def percent_change(baseline, follow_up):
    return ((follow_up - baseline) / baseline * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def outcome_rows(study_ids, base_url):
    measure_fields = {
        "study_slug": "study__slug",
        "measure_name": "name",
        "category": "category",
        "measure_role": "role",
        "method": "method",
        "unit": "unit",
        "measure_timepoints": "timepoints",
    }
    measures = OutcomeMeasure.objects.filter(study_id__in=study_ids).order_by("study_id", "position", "id")
    results = {}
    query = OutcomeResult.objects.filter(measure__study_id__in=study_ids).order_by(
        "measure_id", "position", F("timepoint_value").asc(nulls_last=True), "id"
    )
    for result in query.values("arm__label", *(f.attname for f in OutcomeResult._meta.concrete_fields)):
        results.setdefault(result["measure_id"], []).append(result)
    comparisons = {}
    query = ArmComparison.objects.filter(measure__study_id__in=study_ids).order_by(
        "measure_id", F("timepoint_value").asc(nulls_last=True), "id"
    )
    for comparison in query.values():
        comparisons.setdefault(comparison["measure_id"], []).append(comparison)

    for measure in measures.values("id", *measure_fields.values()):
        about = {"measure_id": measure["id"], **{name: measure[lookup] for name, lookup in measure_fields.items()}}
        for result in results.get(measure["id"], []):
            row = {
                **about,
                **result,
                "row_id": f"result-{result['id']}",
                "result_id": result["id"],
                "scope": "arm" if result["arm_id"] else "whole_study",
                "arm_label": result["arm__label"],
                "value_origin": "reported",
            }
            yield row
            baseline, follow_up = result["baseline"], result["follow_up"]
            if baseline and follow_up is not None and result["statistic"] != OutcomeResult.Statistic.PERCENT_CHANGE:
                yield {
                    **row,
                    "row_id": f"result-{result['id']}-percent-change",
                    "statistic": OutcomeResult.Statistic.PERCENT_CHANGE,
                    "value": percent_change(baseline, follow_up),
                    "dispersion_type": "",
                    "dispersion_value": None,
                    "dispersion_lower": None,
                    "dispersion_upper": None,
                    "p_value": "",
                    "significance": "",
                    "result_text": "",
                    "value_origin": "computed",
                }
        for comparison in comparisons.get(measure["id"], []):
            yield {
                **about,
                **comparison,
                "row_id": f"comparison-{comparison['id']}",
                "scope": "between_arms",
                "comparison": comparison["description"],
                "value_origin": "reported",
            }


def adverse_event_rows(study_ids, base_url):
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
            "row_type": "reporting_status",
            "study_slug": study["slug"],
            "reporting_status": study["adverse_event_status"],
            "note": study["adverse_event_note"],
        }
        for event in events.get(study["id"], []):
            yield {
                **event,
                "row_id": f"event-{event['id']}",
                "row_type": "event",
                "study_slug": study["slug"],
                "adverse_event_id": event["id"],
                "arm_label": event["arm__label"],
            }


def source_rows(study_ids, base_url):
    sources = Source.objects.filter(study_id__in=study_ids).order_by("study_id", "position", "id")
    for source in sources.values("study__slug", *(f.attname for f in Source._meta.concrete_fields)):
        yield {
            **source,
            "source_id": source["id"],
            "study_slug": source["study__slug"],
            "urls": " ".join(line.strip() for line in source["urls"].splitlines() if line.strip()),
        }


class Scope:
    choices = [
        ("arm", "One arm's result"),
        ("whole_study", "Result for the whole study, not split by arm"),
        ("between_arms", "Comparison between arms as reported"),
    ]


class ValueOrigin:
    choices = [
        ("reported", "Copied from the source"),
        ("computed", "Computed by the tracker from reported values"),
    ]


class AdverseEventRowType:
    choices = [
        ("reporting_status", "What the study says about harm overall (one row per study)"),
        ("event", "One adverse event, in one arm or the whole study"),
    ]


STUDY_SLUG = Column("study_slug", "string", "The study's key: its address on this site is /studies/<study_slug>/.")
ARM_ID = Column("arm_id", "integer", "The arm's key in arms.csv. Empty when the row is not about one arm.")
ARM_LABEL = Column("arm_label", "string", "The arm's name as the source gives it.")
NOTE = Column("note", "string", "Anything else the source says, in its words.")
STUDY_KEY = ForeignKey("study_slug", "studies", "study_slug")
ARM_KEY = ForeignKey("arm_id", "arms", "arm_id")
YEARS = "years"
PARTICIPANTS = "participants"

STUDIES = Table(
    name="studies",
    title="Studies",
    description="One row per study: what it is, who took part, how far its facts were verified.",
    rows=study_rows,
    primary_key="study_slug",
    columns=(
        STUDY_SLUG,
        Column("title", "string", "Descriptive title of the study record (the article's title is in the citation)."),
        Column("public_url", "string", "The study's page on this site."),
        Column("citation", "string", "Citation of the study's main source, as printed."),
        Column("doi", "string", "DOI of the main source, lower case."),
        Column("pmid", "string", "PubMed ID of the main source."),
        Column("pmcid", "string", "PubMed Central ID of the main source."),
        Column("registry_ids", "string", f"Trial registry IDs, separated by '{LIST_SEPARATOR}'."),
        Column("year", "integer", "Year the results were published. Empty for registered trials and when unknown."),
        Column("country", "string", "Country where participants were treated."),
        Column("condition", "string", "Hair-loss condition studied.", choices=Study.Condition),
        Column("condition_detail", "string", "The condition in the source's words."),
        Column("design", "string", "Study design.", choices=Study.Design),
        Column("design_detail", "string", "The design in the source's words."),
        Column("publication_type", "string", "What kind of publication reports it.", choices=Study.PublicationType),
        Column("sample_size", "integer", "Participants enrolled (people). Empty when unknown.", PARTICIPANTS),
        Column("sample_size_not_reported", "boolean", "true when the source does not report the enrolment."),
        Column("planned_sample_size", "integer", "Target enrolment stated in a trial registry.", PARTICIPANTS),
        Column("unit_of_analysis", "string", "What one observation is.", choices=Study.UnitOfAnalysis),
        Column("participants_sex", "string", "Sex of the participants.", choices=Study.Sex),
        Column("participants_male", "integer", "Male participants, when reported.", PARTICIPANTS),
        Column("participants_female", "integer", "Female participants, when reported.", PARTICIPANTS),
        Column("age_min", "number", "Youngest participant's age, when reported.", YEARS),
        Column("age_max", "number", "Oldest participant's age, when reported.", YEARS),
        Column("age_mean", "number", "Mean age, when reported.", YEARS),
        Column("age_median", "number", "Median age, when reported.", YEARS),
        Column("severity_scale", "string", "Scale used to describe severity, e.g. Norwood-Hamilton."),
        Column("severity_range", "string", "Severity range included, as written."),
        Column("follow_up", "string", "Length of follow-up as reported."),
        Column("results_status", "string", "Whether results have been reported.", choices=Study.ResultsStatus),
        Column(
            "adverse_event_status",
            "string",
            "What the source says about harm; details in adverse-events.csv.",
            choices=Study.AdverseEventStatus,
        ),
        Column("verification", "string", "The deepest reading of the facts.", choices=Study.Verification),
        Column("level_of_evidence", "string", "Level of evidence, only when the source assigns one."),
        Column("sponsor", "string", "Sponsor named in the registry record."),
        Column("registry_status", "string", "Recruitment status as the registry states it."),
        Column("summary", "string", "Plain-language summary."),
        Column("curation_note", "string", "How the facts were gathered and what remains unverified."),
        Column("discrepancies", "string", f"Known disagreements between sources, separated by '{LIST_SEPARATOR}'."),
        Column(
            "workflow_status", "string", "Workflow status; always 'published' on the public site.", choices=Study.Status
        ),
        Column("updated_at", "datetime", "When the record last changed (UTC)."),
    ),
)

ARMS = Table(
    name="arms",
    title="Arms",
    description=(
        "One row per arm or cohort, with its interventions. Intervention columns list one item per "
        f"intervention, separated by '{LIST_SEPARATOR}', in the same order in every column."
    ),
    rows=arm_rows,
    primary_key="arm_id",
    foreign_keys=(STUDY_KEY,),
    columns=(
        Column("arm_id", "integer", "The arm's key."),
        STUDY_SLUG,
        ARM_LABEL,
        Column("role", "string", "The arm's part in the design.", choices=Arm.Role),
        Column(
            "participants", "integer", "Participants (or scalp halves) allocated. Empty when unknown.", PARTICIPANTS
        ),
        Column("description", "string", "What else the source says about the arm."),
        Column("intervention_count", "integer", "Number of interventions the arm received."),
        Column(
            "intervention_classes",
            "string",
            "Kind of each intervention.",
            choices=Intervention.InterventionClass,
            listed=True,
        ),
        Column(
            "exosome_sources",
            "string",
            "For exosomes: the cells or plant they come from (empty item for other interventions).",
            choices=Intervention.ExosomeSource,
            listed=True,
        ),
        Column("exosome_source_details", "string", "The exosome source in the source's words.", listed=True),
        Column("products", "string", "Product name and maker, when named.", listed=True),
        Column("routes", "string", "How each intervention reaches the scalp.", choices=Intervention.Route, listed=True),
        Column("route_details", "string", "The route in the source's words.", listed=True),
        Column("doses", "string", "Dose as reported, with its units.", listed=True),
        Column("regimens", "string", "Schedule as reported.", listed=True),
    ),
)

OUTCOMES = Table(
    name="outcomes",
    title="Outcomes",
    description=(
        "Long format: one row per study, measure, arm, time point and statistic. Rows with value_origin "
        "'computed' add a percent change the tracker computed from a reported baseline and follow-up."
    ),
    rows=outcome_rows,
    primary_key="row_id",
    foreign_keys=(STUDY_KEY, ARM_KEY),
    columns=(
        Column("row_id", "string", "The row's key: result-<id>, result-<id>-percent-change or comparison-<id>."),
        STUDY_SLUG,
        Column("measure_id", "integer", "The outcome measure's key; rows of one measure share it."),
        Column("measure_name", "string", "The outcome as the source names it."),
        Column("category", "string", "Category used to compare studies.", choices=OutcomeMeasure.Category),
        Column("measure_role", "string", "Primary or secondary outcome.", choices=OutcomeMeasure.Role),
        Column("method", "string", "How it was measured."),
        Column("unit", "string", "Unit of value, baseline, follow_up and dispersion columns, as the source uses it."),
        Column("measure_timepoints", "string", "When the measure was assessed, as reported."),
        Column("scope", "string", "What the row is about.", choices=Scope),
        ARM_ID,
        ARM_LABEL,
        Column("result_id", "integer", "The reported result a row comes from. Empty for between-arm rows."),
        Column("timepoint_value", "number", "Time since the start of treatment (0 is baseline)."),
        Column("timepoint_unit", "string", "Unit of timepoint_value.", choices=OutcomeResult.Unit),
        Column("timepoint_label", "string", "The time point in the source's words."),
        Column(
            "statistic", "string", "What value is. Empty for results in words only.", choices=OutcomeResult.Statistic
        ),
        Column("value", "number", "The value, in the row's unit (percent for percent change)."),
        Column("baseline", "number", "The value at baseline, in the row's unit."),
        Column("follow_up", "number", "The value at this time point, in the row's unit."),
        Column("dispersion_type", "string", "Kind of spread reported.", choices=OutcomeResult.Dispersion),
        Column("dispersion_value", "number", "SD, SE or IQR width as one number, in the row's unit."),
        Column("dispersion_lower", "number", "Lower bound of a range, IQR or 95% CI, in the row's unit."),
        Column("dispersion_upper", "number", "Upper bound of a range, IQR or 95% CI, in the row's unit."),
        Column("n_analysed", "integer", "Participants (or scalp halves) analysed.", PARTICIPANTS),
        Column("p_value", "string", "The p-value exactly as reported, e.g. <0.05."),
        Column("direction", "string", "Direction of the change as reported.", choices=Direction),
        Column("significance", "string", "Whether the source reports it as significant.", choices=Significance),
        Column("result_text", "string", "The result in the source's words."),
        Column("comparison", "string", "For between-arm rows: which arms were compared."),
        Column("value_origin", "string", "Whether value was reported or computed.", choices=ValueOrigin),
    ),
)

ADVERSE_EVENTS = Table(
    name="adverse-events",
    title="Adverse events",
    description=(
        "One reporting_status row per study (so 'none observed' and 'not reported' stay distinct), then "
        "one event row per adverse event and arm. Counts are never pooled across arms."
    ),
    rows=adverse_event_rows,
    primary_key="row_id",
    foreign_keys=(STUDY_KEY, ARM_KEY),
    columns=(
        Column("row_id", "string", "The row's key: status-<study_slug> or event-<id>."),
        Column(
            "row_type",
            "string",
            "Whether the row states the study's reporting or one event.",
            choices=AdverseEventRowType,
        ),
        STUDY_SLUG,
        Column(
            "reporting_status",
            "string",
            "On reporting_status rows: what the source says about harm.",
            choices=Study.AdverseEventStatus,
        ),
        Column("adverse_event_id", "integer", "The event's key. Empty on reporting_status rows."),
        Column("arm_id", "integer", "Arm in which the event was seen; empty when not split by arm."),
        ARM_LABEL,
        Column("term", "string", "The event as the source names it."),
        Column("serious", "boolean", "Whether the source classes it as serious. Empty when it does not say."),
        Column("participants_affected", "integer", "Participants who had it at least once.", PARTICIPANTS),
        Column("participants_at_risk", "integer", "Participants who could have had it.", PARTICIPANTS),
        Column("number_of_events", "integer", "Total occurrences.", "events"),
        Column("severity", "string", "Severity as graded by the source.", choices=AdverseEvent.Severity),
        Column("note", "string", "The source's safety statement (status rows) or note on the event."),
    ),
)

SOURCES = Table(
    name="sources",
    title="Sources",
    description="One row per publication or record the facts were read in.",
    rows=source_rows,
    primary_key="source_id",
    foreign_keys=(STUDY_KEY,),
    columns=(
        Column("source_id", "integer", "The source's key."),
        STUDY_SLUG,
        Column("relation", "string", "How the source relates to the study.", choices=Source.Relation),
        Column("citation", "string", "Full citation as printed."),
        Column("doi", "string", "DOI, lower case."),
        Column("pmid", "string", "PubMed ID."),
        Column("pmcid", "string", "PubMed Central ID."),
        Column("registry_id", "string", "Registry ID, for a registry record."),
        Column("urls", "string", "Web addresses where the facts were read, separated by a space."),
        NOTE,
    ),
)

TABLES = {table.name: table for table in (STUDIES, ARMS, OUTCOMES, ADVERSE_EVENTS, SOURCES)}


def rows(table, studies, base_url):
    for study_ids in chunks_of(studies):
        yield from table.rows(study_ids, base_url)


def csv_text(table, studies, base_url):
    """The table as CSV text, one piece per chunk of studies."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    for study_ids in chunks_of(studies):
        for row in table.rows(study_ids, base_url):
            writer.writerow([cell(column, row.get(column.name)) for column in table.columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def data_package():
    """The Frictionless Data Package describing the five tables, their keys and their joins."""
    return {
        "profile": "tabular-data-package",
        "name": "hair-loss-evidence",
        "title": "Clinical evidence on exosome therapy for hair loss",
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name,
                "path": table.filename,
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True},
                "schema": {
                    "fields": [
                        {
                            "name": column.name,
                            "type": column.type,
                            "description": column.description,
                            **({"unit": column.unit} if column.unit else {}),
                            **column.constraints,
                        }
                        for column in table.columns
                    ],
                    "missingValues": [""],
                    "primaryKey": [table.primary_key],
                    "foreignKeys": [
                        {"fields": [key.column], "reference": {"resource": key.table, "fields": [key.reference]}}
                        for key in table.foreign_keys
                    ],
                },
            }
            for table in TABLES.values()
        ],
    }


class _Pipe(io.RawIOBase):
    """A write-only stream the zip is written into and emptied from as it grows.

    Not seekable, so zipfile writes each member's sizes after its data and never goes back:
    the archive streams out without being held in memory or on disk.
    """

    def __init__(self):
        super().__init__()
        self.pieces = []

    def writable(self):
        return True

    def write(self, data):
        self.pieces.append(bytes(data))
        return len(data)

    def take(self):
        data = b"".join(self.pieces)
        self.pieces.clear()
        return data


def zip_bytes(studies, base_url):
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES.values():
            # force_zip64: a member's size is unknown when its header is written.
            with archive.open(table.filename, "w", force_zip64=True) as member:
                for text in csv_text(table, studies, base_url):
                    member.write(text.encode())
                    yield pipe.take()
        archive.writestr("datapackage.json", json.dumps(data_package(), indent=2, ensure_ascii=False))
    yield pipe.take()


def base_url_of(request):
    return request.build_absolute_uri("/").rstrip("/")


def csv_response(table, studies, request):
    response = StreamingHttpResponse(
        csv_text(table, studies, base_url_of(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{table.filename}"'
    return response


def zip_response(studies, request):
    response = StreamingHttpResponse(zip_bytes(studies, base_url_of(request)), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{ZIP_NAME}"'
    return response


@admin.action(description="Export selected studies (zip of CSV tables)")
def export_selected_studies(modeladmin, request, queryset):
    """The selected studies, whatever their workflow status, in the public download's formats."""
    return zip_response(queryset, request)
