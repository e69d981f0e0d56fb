"""The reference claims: copied exactly from the shared file, loaded with the reference studies, idempotently."""

import os
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db.models import ProtectedError

from claims.models import Appearance, Claim, EvidenceLink
from claims.reference import REFERENCE_FILE
from studies.models import Study

pytestmark = pytest.mark.django_db

SHARED_CLAIMS = Path(
    os.environ.get("SHARED_CLAIMS", Path(__file__).resolve().parents[2] / "shared/reference/claims.yaml")
)


def load():
    output = StringIO()
    call_command("load_reference_studies", stdout=output)
    return output.getvalue()


def words(text):
    return " ".join(text.split())


@pytest.fixture(scope="module")
def reference():
    return yaml.safe_load(REFERENCE_FILE.read_text(encoding="utf-8"))


def test_the_project_copy_of_the_claims_is_the_shared_file_byte_for_byte():
    if not SHARED_CLAIMS.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"The shared reference file is missing: {SHARED_CLAIMS}")
        pytest.skip(f"{SHARED_CLAIMS} is not beside this checkout")
    assert REFERENCE_FILE.read_bytes() == SHARED_CLAIMS.read_bytes()


def test_loading_the_reference_studies_also_creates_the_nine_claims_and_three_appearances_published(reference):
    output = load()
    assert Appearance.objects.count() == 3
    assert Claim.objects.count() == 9
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.PUBLISHED}
    for entry in reference["claims"]:
        assert f"claim {entry['key']}: created" in output
    for entry in reference["appearances"]:
        assert f"appearance {entry['key']}: created" in output
    assert "12 created, 0 corrected, 0 unchanged, 0 conflicts." in output


def test_every_quote_verdict_rationale_and_date_is_stored_exactly_as_in_the_file(reference):
    load()
    for entry in reference["claims"]:
        claim = Claim.objects.get(key=entry["key"])
        assert claim.quote == entry["quote"]
        assert claim.rationale == entry["rationale"]
        assert claim.verdict == entry["verdict"]
        assert claim.assessed_on == entry["assessed_on"]
        assert claim.appearance.key == entry["appearance"]
        assert claim.get_topic_display().lower() == entry["topic"]


def test_evidence_links_name_studies_by_slug_or_registry_id_with_their_roles_in_order(reference):
    load()
    for entry in reference["claims"]:
        links = EvidenceLink.objects.filter(claim__key=entry["key"]).select_related("study")
        assert [(link.study.slug, link.role) for link in links] == [
            (item["study"].lower(), item["role"]) for item in entry["evidence"]
        ]
    assert Claim.objects.get(key="calecim-mechanisms").evidence_links.count() == 0


def test_appearances_keep_their_words_and_an_unrecorded_address_stays_empty(reference):
    load()
    calecim = Appearance.objects.get(key="promo-article-calecim")
    assert calecim.kind == Appearance.Kind.PROMOTIONAL_ARTICLE
    assert calecim.kind_detail == "promotional web article (sells a product)"
    assert calecim.url == ""
    summary = Appearance.objects.get(key="consumersadvisory-ersan-2024-summary")
    assert summary.kind == Appearance.Kind.CONSUMER_INFORMATION
    assert summary.url.startswith("https://www.consumersadvisory.org/")
    assert words(summary.description) == words(reference["appearances"][2]["description"])


def test_loading_twice_changes_nothing():
    load()
    before = {claim.key: (claim.updated_at, claim.history.count()) for claim in Claim.objects.all()}
    output = load()
    after = {claim.key: (claim.updated_at, claim.history.count()) for claim in Claim.objects.all()}
    assert before == after
    assert "claim no-rct-as-of-2025: unchanged" in output
    assert "0 created, 0 corrected, 12 unchanged, 0 conflicts." in output


def test_a_claim_nobody_edited_is_corrected_to_match_the_file_and_the_history_says_why():
    load()
    claim = Claim.objects.get(key="generally-well-tolerated")
    # As an older version of the file would have loaded it.
    Claim.objects.filter(pk=claim.pk).update(verdict=Claim.Verdict.OVERSTATED)
    claim.evidence_links.last().delete()
    claim.history.update(history_change_reason="Loaded from the reference data")
    EvidenceLink.history.filter(claim_id=claim.pk).update(history_change_reason="Loaded from the reference data")

    output = load()

    (line,) = [line for line in output.splitlines() if line.startswith("claim generally-well-tolerated:")]
    assert "corrected" in line and "verdict 'overstated' -> 'accurate'" in line
    claim.refresh_from_db()
    assert claim.verdict == Claim.Verdict.ACCURATE
    assert claim.evidence_links.count() == 4
    assert claim.history.first().history_change_reason == "Reference data correction"


def test_a_claim_a_curator_edited_is_left_alone_and_reported_as_a_conflict():
    load()
    claim = Claim.objects.get(key="no-rct-as-of-2025")
    claim.rationale = "Re-assessed by a curator."
    claim._change_reason = "Re-assessed"
    claim.save()

    output = load()

    (line,) = [line for line in output.splitlines() if line.startswith("claim no-rct-as-of-2025:")]
    assert "conflict: edited by a curator, left as it is" in line
    assert "rationale 'Re-assessed by a curator.' ->" in line
    claim.refresh_from_db()
    assert claim.rationale == "Re-assessed by a curator."
    assert "1 conflicts." in output


def test_a_study_cited_by_a_claim_cannot_be_deleted_from_under_it():
    load()
    with pytest.raises(ProtectedError):
        Study.objects.get(slug="amini-2025-exosome-plant-extract-rct").delete()
