"""The downloads: exact, complete, joinable tables of exactly the studies the list page shows."""

import csv
import io
import itertools
import json
import zipfile
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape
from frictionless import Package

from studies import exports
from studies.exports.rows import AdverseEventRowType, Scope, ValueOrigin
from studies.filters import StudyFilter
from studies.models import AdverseEvent, Arm, ArmComparison, OutcomeResult, Source, Study
from tests.factories import (
    make_adverse_event,
    make_appraisal,
    make_arm,
    make_intervention,
    make_measure,
    make_result,
    make_study,
    make_study_with_everything,
)
from tests.test_reference_data import shared, shared_entries  # noqa: F401  (shared is a fixture)

pytestmark = pytest.mark.django_db

TABLE_NAMES = list(exports.TABLES)
# The tables whose rows belong to one study each, read a chunk of studies at a time; the claims app
# adds its own (tests/test_claims_exports.py).
STUDY_TABLE_NAMES = ["studies", "arms", "outcomes", "adverse-events", "sources", "appraisals"]
FORMULA_PAYLOADS = ['=HYPERLINK("http://x")', "+SUM(1,2)", "-2+3", "@cmd", "\tindent", "\rreturn", "\nline"]


def body(response):
    return response.getvalue()  # streamed when made, read from the page cache when kept


def download(client, table, query=""):
    response = client.get(reverse("studies:export", args=[table]) + query)
    assert response.status_code == 200, body(response)
    return list(csv.reader(io.StringIO(body(response).decode("utf-8"), newline="")))


def download_rows(client, table, query=""):
    header, *rows = download(client, table, query)
    return [dict(zip(header, row, strict=True)) for row in rows]


def numeric(text):
    return Decimal(text) if text else None


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_table_is_utf8_csv_with_its_header_row_and_crlf_line_endings(client, reference_studies, table):
    response = client.get(reverse("studies:export", args=[table]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response).decode("utf-8")
    assert text.startswith(",".join(exports.TABLES[table].header) + "\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) > 1
    assert {len(row) for row in rows} == {len(exports.TABLES[table].columns)}


def test_row_counts_match_the_published_studies_and_their_parts(client, reference_studies):
    published = Study.objects.published()
    computed = OutcomeResult.objects.filter(baseline__isnull=False, follow_up__isnull=False).count()
    assert len(download_rows(client, "studies")) == published.count() > 0
    assert len(download_rows(client, "arms")) == Arm.objects.count()
    assert len(download_rows(client, "sources")) == Source.objects.count()
    assert len(download_rows(client, "outcomes")) == (
        OutcomeResult.objects.count() + ArmComparison.objects.count() + computed
    )
    assert len(download_rows(client, "adverse-events")) == published.count() + AdverseEvent.objects.count()


def test_every_table_joins_to_the_studies_and_arms_it_names(client, reference_studies):
    slugs = {row["study_slug"] for row in download_rows(client, "studies")}
    arms = {row["arm_id"]: row for row in download_rows(client, "arms")}
    for table in ("arms", "outcomes", "adverse-events", "sources"):
        assert {row["study_slug"] for row in download_rows(client, table)} <= slugs, table
    for table in ("outcomes", "adverse-events"):
        for row in download_rows(client, table):
            if row["arm_id"]:
                assert arms[row["arm_id"]]["study_slug"] == row["study_slug"]
                assert arms[row["arm_id"]]["arm_label"] == row["arm_label"]


def test_the_reference_numbers_come_back_exactly(client, reference_studies):
    outcomes = download_rows(client, "outcomes")

    def reported(slug, **match):
        return [
            row
            for row in outcomes
            if row["study_slug"] == slug
            and row["value_origin"] == "reported"
            and all(row[key] == value for key, value in match.items())
        ]

    (wan,) = reported("wan-2025-microneedling-topical-exosome", statistic="mean_change")
    assert (wan["value"], wan["dispersion_type"], wan["dispersion_value"]) == ("35", "sd", "6.5")
    assert (wan["timepoint_value"], wan["timepoint_unit"], wan["unit"]) == ("12", "months", "hairs/cm2")

    (amini,) = reported("amini-2025-exosome-plant-extract-rct", arm_label="Exosome plant-extract formulation (ECPE)")
    assert (amini["statistic"], amini["value"], amini["dispersion_type"], amini["dispersion_value"]) == (
        "median_change",
        "9.5",
        "iqr",
        "16.88",
    )
    (between,) = reported("amini-2025-exosome-plant-extract-rct", scope="between_arms")
    assert between["p_value"] == "0.006"
    assert "Cliff's delta 0.73 (95% CI 0.41 to 0.89)" in between["result_text"]

    salt = reported("nilforoushzadeh-2025-adipose-exosome-alopecia-areata")
    assert [(row["arm_label"], row["baseline"], row["follow_up"]) for row in salt] == [
        ("Case 1", "79.6", "59.6"),
        ("Case 2", "70.2", "58.6"),
    ]
    thickness = reported("aggarwal-2020-microneedling-prp-split-scalp", unit="mm", scope="arm")
    assert sorted(row["value"] for row in thickness) == ["0.003", "0.006"]


def test_every_number_of_the_shared_reference_file_is_in_the_tables(client, shared, reference_studies):  # noqa: F811
    tables = {table: download_rows(client, table) for table in ("studies", "arms", "outcomes")}
    for slug, entry in shared_entries(shared):
        (study,) = [row for row in tables["studies"] if row["study_slug"] == slug]
        assert numeric(study["sample_size"]) == entry.get("sample_size", entry.get("enrollment")), slug
        assert numeric(study["planned_sample_size"]) == entry.get("target_n"), slug
        participants = entry.get("participants", {})
        for key in ("age_min", "age_max", "age_median"):
            # A single case's age is both the youngest and the oldest.
            expected = participants.get(key, participants.get("age") if key != "age_median" else None)
            assert numeric(study[key]) == expected, (slug, key)
        assert numeric(study["participants_male"]) == participants.get("men"), slug
        assert numeric(study["participants_female"]) == participants.get("women"), slug
        arms = {row["arm_label"]: row for row in tables["arms"] if row["study_slug"] == slug}
        for arm in entry.get("arms", []):
            assert numeric(arms[arm["label"]]["participants"]) == arm.get("n"), (slug, arm["label"])
        outcomes = [row for row in tables["outcomes"] if row["study_slug"] == slug]
        for outcome in entry.get("outcomes", []):
            for result in outcome.get("results", []):
                arm = "" if result["arm"] == "whole study" else result["arm"]
                candidates = [
                    row
                    for row in outcomes
                    if row["arm_label"] == arm
                    and row["unit"] == (outcome.get("unit") or "")
                    and row["value_origin"] == "reported"
                ]
                assert any(same_numbers(row, result) for row in candidates), (slug, result)


def same_numbers(row, result):
    """Whether a row holds a result's numbers. A mean the source gives per time point is stored with
    the baseline it is compared with: the baseline mean as `baseline`, a later one as `follow_up`."""
    if "timepoint" in result:
        if result["timepoint"] == "baseline":
            return numeric(row["baseline"]) == Decimal(str(result["value"]))
        return row["timepoint_label"] == result["timepoint"] and numeric(row["follow_up"]) == Decimal(
            str(result["value"])
        )
    expected = {key: result.get(key) for key in ("value", "baseline", "follow_up")}
    if result.get("dispersion"):
        expected["dispersion_value"] = result["dispersion"]["value"]
    return all(numeric(row[key]) == (None if value is None else Decimal(str(value))) for key, value in expected.items())


def test_a_study_known_only_through_a_review_has_no_doi_of_its_own_in_studies_csv(client, reference_studies):
    studies = {row["study_slug"]: row for row in download_rows(client, "studies")}
    known_through_review = studies["adsc-exosome-topical-aga-39"]
    assert (known_through_review["citation"], known_through_review["doi"], known_through_review["pmid"]) == ("", "", "")
    assert known_through_review["secondary_source"].startswith("Gupta AK, Wang T, Rapaport JA. Systematic review")
    assert known_through_review["secondary_source_doi"] == "10.1111/jocd.15869"
    ersan = studies["ersan-2024-foreskin-msc-exosome-aga"]
    assert (ersan["doi"], ersan["secondary_source"], ersan["secondary_source_doi"]) == (
        "10.1007/s00266-024-04332-3",
        "",
        "",
    )


def test_sources_csv_carries_the_parts_of_each_citation_as_printed(client, reference_studies):
    sources = download_rows(client, "sources")
    (ersan,) = [
        row for row in sources if row["study_slug"] == "ersan-2024-foreskin-msc-exosome-aga" and row["citation"]
    ]
    assert {key: ersan[key] for key in ("authors", "journal", "year", "volume", "issue", "pages")} == {
        "authors": "Ersan M, Ozer E, Akin O, Tasli PN, Sahin F",
        "journal": "Aesthetic Plast Surg",
        "year": "2024",
        "volume": "48",
        "issue": "21",
        "pages": "4262-4271",
    }
    assert ersan["article_title"].startswith("Effectiveness of exosome treatment in androgenetic alopecia")
    (preprint,) = [row for row in sources if row["study_slug"] == "preprint-rs-6938290-intradermal-msc-exosome"]
    assert (preprint["authors"], preprint["journal"], preprint["year"]) == ("", "Research Square", "")


def test_percent_change_is_computed_from_baseline_and_follow_up_and_marked_as_computed(client, reference_studies):
    rows = download_rows(client, "outcomes", "?condition=alopecia_areata")
    computed = [row for row in rows if row["value_origin"] == "computed"]
    assert [(row["arm_label"], row["statistic"], row["value"]) for row in computed] == [
        ("Case 1", "percent_change", "-25.13"),
        ("Case 2", "percent_change", "-16.52"),
    ]
    assert all(row["p_value"] == "" and row["dispersion_type"] == "" for row in computed)


def test_unknown_values_are_empty_cells_never_zero(client):
    study = make_study(slug="unknowns", sample_size=None, sample_size_not_reported=True, year=None)
    arm = make_arm(study, participants=None)
    make_result(make_measure(study), arm=arm, statistic="", value=None, result_text="hair looked better")
    make_adverse_event(study, arm=arm, participants_affected=None, participants_at_risk=None, serious=None)

    (row,) = download_rows(client, "studies")
    assert (row["sample_size"], row["year"], row["sample_size_not_reported"]) == ("", "", "true")
    assert download_rows(client, "arms")[0]["participants"] == ""
    (outcome,) = download_rows(client, "outcomes")
    assert (outcome["value"], outcome["n_analysed"], outcome["result_text"]) == ("", "", "hair looked better")
    event = download_rows(client, "adverse-events")[1]
    assert (event["participants_affected"], event["participants_at_risk"], event["serious"]) == ("", "", "")


def test_numbers_are_written_plainly_with_full_precision(client):
    measure = make_measure(unit="µm")
    make_result(measure, value="1234567.123456", baseline="0.000001", follow_up="100", timepoint_value="0.5")
    (reported, _computed) = download_rows(client, "outcomes")
    assert (reported["value"], reported["baseline"], reported["follow_up"]) == ("1234567.123456", "0.000001", "100")
    assert reported["timepoint_value"] == "0.5"


def test_units_and_symbols_survive_the_round_trip(client):
    study = make_study(title="Étude capillaire ± exosomes", slug="etude")
    make_result(make_measure(study, name="densité", unit="hairs/cm²"), result_text="+3 ± 1 µm", value="3")
    make_result(make_measure(study, name="diameter", unit="µm"), value="2.5")
    outcomes = download_rows(client, "outcomes")
    assert [row["unit"] for row in outcomes] == ["hairs/cm²", "µm"]
    assert outcomes[0]["result_text"] == "'+3 ± 1 µm"
    assert download_rows(client, "studies")[0]["title"] == "Étude capillaire ± exosomes"


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.get_internal_type() in {"CharField", "TextField"} and not field.choices and field.name != "slug"
    ]


def fill_with_payloads(record, payloads):
    for field in text_fields(type(record)):
        setattr(record, field.attname, next(payloads)[: field.max_length])
    record.save()


def test_formula_payloads_in_every_text_field_are_neutralised_and_numbers_are_not(client):
    study = make_study_with_everything()
    payloads = itertools.cycle(FORMULA_PAYLOADS)
    for record in [
        study,
        *study.arms.all(),
        *(intervention for arm in study.arms.all() for intervention in arm.interventions.all()),
        *study.measures.all(),
        *OutcomeResult.objects.all(),
        *ArmComparison.objects.all(),
        *study.adverse_events.all(),
        *study.sources.all(),
    ]:
        fill_with_payloads(record, payloads)
    OutcomeResult.objects.update(value="-12.75", baseline="-0.5", follow_up="-3")

    neutralised = set()
    for name, table in exports.TABLES.items():
        for row in download_rows(client, name):
            for column in table.columns:
                text = row[column.name]
                if column.type == "string":
                    assert not text.startswith(exports.FORMULA_TRIGGERS), (name, column.name, text)
                    neutralised.update(payload for payload in FORMULA_PAYLOADS if text.startswith("'" + payload))
    assert neutralised == set(FORMULA_PAYLOADS)
    reported = [row for row in download_rows(client, "outcomes") if row["value_origin"] == "reported"]
    assert {(row["value"], row["baseline"], row["follow_up"]) for row in reported if row["result_id"]} == {
        ("-12.75", "-0.5", "-3")
    }


def test_adverse_events_keep_none_observed_apart_from_not_reported(client):
    silent = make_study(slug="silent", adverse_event_status=Study.AdverseEventStatus.NOT_REPORTED)
    careful = make_study(slug="careful", adverse_event_status=Study.AdverseEventStatus.NONE_OBSERVED)
    counted = make_study(slug="counted", adverse_event_status=Study.AdverseEventStatus.COUNTS_REPORTED)
    placebo = make_arm(counted, label="Placebo", participants=10)
    treated = make_arm(counted, label="Exosome", participants=12)
    make_adverse_event(counted, arm=placebo, term="Itch", participants_affected=1, participants_at_risk=10)
    make_adverse_event(counted, arm=treated, term="Itch", participants_affected=3, participants_at_risk=12)

    rows = download_rows(client, "adverse-events")
    statuses = {row["study_slug"]: row["reporting_status"] for row in rows if row["row_type"] == "reporting_status"}
    assert statuses == {"silent": "not_reported", "careful": "none_observed", "counted": "counts_reported"}
    events = [(row["arm_label"], row["participants_affected"], row["participants_at_risk"]) for row in rows[3:]]
    assert events == [("Placebo", "1", "10"), ("Exosome", "3", "12")]
    assert silent.pk and careful.pk


def test_arms_list_their_interventions_in_order(client):
    arm = make_arm(label="Microneedling + exosome")
    make_intervention(arm, product="XOMAGE", route="topical_after_microneedling", regimen="monthly")
    make_intervention(arm, intervention_class="microneedling", exosome_source="", route="not_stated", position=1)
    (row,) = download_rows(client, "arms")
    assert row["intervention_count"] == "2"
    assert row["intervention_classes"] == "exosome | microneedling"
    assert row["exosome_sources"] == "adsc | "
    assert row["routes"] == "topical_after_microneedling | not_stated"
    assert row["regimens"] == "monthly | "


@pytest.mark.parametrize("table", STUDY_TABLE_NAMES)
def test_filters_select_the_same_studies_as_the_list_page_on_every_page(client, reference_studies, table):
    query = "?condition=androgenetic_alopecia&intervention_class=exosome&page=2"
    listed = StudyFilter({"condition": "androgenetic_alopecia", "intervention_class": "exosome"}, Study.objects.all())
    expected = set(listed.qs.filter(status=Study.Status.PUBLISHED).values_list("slug", flat=True))
    exported = {row["study_slug"] for row in download_rows(client, table, query)}
    assert 1 < len(expected) < 15
    if table in ("studies", "adverse-events"):
        assert exported == expected
    else:
        assert exported <= expected and exported


@pytest.mark.parametrize(
    "url_name,args", [*(("studies:export", [name]) for name in TABLE_NAMES), ("studies:export-zip", [])]
)
def test_an_invalid_filter_is_refused_with_a_message_never_exported_unfiltered(
    client, reference_studies, url_name, args
):
    response = client.get(reverse(url_name, args=args) + "?condition=baldness")
    assert response.status_code == 400
    assert "condition" in response.text and "baldness" in response.text


@pytest.mark.parametrize("status", [Study.Status.DRAFT, Study.Status.IN_REVIEW])
def test_unpublished_studies_are_never_in_a_public_download(client, status):
    hidden = make_study_with_everything(slug="hidden", status=status)
    make_appraisal(hidden)
    make_appraisal(make_study_with_everything(slug="shown"))
    for name in STUDY_TABLE_NAMES:
        rows = download_rows(client, name)
        assert rows and {row["study_slug"] for row in rows} == {"shown"}, name
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(reverse("studies:export-zip")))))
    assert all(b"hidden" not in archive.read(name) for name in archive.namelist())
    assert hidden.pk


def test_every_table_reads_its_rows_from_study_ids_alone():
    study = make_study_with_everything()
    make_appraisal(study)
    for name in STUDY_TABLE_NAMES:
        assert list(exports.TABLES[name].rows([study.pk])), name


def test_the_studies_table_gives_each_study_its_absolute_public_address(client):
    make_study(slug="addressed")
    (row,) = download_rows(client, "studies")
    assert row["public_url"] == "http://testserver/studies/addressed/"


def test_the_row_functions_module_is_not_shadowed_by_the_function_reading_a_table():
    assert exports.rows.outcome_rows is exports.TABLES["outcomes"].rows
    assert len(list(exports.table_rows(exports.TABLES["studies"], Study.objects.none(), ""))) == 0


def column(table, name):
    (found,) = [column for column in exports.TABLES[table].columns if column.name == name]
    return found


def test_the_codes_the_export_adds_are_enumerations_shared_by_rows_and_dictionary(client):
    make_study_with_everything()
    assert [code[:2] for code in column("outcomes", "scope").codes] == Scope.choices
    assert [code[:2] for code in column("outcomes", "value_origin").codes] == ValueOrigin.choices
    assert [code[:2] for code in column("adverse-events", "row_type").codes] == AdverseEventRowType.choices
    assert Scope.BETWEEN_ARMS.label == "Comparison between arms as reported"
    rows = download_rows(client, "adverse-events")
    assert rows[0]["row_type"] == AdverseEventRowType.REPORTING_STATUS
    assert {row["row_type"] for row in rows[1:]} == {AdverseEventRowType.EVENT}


def test_an_unknown_table_is_not_found(client):
    assert client.get("/studies/export/participants.csv").status_code == 404


def read_zip(response):
    return zipfile.ZipFile(io.BytesIO(body(response)))


def test_the_zip_holds_every_table_as_downloaded_and_their_data_package(client, reference_studies):
    response = client.get(reverse("studies:export-zip") + "?condition=androgenetic_alopecia")
    assert response["Content-Type"] == "application/zip"
    archive = read_zip(response)
    assert archive.testzip() is None
    assert archive.namelist() == [f"{name}.csv" for name in TABLE_NAMES] + ["datapackage.json"]
    for name in TABLE_NAMES:
        single = client.get(reverse("studies:export", args=[name]) + "?condition=androgenetic_alopecia")
        assert archive.read(f"{name}.csv") == body(single)
    package = json.loads(archive.read("datapackage.json"))
    described = {
        resource["name"]: [field["name"] for field in resource["schema"]["fields"]] for resource in package["resources"]
    }
    assert described == {name: table.header for name, table in exports.TABLES.items()}


def test_the_data_package_validates_with_frictionless_keys_and_joins_included(client, reference_studies, tmp_path):
    make_study_with_everything(slug="with-events")
    read_zip(client.get(reverse("studies:export-zip"))).extractall(tmp_path)
    package = Package(str(tmp_path / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert [(licence["name"], licence["path"]) for licence in package.licenses] == [
        ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")
    ]


# Late in the UTC day, so that a date taken from local time would show.
DOWNLOADED_AT = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)


@pytest.fixture
def download_day(monkeypatch):
    monkeypatch.setattr(exports, "download_time", lambda: DOWNLOADED_AT)
    return "2026-11-21"


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_each_table_downloads_under_a_name_carrying_the_date_of_the_download(client, download_day, table):
    response = client.get(reverse("studies:export", args=[table]))
    expected = f'attachment; filename="hair-loss-evidence-{table}-{download_day}.csv"'
    assert response["Content-Disposition"] == expected


def test_the_zip_is_dated_but_the_tables_inside_keep_the_names_its_data_package_uses(client, download_day):
    make_study_with_everything()
    response = client.get(reverse("studies:export-zip"))
    assert response["Content-Disposition"] == f'attachment; filename="hair-loss-evidence-{download_day}.zip"'
    archive = read_zip(response)
    package = json.loads(archive.read("datapackage.json"))
    assert [resource["path"] for resource in package["resources"]] == archive.namelist()[:-1]
    assert archive.namelist()[:-1] == [f"{name}.csv" for name in TABLE_NAMES]
    assert package["created"] == "2026-11-21T23:30:00+00:00"


def test_the_data_package_states_its_licence_and_how_to_cite_the_tracker(client, download_day):
    package = json.loads(read_zip(client.get(reverse("studies:export-zip"))).read("datapackage.json"))
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    assert package["citation"] == (
        "Hair-loss evidence tracker. Clinical evidence on exosome therapy for hair loss. http://testserver/ "
        "(data downloaded 2026-11-21). Licence: CC BY 4.0."
    )
    assert package["homepage"] == "http://testserver/"
    assert f"Cite as: {package['citation']}" in package["description"]


def test_the_data_page_states_the_licence_and_how_to_cite_the_tracker(client, download_day):
    page = client.get(reverse("studies:data")).text
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page
    assert "Creative Commons Attribution 4.0 licence (CC BY 4.0)" in page
    assert (
        escape(
            "Hair-loss evidence tracker. Clinical evidence on exosome therapy for hair loss. http://testserver/ "
            "(data downloaded 2026-11-21). Licence: CC BY 4.0."
        )
        in page
    )


def test_the_data_package_catches_a_broken_join(client, reference_studies, tmp_path):
    read_zip(client.get(reverse("studies:export-zip"))).extractall(tmp_path)
    sources = tmp_path / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace(",wan-2025", ",not-a-study", 1), encoding="utf-8")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def test_the_data_dictionary_describes_every_column_of_every_table(client):
    page = client.get(reverse("studies:data")).text
    for table in exports.TABLES.values():
        assert f'href="{reverse("studies:export", args=[table.name])}"' in page
        for column in table.columns:
            assert f"<code>{column.name}</code>" in page
            assert escape(column.description) in page
    assert "single quote in front" in page
    assert "never zero" in page


def make_studies(count):
    for _ in range(count):
        make_appraisal(make_study_with_everything())


@pytest.mark.parametrize("table", STUDY_TABLE_NAMES)
def test_each_export_runs_the_same_queries_for_few_or_many_studies(client, django_assert_max_num_queries, table):
    # The content version, then the table's own queries per chunk of studies.
    queries = 1 + {"studies": 4, "arms": 3, "outcomes": 4, "adverse-events": 3, "sources": 2, "appraisals": 3}[table]
    make_studies(2)
    with django_assert_max_num_queries(queries):
        assert len(download(client, table)) > 2
    make_studies(10)
    with django_assert_max_num_queries(queries):
        assert len(download(client, table)) > 12


def test_queries_grow_with_the_number_of_chunks_not_rows(client, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 4)
    make_studies(4)
    with django_assert_max_num_queries(1 + 4 + 1):
        rows_one_chunk = len(download_rows(client, "outcomes"))
    make_studies(8)
    with django_assert_max_num_queries(1 + 3 * 4 + 1):
        rows_three_chunks = len(download_rows(client, "outcomes"))
    assert rows_three_chunks == 3 * rows_one_chunk


def test_the_zip_runs_a_fixed_number_of_queries_per_chunk(client, django_assert_max_num_queries):
    # 20 for the studies' tables and the evidence, 3 for the claims' (tests/test_claims_exports.py).
    make_studies(2)
    with django_assert_max_num_queries(24):
        read_zip(client.get(reverse("studies:export-zip")))
    make_studies(10)
    with django_assert_max_num_queries(24):
        read_zip(client.get(reverse("studies:export-zip")))


@pytest.mark.parametrize("table", STUDY_TABLE_NAMES)
def test_a_table_of_no_studies_has_no_rows(table):
    assert list(exports.TABLES[table].rows([])) == []
