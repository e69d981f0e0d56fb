"""appraisals.csv and evidence.csv: their columns and rows, only what the public sees, in a fixed number of queries."""

from django.db.models import F

from studies.exports.tables import PARTICIPANTS, STUDY_KEY, STUDY_SLUG, Column, ForeignKey, Table
from studies.models import (
    TOOLS,
    Appraisal,
    AppraisalJudgement,
    Certainty,
    Concern,
    Judgement,
    OutcomeSummary,
    Study,
    counts_for,
)
from studies.models.appraisal import OVERALL
from studies.models.evidence import ADVERSE_EVENTS, DOMAINS

OVERALL_NAME = "Overall"


def judgement_label(code):
    return Judgement(code).label if code else ""


def domain_order(tool):
    """Sorts an appraisal's rows as the tool lists its domains, the overall judgement last."""
    positions = {domain.code: position for position, domain in enumerate(tool.domains)}
    return lambda row: positions.get(row["domain"], len(positions))


def appraisal_rows(study_ids):
    """One row per judgement of the published appraisals of the given studies: the whole study's
    domains and its overall judgement, then each outcome judged on its own."""
    appraisals = Appraisal.objects.published().filter(study_id__in=study_ids)
    judgements = {}
    query = AppraisalJudgement.objects.filter(appraisal__in=appraisals).order_by("appraisal_id", "outcome_id", "id")
    for row in query.values(
        "id",
        "appraisal_id",
        "outcome_id",
        "domain",
        "judgement",
        "support",
        "source_id",
        outcome_name=F("outcome__name"),
        source_citation=F("source__citation"),
        source_urls=F("source__urls"),
    ):
        judgements.setdefault(row["appraisal_id"], []).append(row)
    fields = ["id", "study__slug", "study__title", "tool", "tool_reason", "overall", "overall_support"]
    for appraisal in appraisals.order_by("study_id").values(*fields):
        tool = TOOLS[appraisal["tool"]]
        common = {
            "study_slug": appraisal["study__slug"],
            "study_title": appraisal["study__title"],
            "tool": appraisal["tool"],
            "tool_reason": appraisal["tool_reason"],
        }
        overall = {
            "row_id": f"overall-{appraisal['id']}",
            "domain": OVERALL,
            "judgement": appraisal["overall"],
            "support": appraisal["overall_support"],
        }
        rows = judgements.get(appraisal["id"], [])
        whole_study = sorted((row for row in rows if row["outcome_id"] is None), key=domain_order(tool))
        by_outcome = {}
        for row in rows:
            if row["outcome_id"] is not None:
                by_outcome.setdefault(row["outcome_id"], []).append(row)
        for row in [*whole_study, overall]:
            yield judgement_row(tool, common, row)
        for outcome_rows in by_outcome.values():
            for row in sorted(outcome_rows, key=domain_order(tool)):
                yield judgement_row(tool, common, row)


def judgement_row(tool, common, row):
    domain = tool.domain(row["domain"])
    return {
        **common,
        "row_id": row["row_id"] if "row_id" in row else f"judgement-{row['id']}",
        "measure_id": row.get("outcome_id"),
        "outcome": row.get("outcome_name") or "",
        "domain": row["domain"],
        "domain_name": domain.name if domain else (OVERALL_NAME if row["domain"] == OVERALL else row["domain"]),
        "judgement": row["judgement"],
        "judgement_label": judgement_label(row["judgement"]),
        "support": row["support"],
        "source_id": row.get("source_id"),
        "source_citation": row.get("source_citation") or "",
        "source_urls": " ".join((row.get("source_urls") or "").split()),
    }


def evidence_rows():
    """One row per published outcome summary, its counts computed from the published studies."""
    summaries = list(OutcomeSummary.objects.published())
    counts = counts_for(summaries)
    for summary in summaries:
        count = counts[summary.pk]
        # A sum over studies none of which reports its size is unknown, not zero.
        participants_known = count.participants_unknown < count.studies or not count.studies
        yield {
            "key": summary.key,
            "question": summary.question,
            "outcome": summary.outcome,
            "condition": summary.condition,
            "studies_selected_by": summary.studies_selected_by,
            "starting_level": summary.starting_level,
            **{field: getattr(summary, field) for field, _, _ in DOMAINS},
            **{f"{field}_reason": getattr(summary, f"{field}_reason") for field, _, _ in DOMAINS},
            "certainty": summary.certainty,
            "certainty_symbols": summary.certainty_symbols,
            "plain_language": summary.plain_language,
            "studies": count.studies,
            "participants": count.participants if participants_known else None,
            "studies_participants_unknown": count.participants_unknown,
            "designs": "; ".join(f"{label}: {number}" for label, number in count.designs),
            "studies_words_only": None if summary.outcome_category == ADVERSE_EVENTS else count.words_only,
            "rule_of_three": count.rule_of_three,
            "updated_at": summary.updated_at,
        }


APPRAISALS = Table(
    name="appraisals",
    title="Appraisals",
    description=(
        "How well each study was carried out, judged with the appraisal tool that fits its design: one row per "
        "domain or checklist item, then one 'overall' row per study; then the domains judged differently for one "
        "outcome, with that outcome's own overall. Only published appraisals."
    ),
    rows=appraisal_rows,
    primary_key="row_id",
    foreign_keys=(STUDY_KEY, ForeignKey("source_id", "sources", "source_id")),
    columns=(
        Column("row_id", "string", "The row's key: judgement-<id>, or overall-<id> for a study's overall judgement."),
        STUDY_SLUG,
        Column("study_title", "string", "The study's title on this site."),
        Column("tool", "string", "The appraisal tool used.", choices=Appraisal.ToolChoice),
        Column("tool_reason", "string", "Why this tool rather than the one the study's design suggests, when another."),
        Column(
            "measure_id",
            "integer",
            "The outcome measure (measure_id in outcomes.csv) judged on its own; empty for the whole study.",
        ),
        Column("outcome", "string", "That outcome measure's name; empty for the whole study."),
        Column(
            "domain", "string", "The tool's domain or checklist item, as a code; 'overall' for the overall judgement."
        ),
        Column("domain_name", "string", "The domain or item in words."),
        Column(
            "judgement",
            "string",
            "The judgement, on the tool's own scale. Empty on the overall row of a JBI checklist, which has no "
            "overall judgement, and of a study that is not appraisable.",
            choices=Judgement,
        ),
        Column("judgement_label", "string", "The judgement in words."),
        Column("support", "string", "What in the source led to the judgement, quoted where possible."),
        Column("source_id", "integer", "The source the support was read in (its key in sources.csv)."),
        Column("source_citation", "string", "That source's citation as printed."),
        Column("source_urls", "string", "Web addresses of that source, separated by a space."),
    ),
)


def domain_columns():
    for field_name, name, asks in DOMAINS:
        yield Column(field_name, "string", f"{name}: {asks}.", choices=Concern)
        yield Column(f"{field_name}_reason", "string", f"Why {name.lower()} is judged so.")


EVIDENCE = Table(
    name="evidence",
    title="Evidence per outcome",
    description=(
        "One row per published outcome summary: how certain the evidence is for one outcome, judged the GRADE "
        "way, with the studies it covers counted from all published studies whatever the download's filters."
    ),
    rows=evidence_rows,
    primary_key="key",
    per_study=False,
    columns=(
        Column("key", "string", "The summary's key: its address on this site is /evidence/<key>/."),
        Column("question", "string", "The question answered: treatment, comparison and condition."),
        Column("outcome", "string", "The outcome in words."),
        Column(
            "condition", "string", "Condition of the studies covered; empty for any hair loss.", choices=Study.Condition
        ),
        Column("studies_selected_by", "string", "The rule choosing the studies, in words."),
        Column(
            "starting_level",
            "string",
            "Where the certainty starts: high for randomized trials, low otherwise.",
            choices=OutcomeSummary.StartingLevel,
        ),
        *domain_columns(),
        Column(
            "certainty",
            "string",
            "The certainty of the evidence: the starting level lowered one step per serious concern and two per "
            "very serious one, never below very low.",
            choices=Certainty,
        ),
        Column("certainty_symbols", "string", "The certainty in GRADE's symbols, from ⊕⊕⊕⊕ (high) to ⊕◯◯◯ (very low)."),
        Column("plain_language", "string", "What the evidence says, in plain words."),
        Column("studies", "integer", "Published studies the rule picks, less those a curator excluded.", "studies"),
        Column(
            "participants",
            "integer",
            "Participants in those studies that report how many took part. Empty when none does.",
            PARTICIPANTS,
        ),
        Column(
            "studies_participants_unknown",
            "integer",
            "Studies among them that do not report how many took part.",
            "studies",
        ),
        Column("designs", "string", "Their designs, most frequent first, e.g. 'Case report: 2; Case series: 1'."),
        Column(
            "studies_words_only",
            "integer",
            "Studies reporting the outcome only in words, without a number. Empty for harms.",
            "studies",
        ),
        Column(
            "rule_of_three",
            "string",
            "For harms without serious events: the highest rate the studies cannot exclude (the rule of three).",
        ),
        Column("updated_at", "datetime", "When the summary last changed (UTC)."),
    ),
)

EVIDENCE_TABLES = (APPRAISALS, EVIDENCE)
