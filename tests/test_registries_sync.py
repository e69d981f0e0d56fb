"""Keeping registrations current, and naming trials with no results 12 months after completion."""

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from studies.models import Registration, Study
from tests.factories import make_registration, make_study

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "ctgov"


def sync():
    out = io.StringIO()
    call_command("sync_registrations", stdout=out)
    return out.getvalue()


def registered_trial(identifier="NCT03418623", **overrides):
    fields = {"results_status": Study.ResultsStatus.REGISTERED_NO_RESULTS, "publication_type": "registry_only"}
    study = make_study(**(fields | overrides))
    make_registration(study=study, identifier=identifier)
    return study


def test_sync_refreshes_status_and_dates_and_prints_what_changed(ctgov):
    study = registered_trial(registry_status="recruiting")
    output = sync()
    registration = Registration.objects.get(study=study)
    assert registration.overall_status == "Completed"
    assert (registration.primary_completion_date, registration.primary_completion_date_type) == (
        date(2020, 3, 13),
        "actual",
    )
    assert "registry status: recruiting -> Completed" in output and "1 study(ies) changed" in output
    history = Registration.history.filter(id=registration.pk).first()
    assert history.history_change_reason == "Synced from ClinicalTrials.gov, record of 2020-10-08"
    assert "0 study(ies) changed" in sync()


def test_sync_changes_nothing_and_fails_when_the_registry_cannot_be_reached(ctgov):
    study = registered_trial(registry_status="recruiting")
    ctgov.down = True
    with pytest.raises(CommandError, match="could not be reached"):
        sync()
    assert Study.objects.get(pk=study.pk).registry_status == "recruiting"
    assert Registration.objects.get(study=study).overall_status == ""


def test_sync_reports_a_number_the_registry_does_not_know_and_still_refreshes_the_others(ctgov):
    registered_trial()
    registered_trial(identifier="NCT00000000")
    with pytest.raises(CommandError, match="NCT00000000.*has no study"):
        sync()
    assert Registration.objects.get(identifier="NCT03418623").overall_status == "Completed"


def test_the_reference_trial_completed_in_july_2024_without_results_is_overdue(reference_studies, client):
    trial = Study.objects.get(slug="nct06239207")
    page = client.get(trial.get_absolute_url())
    assert "No results 12 months after completion" in page.text and "21 July 2024" in page.text
    listed = client.get(reverse("studies:list"), {"results_due": "overdue"})
    assert trial.title in listed.text


def test_primary_completion_counts_when_known_and_posted_results_end_the_flag(client):
    long_ago = timezone.now().date() - timedelta(days=500)
    recent = timezone.now().date() - timedelta(days=100)
    study = registered_trial(title="Late trial", registry_status="Active, not recruiting", end_date=recent)
    registration = Registration.objects.get(study=study)
    registration.primary_completion_date = long_ago
    registration.primary_completion_date_type = "actual"
    registration.save()
    assert Study.objects.results_overdue().filter(pk=study.pk).exists()
    assert "Primary completion on" in client.get(study.get_absolute_url()).text
    registration.results_first_posted = recent
    registration.save()
    assert not Study.objects.results_overdue().exists()
    assert "No results 12 months" not in client.get(study.get_absolute_url()).text


def test_an_anticipated_primary_completion_is_never_overdue():
    study = registered_trial(registry_status="Recruiting")
    Registration.objects.filter(study=study).update(
        primary_completion_date=date(2020, 1, 1), primary_completion_date_type="anticipated"
    )
    assert not Study.objects.results_overdue().exists()


def test_the_home_page_counts_overdue_trials_and_links_their_list_and_feed(client, django_assert_max_num_queries):
    registered_trial(registry_status="completed", end_date=date(2020, 1, 1))
    registered_trial(registry_status="completed", end_date=timezone.now().date())
    with django_assert_max_num_queries(3):
        response = client.get(reverse("studies:home"))
    assert "<strong>1</strong> registered trial</a> with no results 12 months after completion" in response.text
    assert reverse("studies:results-overdue-feed") in response.text


def test_the_overdue_feed_lists_only_overdue_published_trials_in_a_fixed_number_of_queries(
    client, assert_queries_do_not_grow
):
    def build(size):
        for number in range(size):
            registered_trial(title=f"Overdue {size}-{number}", registry_status="completed", end_date=date(2021, 1, 1))
        registered_trial(title="Not yet due", registry_status="completed", end_date=timezone.now().date())
        registered_trial(title="Draft overdue", registry_status="completed", end_date=date(2021, 1, 1), status="draft")

    def visit(size):
        visit.response = client.get(reverse("studies:results-overdue-feed"))

    assert_queries_do_not_grow(2, build, visit)
    text = visit.response.content.decode()
    assert "Overdue 30-0" in text and "Not yet due" not in text and "Draft overdue" not in text
    assert "Completed on 01 January 2021; no results posted or published 12 months later." in text


def test_the_list_filter_keeps_its_query_count(client, django_assert_max_num_queries):
    for number in range(5):
        registered_trial(title=f"Overdue {number}", registry_status="completed", end_date=date(2021, 1, 1))
    with django_assert_max_num_queries(7):
        response = client.get(reverse("studies:list"), {"results_due": "overdue"})
    assert response.text.count("No results 12 months after completion") >= 5


def test_the_study_page_shows_the_registry_status_and_whether_results_are_posted(client):
    study = registered_trial(registry_status="Completed")
    Registration.objects.filter(study=study).update(overall_status="Completed", results_first_posted=date(2020, 5, 7))
    page = client.get(study.get_absolute_url())
    assert "ClinicalTrials.gov: completed, results posted 7 May 2020" in page.text


def test_the_methods_page_explains_the_rule(client):
    text = client.get(reverse("studies:methods")).text
    assert "The World Health Organization expects every trial" in text and "US law (FDAAA)" in text


def test_of_two_imported_trials_only_the_one_without_results_is_overdue():
    call_command("import_ctgov", "NCT03418623", "--file", str(DATA / "NCT03418623.json"), stdout=io.StringIO())
    groups = ["--group", "Placebo qw=Placebo qw", "--group", "Dupilumab 300 mg qw=Dupilumab 300 mg qw"]
    call_command("import_ctgov", "NCT02210780", "--file", str(DATA / "NCT02210780.json"), *groups, stdout=io.StringIO())
    assert list(Study.objects.results_overdue().values_list("slug", flat=True)) == ["nct03418623"]
