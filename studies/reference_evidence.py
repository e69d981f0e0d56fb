"""The reference appraisals and outcome summaries, loaded and kept current the way the reference studies are.

Missing records are created published; a record no curator has touched since it was loaded is
corrected to match the files; one a curator has edited is left alone and reported as a conflict.
"""

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from studies.models import TOOLS, Appraisal, AppraisalJudgement, OutcomeSummary, Study, proposed_tool
from studies.models.evidence import DOMAINS
from studies.reference import (
    CORRECTION_REASON,
    LOADED_REASON,
    Outcome,
    edited_since_loaded,
    read_reference_studies,
    read_yaml,
    save_checked,
)

DATA = Path(__file__).resolve().parent / "reference_data"
EVIDENCE_FILE = DATA / "evidence.yaml"
APPRAISALS_FILE = DATA / "appraisals.yaml"
ANY_CONDITION = "any hair loss"
# What a domain says when nothing was read that could support a judgement, by how deep the reading went.
NOT_READ = {
    "secondary": "Only a review's summary of the study was read.",
    "abstract": "Only the abstract was read.",
    "registry": "Only the registry record was read.",
    "full_text": "",
}
NOT_APPRAISED_OVERALL = "Not assessed: the full text was not read."


def condition_choice(words):
    """'androgenetic alopecia' -> Study.Condition.ANDROGENETIC_ALOPECIA; 'any hair loss' -> ''."""
    if words == ANY_CONDITION:
        return ""
    for condition in Study.Condition:
        if condition.label.lower() == words:
            return condition.value
    raise ValueError(f"The evidence file names a condition the tracker does not know: {words!r}.")


def planned_summary(entry, position, rules):
    values = {
        "key": entry["key"],
        "question": entry["question"],
        "outcome": entry["outcome"],
        "outcome_category": entry["outcome_category"],
        "condition": condition_choice(entry["condition"]),
        "studies_selected_by": entry["studies_selected_by"],
        "starting_level": entry["starting_level"],
        "certainty": entry["certainty"],
        "plain_language": entry["plain_language"],
        "position": position,
        **rules.get(entry["key"], {}),
    }
    for field, _, _ in DOMAINS:
        values[field] = entry["domains"][field]["judgement"]
        values[f"{field}_reason"] = entry["domains"][field]["reason"]
    return values


def planned_appraisal(study, entry):
    """The appraisal's fields and its judgements {domain: (judgement, support, source)} for one study."""
    tool = TOOLS[proposed_tool(study)]
    entry = entry or {}
    judgements = {}
    first_source = study.sources.first()
    for domain in tool.domains:
        given = entry.get("judgements", {}).get(domain.code)
        if given:
            judgements[domain.code] = (given["judgement"], given["support"], first_source)
        else:
            judgements[domain.code] = ("not_assessed", NOT_READ[study.verification], None)
    fields = {
        "tool": tool.code,
        "overall": entry.get("overall", "not_assessed" if tool.has_overall else ""),
        "overall_support": entry.get("overall_support", NOT_APPRAISED_OVERALL if tool.has_overall else ""),
    }
    return fields, judgements


def stored_appraisal(appraisal):
    fields = {name: getattr(appraisal, name) for name in ("tool", "overall", "overall_support")}
    judgements = {
        row.domain: (row.judgement, row.support, row.source)
        for row in appraisal.judgements.filter(outcome__isnull=True).select_related("source")
    }
    return fields, judgements


def edited_by_a_curator(record):
    """Whether a curator has changed the summary, or the appraisal or any of its judgements, since loading."""
    if isinstance(record, Appraisal):
        return edited_since_loaded(record.history.all(), AppraisalJudgement.history.filter(appraisal_id=record.pk))
    return edited_since_loaded(record.history.all())


@transaction.atomic
def write_appraisal(appraisal, study, fields, judgements, reason):
    if appraisal is None:
        appraisal = Appraisal(study=study, status=Appraisal.Status.PUBLISHED)
    for name, value in fields.items():
        setattr(appraisal, name, value)
    save_checked(appraisal, reason)
    existing = {row.domain: row for row in appraisal.judgements.filter(outcome__isnull=True)}
    for domain, (judgement, support, source) in judgements.items():
        row = existing.pop(domain, None) or AppraisalJudgement(appraisal=appraisal, domain=domain)
        if row.pk and (row.judgement, row.support, row.source_id) == (judgement, support, source and source.pk):
            continue
        row.judgement, row.support, row.source = judgement, support, source
        save_checked(row, reason)
    for row in existing.values():
        row._change_reason = reason
        row.delete()


@transaction.atomic
def write_summary(summary, values, reason):
    if summary is None:
        summary = OutcomeSummary(status=OutcomeSummary.Status.PUBLISHED)
        summary.selection_confirmed_on = timezone.now().date()
    for name, value in values.items():
        setattr(summary, name, value)
    summary.full_clean()
    summary._change_reason = reason
    summary.save()


def load_reference_evidence():
    """Bring the appraisals and outcome summaries up to date; returns one Outcome per record."""
    outcomes = []
    appraisal_entries = {entry["study"]: entry for entry in read_yaml(APPRAISALS_FILE)["appraisals"]}
    rules = read_yaml(APPRAISALS_FILE)["evidence_rules"]
    studies = Study.objects.filter(slug__in=reference_slugs()).select_related("appraisal").order_by("slug")
    for study in studies:
        name = f"appraisal of {study.slug}"
        fields, judgements = planned_appraisal(study, appraisal_entries.get(study.slug))
        appraisal = getattr(study, "appraisal", None)
        if appraisal is None:
            write_appraisal(None, study, fields, judgements, LOADED_REASON)
            outcomes.append(Outcome(name, "created"))
            continue
        stored_fields, stored_judgements = stored_appraisal(appraisal)
        differences = {key: (stored_fields[key], value) for key, value in fields.items() if stored_fields[key] != value}
        differences |= {
            domain: (stored_judgements.get(domain, ("missing",))[0], value[0])
            for domain, value in judgements.items()
            if stored_judgements.get(domain) != value
        }
        outcomes.append(compared(appraisal, name, differences))
        if outcomes[-1].action == "corrected":
            write_appraisal(appraisal, study, fields, judgements, CORRECTION_REASON)
    for position, entry in enumerate(read_yaml(EVIDENCE_FILE)["outcome_summaries"]):
        name = f"evidence/{entry['key']}"
        values = planned_summary(entry, position, rules)
        summary = OutcomeSummary.objects.filter(key=entry["key"]).first()
        if summary is None:
            write_summary(None, values, LOADED_REASON)
            outcomes.append(Outcome(name, "created"))
            continue
        differences = {
            key: (getattr(summary, key), value) for key, value in values.items() if getattr(summary, key) != value
        }
        outcomes.append(compared(summary, name, differences))
        if outcomes[-1].action == "corrected":
            write_summary(summary, values, CORRECTION_REASON)
    return outcomes


def compared(record, name, differences):
    """Unchanged, to be corrected, or a conflict when a curator has edited the record since it was loaded."""
    if not differences:
        return Outcome(name, "unchanged")
    changes = [f"{field} '{old}' -> '{new}'" for field, (old, new) in differences.items()]
    return Outcome(name, "conflict" if edited_by_a_curator(record) else "corrected", changes)


def reference_slugs():
    return [entry["slug"] for entry in read_reference_studies()]
