"""Importing a ClinicalTrials.gov record: a draft study with every value exactly as the registry printed it."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from registries.models import PendingImport
from registries.records import Record
from registries.sync import changes, import_record
from studies.models import AdverseEvent, AdverseEventGroup, ArmComparison, OutcomeResult, Study
from tests.factories import make_arm, make_registration, make_study

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "ctgov"
WITH_RESULTS = DATA / "NCT02210780.json"
WITHOUT_RESULTS = DATA / "NCT03418623.json"
GROUPS = ["--group", "Placebo qw=Placebo qw", "--group", "Dupilumab 300 mg qw=Dupilumab 300 mg qw"]


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def import_with_results():
    run("import_ctgov", "NCT02210780", "--file", str(WITH_RESULTS), *GROUPS)
    return Study.objects.get(registrations__identifier="NCT02210780")


def measured_strings(record):
    """Every value, spread and limit the record's outcome measures print, as printed."""
    for measure in record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]:
        for class_ in measure.get("classes", []):
            for category in class_["categories"]:
                for measurement in category["measurements"]:
                    for name in ("value", "spread", "lowerLimit", "upperLimit"):
                        if name in measurement:
                            yield (
                                measure["title"],
                                measurement["groupId"],
                                class_.get("title", ""),
                                name,
                                measurement[name],
                            )


def test_every_measured_value_reaches_outcomes_csv_exactly_after_import_and_group_mapping(client, publisher_client):
    study = import_with_results()
    assert study.status == Study.Status.DRAFT
    response = client.get(reverse("admin:studies_study_changelist"))  # the export of drafts is the admin's
    rows = export_rows(publisher_client, study)
    record = json.loads(WITH_RESULTS.read_text())
    arms = {"OG000": "Placebo qw", "OG001": "Dupilumab 300 mg qw"}
    columns = {
        "value": "value",
        "spread": "dispersion_value",
        "lowerLimit": "dispersion_lower",
        "upperLimit": "dispersion_upper",
    }
    expected = list(measured_strings(record))
    assert len(expected) == 44
    for title, group, class_title, name, printed in expected:
        (row,) = [
            row
            for row in rows
            if row["measure_name"] == title
            and row["arm_label"] == arms[group]
            and row["class_title"] == class_title
            and row["scope"] == "arm"
        ]
        assert row[columns[name]] == printed, (title, group, name)
    assert response.status_code in (200, 302)


def export_rows(publisher_client, study):
    response = publisher_client.post(
        reverse("admin:studies_study_changelist"),
        {"action": "export_selected_studies", "_selected_action": [study.pk]},
    )
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    name = next(name for name in archive.namelist() if name.endswith("outcomes.csv"))
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_the_import_keeps_statistics_dispersions_and_comparisons_in_the_registrys_words():
    study = import_with_results()
    pruritus = OutcomeResult.objects.get(
        measure__study=study, measure__name__startswith="Change From Baseline in Peak", arm__label="Placebo qw"
    )
    assert pruritus.statistic == OutcomeResult.Statistic.LEAST_SQUARES_MEAN
    assert pruritus.statistic_detail == "Least squares mean"
    assert (str(pruritus.value), str(pruritus.dispersion_value)) == ("-2.11", "0.259")
    assert (pruritus.dispersion_type, pruritus.dispersion_detail) == ("se", "Standard Error")
    assert pruritus.n_analysed == 90
    comparison = ArmComparison.objects.get(measure=pruritus.measure)
    assert (comparison.statistical_method, comparison.estimate_type, str(comparison.value)) == (
        "ANCOVA",
        "LS Mean Difference",
        "-2.13",
    )
    assert (comparison.dispersion_type, str(comparison.dispersion_lower), str(comparison.dispersion_upper)) == (
        "ci90",
        "-2.72",
        "-1.55",
    )
    assert (str(comparison.estimate_spread), comparison.p_value) == ("0.354", "<0.0001")
    erythema = OutcomeResult.objects.get(measure__study=study, class_title="Erythema", arm__label="Dupilumab 300 mg qw")
    assert str(erythema.value) == "-0.9"


def test_the_adverse_event_totals_and_terms_match_the_record():
    study = import_with_results()
    record = json.loads(WITH_RESULTS.read_text())["resultsSection"]["adverseEventsModule"]
    titles = {group["id"]: group["title"] for group in record["eventGroups"]}
    for group in record["eventGroups"]:
        totals = AdverseEventGroup.objects.get(study=study, arm__label=group["title"])
        for kind in ("deaths", "serious", "other"):
            assert getattr(totals, f"{kind}_affected") == group[f"{kind}NumAffected"]
            assert getattr(totals, f"{kind}_at_risk") == group[f"{kind}NumAtRisk"]
    expected = {
        (
            event["term"],
            serious,
            event["organSystem"],
            titles[stats["groupId"]],
            stats["numAffected"],
            stats["numAtRisk"],
        )
        for serious, kind in ((True, "seriousEvents"), (False, "otherEvents"))
        for event in record[kind]
        for stats in event["stats"]
    }
    stored = {
        (e.term, e.serious, e.organ_system, e.arm.label, e.participants_affected, e.participants_at_risk)
        for e in AdverseEvent.objects.filter(study=study).select_related("arm")
    }
    assert stored == expected and len(stored) == 18
    event = AdverseEvent.objects.filter(study=study).first()
    assert (event.vocabulary, event.assessment) == ("MedDRA (18.0)", AdverseEvent.Assessment.SYSTEMATIC)
    assert str(study.adverse_event_threshold) == "5"


def test_the_registration_keeps_status_and_dates_with_actual_or_anticipated():
    study = import_with_results()
    registration = study.registrations.get()
    assert registration.overall_status == "Completed" and study.registry_status == "Completed"
    assert str(registration.primary_completion_date) == "2015-09-15"
    assert registration.primary_completion_date_type == "actual"
    assert str(registration.first_posted) == "2014-08-07" and str(registration.results_first_posted) == "2020-05-07"
    assert (study.sample_size, study.design, study.sponsor) == (
        194,
        Study.Design.RANDOMIZED_CONTROLLED,
        "Regeneron Pharmaceuticals",
    )
    assert "masking: triple" in study.design_detail
    assert [(arm.label, arm.participants, arm.role_detail) for arm in study.arms.all()] == [
        ("Placebo qw", 97, "Experimental"),
        ("Dupilumab 300 mg qw", 97, "Experimental"),
    ]
    assert study.arms.get(label="Dupilumab 300 mg qw").interventions.get().product == "Dupilumab"
    history = study.history.first()
    assert history.history_change_reason == "Synced from ClinicalTrials.gov, record of 2020-05-07"


def test_an_imported_draft_is_invisible_to_the_public_until_published(client):
    study = import_with_results()
    assert client.get(study.get_absolute_url()).status_code == 404
    assert study.title not in client.get(reverse("studies:list")).text
    download = client.get(reverse("studies:export", args=["outcomes"]))
    assert "Dupilumab" not in b"".join(download.streaming_content).decode()


def test_a_second_import_of_the_same_record_changes_nothing():
    study = import_with_results()
    history = Study.history.count() + OutcomeResult.history.count() + AdverseEvent.history.count()
    version = Study.objects.get(pk=study.pk).version
    output = run("import_ctgov", "NCT02210780", "--file", str(WITH_RESULTS), *GROUPS)
    assert "0 change(s)" in output
    assert Study.objects.count() == 1 and Study.objects.get(pk=study.pk).version == version
    assert Study.history.count() + OutcomeResult.history.count() + AdverseEvent.history.count() == history


def test_reimporting_a_draft_updates_it_and_keeps_what_the_curator_categorised():
    study = import_with_results()
    Study.objects.filter(pk=study.pk).update(sponsor="Typed by hand")
    arm = study.arms.get(label="Placebo qw")
    arm.role = "placebo_comparator"
    arm.save()
    output = run("import_ctgov", "NCT02210780", "--file", str(WITH_RESULTS), *GROUPS)
    assert "Study: sponsor: Typed by hand -> Regeneron Pharmaceuticals" in output
    assert study.arms.get(label="Placebo qw").role == "placebo_comparator"


def test_a_published_study_lists_each_difference_and_changes_nothing_until_accepted():
    study = import_with_results()
    Study.objects.filter(pk=study.pk).update(status=Study.Status.PUBLISHED, sponsor="Regeneron")
    OutcomeResult.objects.filter(measure__study=study, value="-2.11").update(value="-2.1")
    output = run("import_ctgov", "NCT02210780", "--file", str(WITH_RESULTS), *GROUPS)
    assert "2 difference(s) wait to be accepted" in output
    pending = PendingImport.objects.get()
    found = changes(Study.objects.get(pk=study.pk), Record(pending.record), pending.arm_of)
    assert sorted((change.old_text, change.new_text) for change in found) == [
        ("-2.1", "-2.11"),
        ("Regeneron", "Regeneron Pharmaceuticals"),
    ]
    assert Study.objects.get(pk=study.pk).sponsor == "Regeneron"


def test_a_record_without_results_imports_without_mapping_and_is_overdue():
    output = run("import_ctgov", "NCT03418623", "--file", str(WITHOUT_RESULTS))
    assert "Imported NCT03418623 as the draft study" in output
    study = Study.objects.get(slug="nct03418623")
    assert study.results_status == Study.ResultsStatus.REGISTERED_NO_RESULTS
    assert study.measures.count() == 3 and study.arms.count() == 2
    assert study.design == Study.Design.SPLIT_SCALP  # crossover: each participant has every treatment
    assert "results_overdue" in [limitation.code for limitation in study.limitations]
    assert Study.objects.results_overdue().filter(pk=study.pk).exists()


def test_groups_of_a_record_without_arms_become_whole_study_results():
    data = json.loads(WITH_RESULTS.read_text())
    data["protocolSection"]["armsInterventionsModule"] = {}
    record = Record(data)
    outcome = import_record(record, {group.key: "" for group in record.groups})
    results = OutcomeResult.objects.filter(measure__study=outcome.study)
    assert outcome.study.arms.count() == 0 and results.count() == 28
    assert not results.filter(arm__isnull=False).exists()
    assert results.filter(result_text__startswith="Group: Placebo qw").count() == 14
    assert not changes(outcome.study, record, {group.key: "" for group in record.groups})


def test_na_with_a_comment_is_unknown_with_the_comment_never_zero():
    data = json.loads(WITH_RESULTS.read_text())
    measurement = data["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][6]["classes"][0]["categories"][0][
        "measurements"
    ][0]
    measurement.update({"value": "NA", "spread": "NA", "comment": "Not analysed: too few participants."})
    record = Record(data)
    outcome = import_record(record, {"group-1": "Placebo qw", "group-2": "Dupilumab 300 mg qw"})
    result = OutcomeResult.objects.get(measure__study=outcome.study, measure__position=6, arm__label="Placebo qw")
    assert (result.value, result.dispersion_value, result.statistic) == (None, None, "")
    assert result.result_text == "Not analysed: too few participants."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NCT0221"], "is not a ClinicalTrials.gov number"),
        (["NCT03418623", "--file", str(WITH_RESULTS)], "is of NCT02210780, not of NCT03418623"),
        (["NCT02210780", "--file", str(DATA / "missing.json")], "cannot be read"),
        (["NCT02210780", "--file", str(WITH_RESULTS), "--group", "Placebo qw=No such arm"], "is not an arm"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        run("import_ctgov", *args)
    assert not Study.objects.exists() and not PendingImport.objects.exists()


def test_an_unknown_number_and_an_unreachable_registry_change_nothing(ctgov):
    with pytest.raises(CommandError, match="has no study NCT00000000"):
        run("import_ctgov", "NCT00000000")
    ctgov.down = True
    with pytest.raises(CommandError, match="could not be reached"):
        run("import_ctgov", "NCT03418623")
    assert not Study.objects.exists()


def test_a_record_the_models_refuse_leaves_no_partial_study():
    data = json.loads(WITH_RESULTS.read_text())
    data["resultsSection"]["adverseEventsModule"]["seriousEvents"][0]["stats"][0]["numAffected"] = 500
    record = Record(data)
    from registries.sync import ImportRefused

    with pytest.raises(ImportRefused, match=r"Participants affected \(500\) cannot exceed participants at risk \(97\)"):
        import_record(record, {"group-1": "Placebo qw", "group-2": "Dupilumab 300 mg qw"})
    assert not Study.objects.exists() and not OutcomeResult.objects.exists()


def test_without_groups_given_the_command_leaves_the_mapping_to_the_admin():
    output = run("import_ctgov", "NCT02210780", "--file", str(WITH_RESULTS))
    pending = PendingImport.objects.get()
    assert reverse("admin:registries_pendingimport_groups", args=[pending.pk]) in output
    assert not Study.objects.exists()


def test_an_existing_study_with_the_number_is_updated_not_duplicated():
    study = make_study(title="Typed by a curator", status=Study.Status.DRAFT, design=Study.Design.NOT_STATED)
    make_registration(study=study, identifier="NCT03418623")
    make_arm(study=study, label="GET73", participants=None)
    run("import_ctgov", "NCT03418623", "--file", str(WITHOUT_RESULTS))
    study.refresh_from_db()
    assert Study.objects.count() == 1
    assert study.title == "Typed by a curator" and study.design == Study.Design.NOT_STATED
    assert study.registrations.get().overall_status == "Completed"
    assert sorted(study.arms.values_list("label", flat=True)) == ["GET73", "Placebo"]
