"""claims.csv and claim-evidence.csv: in the downloads, the zip, datapackage.json and /data/."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from claims.models import Claim, EvidenceLink
from studies import exports
from studies.models import Study
from tests.claim_factories import make_appearance, make_claim
from tests.factories import make_study

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content)


def download_rows(client, table, query=""):
    response = client.get(reverse("studies:export", args=[table]) + query)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"), newline="")))


def test_claims_csv_has_one_row_per_published_claim_with_its_appearance_and_verdict(client, reference_studies):
    rows = download_rows(client, "claims")
    assert len(rows) == Claim.objects.published().count() == 9
    row = next(row for row in rows if row["claim_key"] == "no-rct-as-of-2025")
    claim = Claim.objects.get(key="no-rct-as-of-2025")
    assert row["quote"] == claim.quote
    assert row["verdict"] == "contradicted"
    assert row["topic"] == "state_of_the_evidence"
    assert row["assessed_on"] == "2026-11-21"
    assert row["public_url"] == "http://testserver/claims/no-rct-as-of-2025/"
    assert row["appearance_key"] == "consumersadvisory-ersan-2024-summary"
    assert row["appearance_kind"] == "consumer_information"
    assert row["appearance_url"].startswith("https://www.consumersadvisory.org/")
    calecim = next(row for row in rows if row["claim_key"] == "calecim-mechanisms")
    assert calecim["appearance_url"] == "" and calecim["appearance_seen_on"] == ""


def test_claim_evidence_csv_has_one_row_per_link_to_a_study_in_the_download(client, reference_studies):
    rows = download_rows(client, "claim-evidence")
    assert len(rows) == EvidenceLink.objects.count()
    assert {"claim_key": "no-rct-as-of-2025", "study_slug": "amini-2025-exosome-plant-extract-rct"}.items() <= next(
        row for row in rows if row["claim_key"] == "no-rct-as-of-2025"
    ).items()
    # Filtered like the study list: only links to the studies downloaded, so that every row joins.
    areata = download_rows(client, "claim-evidence", "?condition=alopecia_areata")
    studies = {row["study_slug"] for row in download_rows(client, "studies", "?condition=alopecia_areata")}
    assert areata and {row["study_slug"] for row in areata} <= studies
    assert {row["claim_key"] for row in areata} == {"versatility-alopecia-areata"}


def test_a_formula_in_a_quote_is_written_so_that_spreadsheets_do_not_run_it(client):
    make_claim(quote='=HYPERLINK("http://x")')
    (row,) = download_rows(client, "claims")
    assert row["quote"] == '\'=HYPERLINK("http://x")'


def test_the_zip_and_its_data_package_carry_both_claim_tables(client, reference_studies):
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(reverse("studies:export-zip")))))
    assert "claims.csv" in archive.namelist() and "claim-evidence.csv" in archive.namelist()
    package = json.loads(archive.read("datapackage.json"))
    resources = {resource["name"]: resource for resource in package["resources"]}
    evidence_keys = resources["claim-evidence"]["schema"]["foreignKeys"]
    assert {"fields": ["claim_key"], "reference": {"resource": "claims", "fields": ["claim_key"]}} in evidence_keys
    assert {"fields": ["study_slug"], "reference": {"resource": "studies", "fields": ["study_slug"]}} in evidence_keys
    verdict = next(field for field in resources["claims"]["schema"]["fields"] if field["name"] == "verdict")
    assert verdict["constraints"]["enum"] == list(Claim.Verdict.values)


def test_the_data_page_describes_the_claim_tables_and_the_verdicts(client):
    page = client.get(reverse("studies:data")).text
    for table in ("claims", "claim-evidence"):
        assert f'href="{reverse("studies:export", args=[table])}"' in page
        for column in exports.TABLES[table].columns:
            assert f"<code>{column.name}</code>" in page
    assert Claim.Verdict.ACCURATE_BUT_OUTDATED.meaning in page


def test_the_claim_tables_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for count in (2, 12):
        for _ in range(count):
            make_claim(evidence=[(make_study(), "supports")], appearance=make_appearance())
        with django_assert_max_num_queries(3):
            assert len(download_rows(client, "claims")) >= count
        # The chunk of study ids, then the links.
        with django_assert_max_num_queries(3):
            assert len(download_rows(client, "claim-evidence")) >= count


def test_links_to_unpublished_studies_are_never_downloaded(client):
    hidden = make_study(slug="hidden-study", status=Study.Status.IN_REVIEW)
    make_claim(evidence=[(hidden, "supports"), (make_study(slug="shown-study"), "context")])
    assert [row["study_slug"] for row in download_rows(client, "claim-evidence")] == ["shown-study"]
