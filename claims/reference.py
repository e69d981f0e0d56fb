"""The reference claims and their appearances, loaded with the reference studies by the same rules.

Missing records are created (claims published); a record no curator has touched since it was loaded
is corrected to match the file, with the reason "Reference data correction"; a record a curator has
edited is left alone and reported as a conflict, with what differs.
"""

from pathlib import Path

from django.db import transaction

from claims.models import Appearance, Claim, EvidenceLink
from studies.models import Study
from studies.reference import (
    CORRECTION_REASON,
    LOADED_REASON,
    Outcome,
    edited_since_loaded,
    read_yaml,
    save_checked,
    shown,
)

REFERENCE_FILE = Path(__file__).resolve().parent / "reference_data" / "claims.yaml"

# The file describes the kind of each appearance in its own words; these are the choices they fall under.
KINDS = {
    "promotional web article (sells a product)": Appearance.Kind.PROMOTIONAL_ARTICLE,
    "clinic blog (promotes a treatment it offers)": Appearance.Kind.CLINIC_PAGE,
    "consumer information website": Appearance.Kind.CONSUMER_INFORMATION,
}


def read_reference_claims(path=REFERENCE_FILE):
    return read_yaml(path)


def appearance_facts(data):
    return {
        "kind": KINDS[data["kind"]],
        "kind_detail": data["kind"],
        "description": data["description"],
        "url": data.get("url") or "",
    }


def claim_facts(data):
    return {
        "appearance": data["appearance"],
        "quote": data["quote"],
        "topic": Claim.Topic(data["topic"].replace(" ", "_")),
        "verdict": Claim.Verdict(data["verdict"]),
        "rationale": data["rationale"],
        "assessed_on": data["assessed_on"],
        # A registered trial is named by its registry ID; its slug is that ID in lower case.
        "evidence": [(link["study"].lower(), link["role"]) for link in data["evidence"]],
    }


def stored_claim_facts(claim):
    return {
        "appearance": claim.appearance.key,
        "quote": claim.quote,
        "topic": claim.topic,
        "verdict": claim.verdict,
        "rationale": claim.rationale,
        "assessed_on": claim.assessed_on,
        "evidence": [(link.study.slug, link.role) for link in claim.evidence_links.select_related("study")],
    }


def differing(stored, planned):
    return {name: (stored[name], value) for name, value in planned.items() if stored[name] != value}


def described(fields):
    return [
        f"{name} {shown(old) if name != 'evidence' else old} -> {shown(new) if name != 'evidence' else new}"
        for name, (old, new) in fields.items()
    ]


def set_evidence(claim, evidence, reason):
    """Replace the claim's evidence links with `evidence`, [(study slug, role)] in order."""
    studies = Study.objects.in_bulk([slug for slug, _ in evidence], field_name="slug")
    missing = [slug for slug, _ in evidence if slug not in studies]
    if missing:
        raise ValueError(f"claim {claim.key} cites studies that are not loaded: {', '.join(missing)}")
    for link in claim.evidence_links.all():
        link._change_reason = reason
        link.delete()
    for position, (slug, role) in enumerate(evidence):
        save_checked(EvidenceLink(claim=claim, study=studies[slug], role=role, position=position), reason)


@transaction.atomic
def load_appearance(data):
    label = f"appearance {data['key']}"
    planned = appearance_facts(data)
    stored = Appearance.objects.filter(key=data["key"]).first()
    if stored is None:
        save_checked(Appearance(key=data["key"], **planned), LOADED_REASON)
        return Outcome(label, "created")
    changes = differing({name: getattr(stored, name) for name in planned}, planned)
    if not changes:
        return Outcome(label, "unchanged")
    if edited_since_loaded(stored.history.all()):
        return Outcome(label, "conflict", described(changes))
    for name, (_old, new) in changes.items():
        setattr(stored, name, new)
    save_checked(stored, CORRECTION_REASON)
    return Outcome(label, "corrected", described(changes))


@transaction.atomic
def load_claim(data):
    label = f"claim {data['key']}"
    planned = claim_facts(data)
    evidence = planned.pop("evidence")
    appearance = Appearance.objects.get(key=planned.pop("appearance"))
    stored = Claim.objects.filter(key=data["key"]).select_related("appearance").first()
    if stored is None:
        claim = Claim(key=data["key"], appearance=appearance, status=Claim.Status.PUBLISHED, **planned)
        save_checked(claim, LOADED_REASON)
        set_evidence(claim, evidence, LOADED_REASON)
        return Outcome(label, "created")
    changes = differing(stored_claim_facts(stored), {"appearance": appearance.key, **planned, "evidence": evidence})
    if not changes:
        return Outcome(label, "unchanged")
    link_history = EvidenceLink.history.filter(claim_id=stored.pk)
    if edited_since_loaded(stored.history.all(), link_history.all()):
        return Outcome(label, "conflict", described(changes))
    stored.appearance = appearance
    for name in planned:
        setattr(stored, name, planned[name])
    save_checked(stored, CORRECTION_REASON)
    if "evidence" in changes:
        set_evidence(stored, evidence, CORRECTION_REASON)
    return Outcome(label, "corrected", described(changes))


def load_reference_claims(data=None):
    """Bring the database up to date with the reference claims; one Outcome per appearance and claim.
    The studies they cite must be loaded first."""
    data = data if data is not None else read_reference_claims()
    outcomes = [load_appearance(entry) for entry in data["appearances"]]
    outcomes += [load_claim(entry) for entry in data["claims"]]
    return outcomes
