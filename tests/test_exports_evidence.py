"""appraisals.csv and evidence.csv: the published judgements and summaries, counts computed, drafts never."""

import json
from collections import Counter

import pytest
from django.urls import reverse

from studies import exports
from studies.models import Appraisal, OutcomeSummary, Study, counts_for
from studies.reference_evidence import load_reference_evidence
from tests.factories import make_appraisal, make_source, make_study_with_everything
from tests.test_admin_evidence import make_summary
from tests.test_exports import body, download, download_rows, read_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_evidence(reference_studies):
    """The reference studies with their appraisals and outcome summaries, as the loader leaves them."""
    assert {outcome.action for outcome in load_reference_evidence()} == {"unchanged"}


def rows_of(rows, **match):
    return [row for row in rows if all(row[name] == value for name, value in match.items())]


def test_the_reference_appraisals_come_back_judgement_by_judgement(client, reference_evidence):
    rows = download_rows(client, "appraisals")

    amini = rows_of(rows, study_slug="amini-2025-exosome-plant-extract-rct")
    assert [row["domain"] for row in amini] == [
        "randomization",
        "deviations",
        "missing_data",
        "measurement",
        "reporting",
        "overall",
    ]
    assert {row["tool"] for row in amini} == {"rob_2"}
    (missing_data,) = rows_of(amini, domain="missing_data")
    assert missing_data["domain_name"] == "Missing outcome data"
    assert (missing_data["judgement"], missing_data["judgement_label"]) == ("some_concerns", "Some concerns")
    assert missing_data["support"] == "The registry lists 24 enrolled; the paper reports 20 participants."
    study = Study.objects.get(slug="amini-2025-exosome-plant-extract-rct")
    assert missing_data["source_citation"] == study.sources.first().citation
    assert missing_data["source_id"] == str(study.sources.first().pk)
    assert missing_data["outcome"] == missing_data["measure_id"] == ""
    (overall,) = rows_of(amini, domain="overall")
    assert (overall["domain_name"], overall["judgement"]) == ("Overall", "some_concerns")
    assert overall["support"].startswith("At least some concerns, from missing outcome data")
    (randomization,) = rows_of(amini, domain="randomization")
    assert randomization["judgement_label"] == "Not assessed: full text not read"
    assert randomization["source_citation"] == ""

    (measurement,) = rows_of(rows, study_slug="aggarwal-2020-microneedling-prp-split-scalp", domain="measurement")
    assert (measurement["tool"], measurement["judgement"]) == ("robins_i", "low")
    assert measurement["support"] == "split-scalp comparative study, blinded evaluator"


def test_every_published_appraisal_has_one_overall_row_and_a_row_per_domain_of_its_tool(client, reference_evidence):
    rows = download_rows(client, "appraisals")
    published = Appraisal.objects.published()

    assert len(rows_of(rows, domain="overall")) == published.count() > 0
    assert len(rows) == published.count() + sum(len(appraisal.tool_definition.domains) for appraisal in published)
    # JBI checklists have no overall judgement: their overall rows are left empty, never scored.
    jbi = [row for row in rows_of(rows, domain="overall") if row["tool"].startswith("jbi_")]
    assert jbi and {row["judgement"] for row in jbi} == {""}


def test_an_outcome_judged_on_its_own_follows_the_whole_study(client):
    study = make_study_with_everything(slug="blinded-for-density")
    density = study.measures.get(name="hair density")
    source = study.sources.get()
    appraisal = make_appraisal(study, judgements={"measurement": "high"}, overall="high")
    appraisal.judgements.create(
        outcome=density, domain="measurement", judgement="low", support="Blinded.", source=source
    )
    appraisal.judgements.create(outcome=density, domain="overall", judgement="some_concerns")

    rows = download_rows(client, "appraisals")

    assert [(row["outcome"], row["domain"], row["judgement"]) for row in rows][-3:] == [
        ("", "overall", "high"),
        ("hair density", "measurement", "low"),
        ("hair density", "overall", "some_concerns"),
    ]
    assert rows[-2]["measure_id"] == str(density.pk)
    assert rows[-2]["source_urls"] == " ".join(source.urls.split())


def designs_of(summary):
    """The designs as the pages and evidence.csv name them: an unknown design says "Design not stated"."""
    return Counter(
        "Design not stated" if study.design == Study.Design.NOT_STATED else study.get_design_display()
        for study in summary.studies()
    )


def read_designs(text):
    """'Case report: 2; Case series: 1' -> [("Case report", 2), ("Case series", 1)]."""
    return [(label, int(number)) for label, number in (part.rsplit(": ", 1) for part in text.split("; ") if part)]


def test_the_five_reference_summaries_come_back_very_low_with_counts_from_the_published_studies(
    client, reference_evidence
):
    rows = download_rows(client, "evidence")

    assert [row["key"] for row in rows] == [
        "hair-density-aga",
        "hair-thickness-aga",
        "hair-count-aga-rct",
        "regrowth-alopecia-areata",
        "serious-harms",
    ]
    assert {(row["certainty"], row["certainty_symbols"]) for row in rows} == {("very_low", "⊕◯◯◯")}
    for row in rows:
        summary = OutcomeSummary.objects.get(key=row["key"])
        counts = counts_for([summary])[summary.pk]
        assert int(row["studies"]) == summary.studies().count() == counts.studies, row["key"]
        assert int(row["studies_participants_unknown"]) == counts.participants_unknown
        designs = read_designs(row["designs"])
        assert dict(designs) == designs_of(summary), row["key"]
        assert [number for _, number in designs] == sorted((number for _, number in designs), reverse=True)
        assert row["risk_of_bias"] in {"not_serious", "serious", "very_serious"}
        assert row["risk_of_bias_reason"] == summary.risk_of_bias_reason
        assert row["plain_language"] == summary.plain_language
        assert row["rule_of_three"] == counts.rule_of_three
    (harms,) = rows_of(rows, key="serious-harms")
    assert harms["studies_words_only"] == "" and harms["condition"] == ""
    (density,) = rows_of(rows, key="hair-density-aga")
    assert density["condition"] == "androgenetic_alopecia" and density["starting_level"] == "low"
    assert density["studies_words_only"] != ""


def test_a_newly_published_study_changes_the_counts_and_a_draft_does_not(client, reference_evidence):
    def density():
        (row,) = rows_of(download_rows(client, "evidence"), key="hair-density-aga")
        return int(row["studies"]), int(row["participants"])

    studies, participants = density()
    make_study_with_everything(title="Draft density trial", status=Study.Status.DRAFT, sample_size=50)
    assert density() == (studies, participants)

    make_study_with_everything(title="New density trial", sample_size=50)
    assert density() == (studies + 1, participants + 50)


def test_participants_unknown_in_every_study_are_left_empty_never_zero(client):
    make_study_with_everything(sample_size=None, sample_size_not_reported=True)
    make_summary(status=OutcomeSummary.Status.PUBLISHED)

    (row,) = download_rows(client, "evidence")

    assert (row["studies"], row["participants"], row["studies_participants_unknown"]) == ("1", "", "1")


def test_drafts_never_appear(client):
    shown = make_study_with_everything(slug="shown")
    make_appraisal(shown)
    make_appraisal(make_study_with_everything(slug="draft-appraisal"), status=Appraisal.Status.DRAFT)
    make_appraisal(make_study_with_everything(slug="in-review-appraisal"), status=Appraisal.Status.IN_REVIEW)
    make_appraisal(make_study_with_everything(slug="draft-study", status=Study.Status.DRAFT))
    make_summary(key="published-summary", status=OutcomeSummary.Status.PUBLISHED)
    make_summary(key="draft-summary")
    make_summary(key="in-review-summary", status=OutcomeSummary.Status.IN_REVIEW)

    assert {row["study_slug"] for row in download_rows(client, "appraisals")} == {"shown"}
    assert [row["key"] for row in download_rows(client, "evidence")] == ["published-summary"]
    archive = read_zip(client.get(reverse("studies:export-zip")))
    for name in ("appraisals.csv", "evidence.csv"):
        text = archive.read(name)
        for hidden in (b"draft-appraisal", b"in-review-appraisal", b"draft-study", b"draft-summary", b"in-review-sum"):
            assert hidden not in text, (name, hidden)


def test_the_evidence_table_is_the_same_whatever_studies_a_download_selects(client, reference_evidence):
    everything = body(client.get(reverse("studies:export", args=["evidence"])))
    filtered = body(client.get(reverse("studies:export", args=["evidence"]) + "?condition=alopecia_areata"))
    assert everything == filtered


def test_the_data_package_describes_both_tables_and_the_appraisals_join_their_studies_and_sources(
    client, reference_evidence
):
    package = json.loads(read_zip(client.get(reverse("studies:export-zip"))).read("datapackage.json"))
    resources = {resource["name"]: resource for resource in package["resources"]}

    for name in ("appraisals", "evidence"):
        fields = resources[name]["schema"]["fields"]
        assert [field["name"] for field in fields] == exports.TABLES[name].header
        assert all(field["description"] for field in fields)
    assert resources["appraisals"]["schema"]["foreignKeys"] == [
        {"fields": ["study_slug"], "reference": {"resource": "studies", "fields": ["study_slug"]}},
        {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}},
    ]
    certainty = next(field for field in resources["evidence"]["schema"]["fields"] if field["name"] == "certainty")
    assert certainty["constraints"] == {"enum": ["high", "moderate", "low", "very_low"]}


def test_the_data_page_lists_both_downloads(client):
    page = client.get(reverse("studies:data")).text
    assert f'href="{reverse("studies:export", args=["appraisals"])}">appraisals.csv</a>' in page
    assert f'href="{reverse("studies:export", args=["evidence"])}">evidence.csv</a>' in page


def appraised_studies(count):
    for _ in range(count):
        study = make_study_with_everything()
        make_source(study=study, citation="A second source")
        make_appraisal(study, judgements={"randomization": "low"}, overall="some_concerns")


def test_appraisals_csv_runs_the_same_queries_for_few_or_many_studies(client, assert_queries_do_not_grow):
    assert_queries_do_not_grow(
        4, appraised_studies, lambda size: download(client, "appraisals"), sizes=(2, 20)
    )  # the content version, the chunk's study ids, the appraisals, their judgements


def test_evidence_csv_runs_the_same_queries_for_few_or_many_studies_and_summaries(client, assert_queries_do_not_grow):
    def build(size):
        appraised_studies(size)
        for number in range(size):
            make_summary(key=f"summary-{size}-{number}", status=OutcomeSummary.Status.PUBLISHED)

    def visit(size):
        assert len(download(client, "evidence")) > size

    assert_queries_do_not_grow(3, build, visit, sizes=(2, 12))  # the version, the summaries, every count in one query
