"""Small builders for claims: each makes a valid record and takes overrides."""

import datetime
import itertools

from claims.models import Appearance, Claim, EvidenceLink

_numbers = itertools.count(1)


def make_appearance(**overrides):
    number = next(_numbers)
    fields = {
        "key": f"appearance-{number}",
        "kind": Appearance.Kind.CLINIC_PAGE,
        "description": f"Clinic page number {number} about exosome treatment.",
    }
    fields.update(overrides)
    return Appearance.objects.create(**fields)


def make_claim(evidence=(), **overrides):
    """A published claim; `evidence` is a list of (study, role)."""
    number = next(_numbers)
    fields = {
        "key": f"claim-{number}",
        "quote": f"Exosomes regrow hair in every patient, says claim {number}.",
        "topic": Claim.Topic.EFFICACY,
        "verdict": Claim.Verdict.OVERSTATED,
        "rationale": "Only uncontrolled case series report regrowth.",
        "assessed_on": datetime.date(2025, 1, 10),
        "status": Claim.Status.PUBLISHED,
    }
    fields.update(overrides)
    if "appearance" not in fields:
        fields["appearance"] = make_appearance()
    claim = Claim.objects.create(**fields)
    for position, (study, role) in enumerate(evidence):
        EvidenceLink.objects.create(claim=claim, study=study, role=role, position=position)
    return claim
