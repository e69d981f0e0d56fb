"""Every change is kept: who, when, why and which values changed; no edit is silently lost."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from studies.models import Study
from tests.admin_helpers import errors_of, make_user, page_data, post_change
from tests.factories import make_arm, make_measure, make_result, make_study

pytestmark = pytest.mark.django_db


def test_an_admin_edit_is_recorded_with_who_and_old_and_new_values(client):
    client.force_login(make_user("Curator"))
    study = make_study(title="Old title", status=Study.Status.DRAFT, sample_size=20)
    assert post_change(client, study, changes={"title": "New title", "sample_size": 24}).status_code == 302
    page = client.get(reverse("admin:studies_study_full_history", args=[study.pk]))
    assert page.status_code == 200
    assert "curator" in page.text
    assert "<strong>title</strong>: Old title → New title" in page.text
    assert "<strong>sample size</strong>: 20 → 24" in page.text


def test_changes_to_parts_of_a_study_appear_on_its_full_history(client):
    client.force_login(make_user("Curator"))
    study = make_study(status=Study.Status.DRAFT)
    arm = make_arm(study=study, label="Exosome", participants=10)
    measure = make_measure(study=study, name="hair density")
    result = make_result(measure=measure, arm=arm, value="12.5")
    page_rows = {"results-0-value": "13.5"}
    assert post_change(client, measure, changes=page_rows).status_code == 302
    result.refresh_from_db()
    page = client.get(reverse("admin:studies_study_full_history", args=[study.pk]))
    assert "<strong>value</strong>: 12.5 → 13.5" in page.text
    assert "Outcome result" in page.text


def test_the_loader_and_commands_are_recorded_too():
    call_command("load_reference_studies", stdout=StringIO())
    study = Study.objects.get(slug="adsc-exosome-topical-aga-39")
    record = study.history.get()
    assert record.history_change_reason == "Loaded from the reference data"
    assert record.history_type == "+"
    assert study.arms.get().history.get().history_change_reason == "Loaded from the reference data"


def test_bulk_actions_write_history_for_every_study(client):
    client.force_login(make_user("Curator"))
    drafts = [make_study(status=Study.Status.DRAFT) for _ in range(3)]
    client.post(
        reverse("admin:studies_study_changelist"),
        {"action": "submit_for_review", "_selected_action": [study.pk for study in drafts]},
    )
    for study in drafts:
        latest = study.history.first()
        assert (latest.status, latest.history_change_reason, latest.history_user.username) == (
            "in_review",
            "Submitted for review",
            "curator",
        )


def test_changing_a_published_study_needs_a_reason_which_is_kept(client):
    client.force_login(make_user("Curator"))
    study = make_study(status=Study.Status.PUBLISHED, sample_size=20)
    refused = post_change(client, study, changes={"sample_size": 21})
    assert "This study is published: give a short reason for the change." in " ".join(errors_of(refused))
    study.refresh_from_db()
    assert study.sample_size == 20

    accepted = post_change(client, study, changes={"sample_size": 21, "change_reason": "Corrected from full text"})
    assert accepted.status_code == 302
    assert study.history.first().history_change_reason == "Corrected from full text"


def test_changing_a_part_of_a_published_study_needs_a_reason_too(client):
    client.force_login(make_user("Curator"))
    arm = make_arm(study=make_study(status=Study.Status.PUBLISHED), participants=10)
    refused = post_change(client, arm, changes={"participants": 9})
    assert "This study is published" in " ".join(errors_of(refused))
    assert post_change(client, arm, changes={"participants": 9, "change_reason": "Typo"}).status_code == 302
    assert arm.history.first().history_change_reason == "Typo"


def test_the_second_of_two_concurrent_saves_is_refused_and_the_first_is_kept(client):
    first, second = make_user("Curator", "first"), make_user("Curator", "second")
    study = make_study(title="Shared study", status=Study.Status.DRAFT, sample_size=20, country="")
    url = reverse("admin:studies_study_change", args=[study.pk])

    client.force_login(first)
    first_form = page_data(client.get(url))
    client.force_login(second)
    second_form = page_data(client.get(url))

    client.force_login(first)
    assert client.post(url, {**first_form, "country": "Turkey"}).status_code == 302
    client.force_login(second)
    refused = client.post(url, {**second_form, "sample_size": "25"})

    assert "Someone else saved changes to study 'Shared study' after you opened this page" in " ".join(
        errors_of(refused)
    )
    study.refresh_from_db()
    assert (study.country, study.sample_size) == ("Turkey", 20)


def test_saving_a_part_counts_as_a_change_to_the_study(client):
    client.force_login(make_user("Curator"))
    study = make_study(status=Study.Status.DRAFT)
    arm = make_arm(study=study, participants=10)
    url = reverse("admin:studies_study_change", args=[study.pk])
    stale_form = page_data(client.get(url))
    assert post_change(client, arm, changes={"participants": 12}).status_code == 302
    refused = client.post(url, {**stale_form, "title": "Renamed"})
    assert "Someone else saved changes" in " ".join(errors_of(refused))
