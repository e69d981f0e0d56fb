"""claims.csv and claim-evidence.csv: the published claims and the studies each assessment rests on, in
the studies' downloads (registered with them in ClaimsConfig.ready)."""

from django.db.models import F
from django.urls import reverse

from claims.models import Appearance, Claim, EvidenceLink
from studies.exports.tables import STUDY_KEY, STUDY_SLUG, Column, ForeignKey, Table

CLAIM_KEY = Column("claim_key", "string", "The claim's key: its address on this site is /claims/<claim_key>/.")


def claim_rows(study_ids=None):
    """Every published claim, whichever studies the download holds: a claim citing none is a finding too."""
    claims = Claim.objects.published().order_by("key")
    return (
        row | {"public_url": reverse("claims:detail", args=[row["claim_key"]])}
        for row in claims.values(
            "quote",
            "topic",
            "product",
            "verdict",
            "rationale",
            "assessed_on",
            "updated_at",
            claim_key=F("key"),
            appearance_key=F("appearance__key"),
            appearance_kind=F("appearance__kind"),
            appearance_kind_detail=F("appearance__kind_detail"),
            appearance_description=F("appearance__description"),
            appearance_publisher=F("appearance__publisher"),
            appearance_author=F("appearance__author"),
            appearance_url=F("appearance__url"),
            appearance_archived_url=F("appearance__archived_url"),
            appearance_seen_on=F("appearance__seen_on"),
        )
    )


def claim_evidence_rows(study_ids):
    """The links of published claims to these studies; a link to a study outside the download is left out,
    so that every row joins studies.csv."""
    links = EvidenceLink.objects.filter(study_id__in=study_ids, claim__status=Claim.Status.PUBLISHED)
    return links.order_by("claim__key", "position", "id").values(
        "role", "position", link_id=F("id"), claim_key=F("claim__key"), study_slug=F("study__slug")
    )


CLAIMS = Table(
    name="claims",
    title="Claims",
    description="One row per published claim: the quote as it appeared, where it appeared, and the verdict.",
    rows=claim_rows,
    primary_key="claim_key",
    per_study=False,
    columns=(
        CLAIM_KEY,
        Column("public_url", "string", "The claim's page on this site.", site_address=True),
        Column("quote", "string", "The claim word for word as it appeared."),
        Column("topic", "string", "What the claim is about.", choices=Claim.Topic),
        Column("product", "string", "The product the claim names, if any."),
        Column("verdict", "string", "How the claim compares with the evidence.", choices=Claim.Verdict),
        Column("rationale", "string", "Why this verdict."),
        Column("assessed_on", "date", "The date of the assessment."),
        Column("appearance_key", "string", "Key of where the claim appeared; claims sharing it appeared together."),
        Column("appearance_kind", "string", "What kind of place it appeared in.", choices=Appearance.Kind),
        Column("appearance_kind_detail", "string", "The kind of place in words."),
        Column("appearance_description", "string", "What the page or article is, and what was not recorded."),
        Column("appearance_publisher", "string", "Who published it. Empty when not recorded."),
        Column("appearance_author", "string", "Who wrote it. Empty when not recorded."),
        Column("appearance_url", "string", "Where it was seen. Empty when the address was not recorded."),
        Column("appearance_archived_url", "string", "An archived copy of the page."),
        Column("appearance_seen_on", "date", "When it was seen. Empty when not recorded."),
        Column("updated_at", "datetime", "When the claim record last changed (UTC)."),
    ),
)

CLAIM_EVIDENCE = Table(
    name="claim-evidence",
    title="Claim evidence",
    description="One row per study a published claim's assessment rests on, with the part it plays.",
    rows=claim_evidence_rows,
    primary_key="link_id",
    foreign_keys=(ForeignKey("claim_key", "claims", "claim_key"), STUDY_KEY),
    columns=(
        Column("link_id", "integer", "The link's key."),
        CLAIM_KEY,
        STUDY_SLUG,
        Column("role", "string", "The part the study plays in the assessment.", choices=EvidenceLink.Role),
        Column("position", "integer", "Order in the claim's evidence table."),
    ),
)
