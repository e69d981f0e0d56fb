"""The reference studies: loaded exactly as read, once, and never over a curator's edits."""

import csv
import io
import os
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from studies.models import Intervention, OutcomeMeasure, OutcomeResult, Source, Study
from studies.reference import load_reference_studies, read_reference_studies

pytestmark = pytest.mark.django_db

# The team's file of facts read in public sources, beside the repository.
SHARED_REFERENCE = Path(
    os.environ.get("SHARED_REFERENCE", Path(__file__).resolve().parents[2] / "shared/reference/studies.yaml")
)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def shared():
    if not SHARED_REFERENCE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"The shared reference file is missing: {SHARED_REFERENCE}")
        pytest.skip(f"{SHARED_REFERENCE} is not beside this checkout")
    return yaml.safe_load(SHARED_REFERENCE.read_text(encoding="utf-8"))


def shared_entries(shared):
    for study in shared["studies"]:
        yield study["key"], study
    for trial in shared["registered_trials"]:
        yield trial["registry_id"].lower(), trial


def load(**options):
    output = StringIO()
    call_command("load_reference_studies", stdout=output, **options)
    return output.getvalue()


def words(text):
    return " ".join(str(text).split())


def numbers_in(value):
    """Every number a YAML value holds, in numeric fields or written inside text."""
    if isinstance(value, dict):
        return [number for item in value.values() for number in numbers_in(item)]
    if isinstance(value, list):
        return [number for item in value for number in numbers_in(item)]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [Decimal(str(value))]
    return [Decimal(match) for match in NUMBER.findall(str(value))]


def numeric_scalars(value):
    if isinstance(value, dict):
        return [number for key, item in value.items() if key != "read_in" for number in numeric_scalars(item)]
    if isinstance(value, list):
        return [number for item in value for number in numeric_scalars(item)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [Decimal(str(value))]
    return []


def records_of(study):
    yield study
    yield from study.registrations.all()
    yield from study.sources.all()
    for arm in study.arms.all():
        yield arm
        yield from arm.interventions.all()
    for measure in study.measures.all():
        yield measure
        yield from measure.results.all()
        yield from measure.comparisons.all()
    yield from study.adverse_events.all()


def stored_numbers(study):
    """Numbers held in numeric fields (the ones a reader could mistake for facts)."""
    numbers = []
    for record in records_of(study):
        for field in record._meta.concrete_fields:
            value = getattr(record, field.attname)
            skip = field.name in {"id", "position", "version"} or field.is_relation
            if not skip and isinstance(value, int | Decimal) and not isinstance(value, bool):
                numbers.append(Decimal(value))
    return numbers


def stored_text_and_numbers(study):
    found = list(stored_numbers(study))
    for record in records_of(study):
        for field in record._meta.concrete_fields:
            value = getattr(record, field.attname)
            if isinstance(value, str):
                found.extend(Decimal(match) for match in NUMBER.findall(value))
    return found


def test_the_loader_creates_every_reference_study_published_and_says_so():
    output = load()
    entries = read_reference_studies()
    assert Study.objects.count() == len(entries)
    assert set(Study.objects.values_list("status", flat=True)) == {Study.Status.PUBLISHED}
    for entry in entries:
        assert f"{entry['slug']}: created" in output
    assert f"{len(entries)} created, 0 corrected, 0 unchanged, 0 conflicts." in output


def test_running_the_loader_twice_changes_nothing():
    load()
    before = {study.slug: (study.updated_at, study.history.count()) for study in Study.objects.all()}
    output = load()
    after = {study.slug: (study.updated_at, study.history.count()) for study in Study.objects.all()}
    assert before == after
    assert f"0 created, 0 corrected, {len(before)} unchanged, 0 conflicts." in output
    assert "adsc-exosome-topical-aga-39: unchanged" in output


def test_the_loader_leaves_a_study_a_curator_has_edited_alone_and_says_how_it_differs():
    load()
    study = Study.objects.get(slug="amini-2025-exosome-plant-extract-rct")
    study.summary = "Curator's summary"
    study._change_reason = "Added a summary"
    study.save()
    study.arms.get(label="Placebo (0.9% saline)").delete()

    output = load()

    study.refresh_from_db()
    assert study.summary == "Curator's summary"
    assert list(study.arms.values_list("label", flat=True)) == ["Exosome plant-extract formulation (ECPE)"]
    (line,) = [line for line in output.splitlines() if line.startswith("amini-2025-exosome-plant-extract-rct:")]
    assert "conflict: edited by a curator, left as it is" in line
    assert "summary 'Curator's summary' -> (empty)" in line
    assert "missing arm 'Placebo (0.9% saline)'" in line


def test_the_loader_recreates_a_study_a_curator_deleted():
    load()
    Study.objects.get(slug="nct05658094").delete()
    output = load()
    assert "nct05658094: created" in output
    assert f"1 created, 0 corrected, {Study.objects.count() - 1} unchanged, 0 conflicts." in output


def earlier_reference_data():
    """The reference data as it was before its last update: two trials and a study fewer, an IQR
    printed as 3.00 stored as 3, and a safety statement classed as 'none observed'."""
    later = ("dehghani-2024-placental-msc-exosome-aga", "nct06239207", "actrn12625000548437")
    entries = [entry for entry in read_reference_studies() if entry["slug"] not in later]
    for entry in entries:
        if entry["slug"] == "koumprentziotis-2025-mnrf-topical-exosome":
            entry["adverse_event_status"] = "none_observed"
        if entry["slug"] == "amini-2025-exosome-plant-extract-rct":
            entry["measures"][0]["results"][1]["dispersion_value"] = "3"
    return entries


def test_an_update_of_the_reference_data_corrects_unedited_studies_and_reports_edited_ones():
    load_reference_studies(earlier_reference_data())
    edited = Study.objects.get(slug="koumprentziotis-2025-mnrf-topical-exosome")
    edited.summary = "Twenty patients treated with MNRF and topical exosomes."
    edited._change_reason = "Wrote the summary"
    edited.save()

    output = load()

    assert "dehghani-2024-placental-msc-exosome-aga: created" in output
    assert "nct06239207: created" in output
    assert "actrn12625000548437: created" in output
    assert "3 created, 1 corrected" in output and "1 conflicts." in output
    (conflict,) = [line for line in output.splitlines() if line.startswith("koumprentziotis")]
    assert "conflict" in conflict and "adverse_event_status 'none_observed' -> 'none_reported'" in conflict
    edited.refresh_from_db()
    assert edited.adverse_event_status == Study.AdverseEventStatus.NONE_OBSERVED
    assert edited.summary == "Twenty patients treated with MNRF and topical exosomes."

    (correction,) = [line for line in output.splitlines() if line.startswith("amini")]
    assert "corrected" in correction and "dispersion_value 3 -> 3.00" in correction
    placebo = OutcomeResult.objects.get(
        measure__study__slug="amini-2025-exosome-plant-extract-rct", arm__label__startswith="Placebo"
    )
    assert str(placebo.dispersion_value) == "3.00"
    latest = placebo.history.first()
    assert latest.history_change_reason == "Reference data correction"
    assert str(latest.prev_record.dispersion_value) == "3"


def test_the_39_patient_topical_adsc_study_holds_exactly_what_the_review_says(reference_studies):
    study = Study.objects.get(slug="adsc-exosome-topical-aga-39")
    assert study.sample_size == 39
    assert study.condition == Study.Condition.ANDROGENETIC_ALOPECIA
    assert study.design == Study.Design.NOT_STATED
    assert study.year is None
    assert study.verification == Study.Verification.SECONDARY
    assert study.adverse_event_status == Study.AdverseEventStatus.NONE_REPORTED
    assert "covers the review as a whole" in study.adverse_event_note
    assert "must stay unknown until a curator reads the full text" in study.curation_note

    (arm,) = study.arms.all()
    assert arm.participants == 39
    (intervention,) = arm.interventions.all()
    assert intervention.intervention_class == Intervention.InterventionClass.EXOSOME
    assert intervention.exosome_source == Intervention.ExosomeSource.ADSC
    assert intervention.route == Intervention.Route.TOPICAL
    assert intervention.regimen == ""

    measures = {measure.name: measure for measure in study.measures.all()}
    assert set(measures) == {"hair density", "hair thickness"}
    for measure in measures.values():
        (result,) = measure.results.all()
        assert result.result_text == "significant increase"
        assert result.significance == "yes"
        assert not result.has_numbers
        assert result.value is None and result.n_analysed is None and result.p_value == ""
        assert measure.unit == ""

    (source,) = study.sources.all()
    assert source.relation == source.Relation.SECONDARY_REVIEW
    assert source.doi == "10.1111/jocd.15869"
    assert not study.adverse_events.exists()
    # 39 enrolled, 39 in the arm, and the review's own year as its citation prints it.
    assert stored_numbers(study) == [39, 2023, 39]
    assert (source.authors, source.journal, source.year) == ("Gupta AK, Wang T, Rapaport JA", "J Cosmet Dermatol", 2023)


def test_reported_numbers_round_trip_exactly(reference_studies):
    wan = OutcomeResult.objects.get(
        measure__study__slug="wan-2025-microneedling-topical-exosome", statistic="mean_change"
    )
    assert (wan.value, wan.dispersion_type, wan.dispersion_value) == (Decimal("35"), "sd", Decimal("6.5"))
    assert (wan.timepoint_value, wan.timepoint_unit, wan.measure.unit) == (12, "months", "hairs/cm2")

    amini = OutcomeResult.objects.get(arm__label="Exosome plant-extract formulation (ECPE)")
    assert (amini.statistic, amini.value, amini.dispersion_type, amini.dispersion_value) == (
        "median_change",
        Decimal("9.5"),
        "iqr",
        Decimal("16.88"),
    )
    comparison = amini.measure.comparisons.get()
    assert comparison.p_value == "0.006"

    salt = OutcomeMeasure.objects.get(study__slug="nilforoushzadeh-2025-adipose-exosome-alopecia-areata")
    assert [(r.arm.label, r.baseline, r.follow_up) for r in salt.results.order_by("arm__label")] == [
        ("Case 1", Decimal("79.6"), Decimal("59.6")),
        ("Case 2", Decimal("70.2"), Decimal("58.6")),
    ]
    thickness = OutcomeResult.objects.filter(measure__study__slug__startswith="aggarwal", measure__unit="mm")
    assert sorted(result.value for result in thickness) == [Decimal("0.003"), Decimal("0.006")]


def test_every_shared_study_and_trial_is_in_the_project_data(shared):
    slugs = {entry["slug"] for entry in read_reference_studies()}
    assert slugs == {slug for slug, _ in shared_entries(shared)}


def test_no_number_is_added_and_none_is_lost(shared, reference_studies):
    for slug, entry in shared_entries(shared):
        study = Study.objects.get(slug=slug)
        allowed = set(numbers_in(entry))
        added = [number for number in stored_numbers(study) if number not in allowed]
        assert added == [], f"{slug} holds numbers the reference file does not have: {added}"
        kept = set(stored_text_and_numbers(study))
        lost = [number for number in numeric_scalars(entry) if number not in kept]
        assert lost == [], f"{slug} lost numbers of the reference file: {lost}"


def test_sources_identifiers_and_reading_depth_are_copied_exactly(shared, reference_studies):
    depth = {"secondary": "secondary", "abstract": "abstract", "registry": "registry", "full_text": "full_text"}
    for slug, entry in shared_entries(shared):
        study = Study.objects.get(slug=slug)
        sources = list(study.sources.all())
        urls = [url for source in sources for url in source.url_list]
        read_in = entry["read_in"] if isinstance(entry["read_in"], list) else [entry["read_in"]]
        assert sorted(urls) == sorted(read_in), slug
        citations = {words(source.citation) for source in sources}
        for citation in [entry.get("citation")] + [s.get("citation") for s in entry.get("sources", [])]:
            if citation:
                assert words(citation) in citations, slug
        for key in ("doi", "pmid", "pmcid"):
            if entry.get(key):
                assert entry[key] in {getattr(source, key) for source in sources}, (slug, key)
        registry_ids = entry.get("registry_ids") or ([entry["registry_id"]] if "registry_id" in entry else [])
        assert sorted(registry_ids) == sorted(study.registrations.values_list("identifier", flat=True)), slug
        if "read_from" in entry:
            assert study.verification == depth[entry["read_from"]], slug
        else:
            assert study.verification == Study.Verification.REGISTRY
            assert study.results_status == Study.ResultsStatus.REGISTERED_NO_RESULTS


def test_safety_statements_keep_their_meaning(shared, reference_studies):
    for slug, entry in shared_entries(shared):
        study = Study.objects.get(slug=slug)
        stated = entry.get("adverse_events", {}).get("status", "not reported")
        assert study.get_adverse_event_status_display().lower() == stated, slug
        detail = entry.get("adverse_events", {}).get("detail")
        if detail:
            assert words(study.adverse_event_note) == words(detail), slug


def test_notes_discrepancies_and_titles_are_copied_word_for_word(shared, reference_studies):
    for slug, entry in shared_entries(shared):
        study = Study.objects.get(slug=slug)
        assert study.title == entry.get("record_title", entry.get("title")), slug
        if entry.get("curation_note"):
            assert words(entry["curation_note"]) in words(study.curation_note), slug
        for note in (entry.get("note"), entry.get("registration")):
            if note:
                assert words(note).lower() in words(study.curation_note).lower(), slug
        assert study.discrepancy_list == entry.get("discrepancies", []), slug
        # A completed trial's registry record gives its enrolment; a planned one its target.
        assert study.sample_size == entry.get("sample_size", entry.get("enrollment")), slug
        assert study.planned_sample_size == entry.get("target_n"), slug
        arm_sizes = {arm["label"]: arm.get("n") for arm in entry.get("arms", [])}
        for arm in study.arms.all():
            if arm.label in arm_sizes:
                assert arm.participants == arm_sizes[arm.label], (slug, arm.label)


def test_an_iqr_printed_as_3_00_reads_3_00_on_the_page_in_the_admin_and_in_the_csv(
    client, admin_client, reference_studies
):
    placebo = OutcomeResult.objects.get(
        measure__study__slug="amini-2025-exosome-plant-extract-rct", arm__label__startswith="Placebo"
    )
    page = client.get(reverse("studies:detail", args=["amini-2025-exosome-plant-extract-rct"])).text
    assert "(IQR 3.00)" in page

    grid = admin_client.get(reverse("admin:studies_outcomemeasure_change", args=[placebo.measure_id])).text
    assert 'value="3.00"' in grid

    response = client.get(reverse("studies:export", args=["outcomes"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    (row,) = [row for row in rows if row["result_id"] == str(placebo.pk)]
    assert (row["value"], row["dispersion_type"], row["dispersion_value"]) == ("1.5", "iqr", "3.00")


CITATION_PARTS = ["authors", "title", "journal", "volume", "issue", "pages"]


def studies_with_printed_citations():
    return {
        entry["slug"]
        for entry in read_reference_studies()
        if any(source.get("citation") for source in entry.get("sources", []))
    }


def test_each_citations_parts_are_copied_from_the_printed_citation_and_nothing_is_invented(reference_studies):
    cited = Source.objects.exclude(citation="")
    entries = read_reference_studies()
    assert cited.count() == sum(
        bool(source.get("citation")) for entry in entries for source in entry.get("sources", [])
    )
    for source in cited:
        printed = words(source.citation)
        for part in CITATION_PARTS:
            value = getattr(source, part)
            assert value == "" or value in printed, (source.study.slug, part, value)
        assert source.title, source.study.slug
        if source.year is not None:
            assert str(source.year) in printed, source.study.slug
        if source.volume:
            assert f"{source.year};{source.volume}({source.issue}):{source.pages}." in printed, source.study.slug
        elif re.search(r";\d+\(\d+\):", printed):
            pytest.fail(f"{source.study.slug}: the citation prints a volume, issue and pages that are missing")


def test_the_citation_parts_are_as_printed_and_left_empty_where_the_citation_is_silent(reference_studies):
    def parts(slug):
        source = Source.objects.get(study__slug=slug, relation__in=["primary_results", "secondary_review"])
        return {part: getattr(source, part) for part in [*CITATION_PARTS, "year"]}

    assert parts("ersan-2024-foreskin-msc-exosome-aga") == {
        "authors": "Ersan M, Ozer E, Akin O, Tasli PN, Sahin F",
        "title": "Effectiveness of exosome treatment in androgenetic alopecia: outcomes of a prospective study",
        "journal": "Aesthetic Plast Surg",
        "year": 2024,
        "volume": "48",
        "issue": "21",
        "pages": "4262-4271",
    }
    clinics = parts("koumprentziotis-2025-mnrf-topical-exosome")
    assert (clinics["journal"], clinics["year"], clinics["volume"], clinics["pages"]) == ("Clin Dermatol", 2025, "", "")
    preprint = parts("preprint-rs-6938290-intradermal-msc-exosome")
    assert (preprint["authors"], preprint["journal"], preprint["year"]) == ("", "Research Square", None)
    assert parts("wan-2025-microneedling-topical-exosome")["journal"] == ""
    assert parts("lee-2024-asc-exosome-aga")["authors"] == "Lee et al."
    assert parts("dehghani-2024-placental-msc-exosome-aga")["journal"] == "Research Square"


def test_an_existing_database_gains_the_citation_parts_on_the_next_load_and_then_stays_unchanged():
    before = read_reference_studies()
    for entry in before:
        for source in entry.get("sources", []):
            for part in [*CITATION_PARTS, "year"]:
                source.pop(part, None)
    load_reference_studies(before)

    output = load()

    corrected = {line.split(":")[0] for line in output.splitlines() if ": corrected: " in line}
    assert corrected == studies_with_printed_citations()
    assert "source 1: authors (empty) -> 'Ersan M, Ozer E, Akin O, Tasli PN, Sahin F'" in output
    assert f"0 created, {len(corrected)} corrected" in output and "0 conflicts." in output
    source = Source.objects.get(study__slug="ersan-2024-foreskin-msc-exosome-aga", relation="primary_results")
    assert (source.journal, source.volume, source.issue, source.pages) == (
        "Aesthetic Plast Surg",
        "48",
        "21",
        "4262-4271",
    )
    assert source.history.first().history_change_reason == "Reference data correction"
    again = load()
    assert f"0 created, 0 corrected, {Study.objects.count()} unchanged, 0 conflicts." in again
