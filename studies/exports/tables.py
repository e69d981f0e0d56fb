"""The tables, each defined once as columns: the CSV files, datapackage.json and the data
dictionary page all read these definitions."""

import re
from dataclasses import dataclass, field

from studies.exports.rows import (
    LIST_SEPARATOR,
    AdverseEventRowType,
    Scope,
    ValueOrigin,
    adverse_event_rows,
    arm_rows,
    outcome_rows,
    source_rows,
    study_rows,
)
from studies.models import (
    AdverseEvent,
    Arm,
    Direction,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Significance,
    Source,
    Study,
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, datetime
    description: str
    unit: str = ""
    choices: type | None = None  # a TextChoices class whose codes the column holds
    listed: bool = False  # one item per intervention, separated by LIST_SEPARATOR
    site_address: bool = False  # a path on this site, written as an absolute address

    @property
    def codes(self):
        """(code, label, meaning) for each code; the meaning is empty unless the choices define one."""
        if not self.choices:
            return []
        meanings = getattr(self.choices, "meanings", {})
        return [(code, label, meanings.get(code, "")) for code, label in self.choices.choices]

    @property
    def constraints(self):
        if not self.codes:
            return {}
        codes = [code for code, _label, _meaning in self.codes]
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
    rows: object  # function(study_ids) -> rows as dicts keyed by column name; function() when not per_study
    primary_key: str
    foreign_keys: tuple = field(default=())
    # False for a table about all published studies together (evidence.csv), written once whatever
    # studies the download selects.
    per_study: bool = True

    @property
    def filename(self):
        return f"{self.name}.csv"

    @property
    def header(self):
        return [column.name for column in self.columns]

    @property
    def site_addresses(self):
        return [column.name for column in self.columns if column.site_address]


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
        Column("public_url", "string", "The study's page on this site.", site_address=True),
        Column(
            "citation",
            "string",
            "Citation of the study's own source (its results article, else its registry record or protocol), "
            "as printed. Empty for a study known only through a review: see secondary_source.",
        ),
        Column("doi", "string", "DOI of the study's own source, lower case. Never a review's DOI."),
        Column("pmid", "string", "PubMed ID of the study's own source."),
        Column("pmcid", "string", "PubMed Central ID of the study's own source."),
        Column(
            "secondary_source",
            "string",
            "Only for a study known only through a review (its own publication not read): the review it was "
            "read in, as printed. The review's details are in sources.csv.",
        ),
        Column(
            "secondary_source_doi",
            "string",
            "DOI of that review, lower case: it identifies the review, not the study.",
        ),
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
        Column("class_title", "string", "The part of the measure the row belongs to, when the source splits it."),
        Column("category_title", "string", "The category counted, when the source counts by category."),
        Column(
            "statistic", "string", "What value is. Empty for results in words only.", choices=OutcomeResult.Statistic
        ),
        Column(
            "statistic_detail",
            "string",
            "The statistic in the source's words; on between-arm rows, what the estimate is (e.g. LS Mean Difference).",
        ),
        Column(
            "value",
            "number",
            "The value, in the row's unit (percent for percent change); on between-arm rows, the estimate.",
        ),
        Column("baseline", "number", "The value at baseline, in the row's unit."),
        Column("follow_up", "number", "The value at this time point, in the row's unit."),
        Column("dispersion_type", "string", "Kind of spread reported.", choices=OutcomeResult.Dispersion),
        Column("dispersion_detail", "string", "The kind of spread in the source's words."),
        Column("dispersion_value", "number", "SD, SE or IQR width as one number, in the row's unit."),
        Column("dispersion_lower", "number", "Lower bound of a range, IQR or confidence interval, in the row's unit."),
        Column("dispersion_upper", "number", "Upper bound of a range, IQR or confidence interval, in the row's unit."),
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
        Column(
            "authors",
            "string",
            "Authors as the citation prints them (surname and initials, separated by commas). Empty when it "
            "names none.",
        ),
        Column("article_title", "string", "The article's own title as printed. Empty when unknown."),
        Column("journal", "string", "Journal as the citation prints it (usually abbreviated), or a preprint's server."),
        Column("year", "integer", "Year of publication as printed. Empty when the citation gives none."),
        Column("volume", "string", "Volume as printed."),
        Column("issue", "string", "Issue as printed."),
        Column("pages", "string", "Pages or article number as printed, e.g. 4262-4271."),
        Column("doi", "string", "DOI, lower case."),
        Column("pmid", "string", "PubMed ID."),
        Column("pmcid", "string", "PubMed Central ID."),
        Column("registry_id", "string", "Registry ID, for a registry record."),
        Column("urls", "string", "Web addresses where the facts were read, separated by a space."),
        NOTE,
    ),
)

# The tables about studies and their parts; the registry of every table is exports.TABLES.
STUDY_TABLES = (STUDIES, ARMS, OUTCOMES, ADVERSE_EVENTS, SOURCES)
