"""Draft -> in review -> published and back, with a completeness gate and roles."""

import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from studies.models import Study
from tests.admin_helpers import make_user
from tests.factories import make_measure, make_result, make_source, make_study

pytestmark = pytest.mark.django_db


def step(client, study, name, **data):
    return client.post(reverse("admin:studies_study_workflow", args=[study.pk, name]), data)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def complete_study(**overrides):
    study = make_study(**{"status": Study.Status.IN_REVIEW, **overrides})
    make_source(study=study)
    return study


def test_a_curator_submits_a_draft_for_review_but_cannot_publish(client):
    client.force_login(make_user("Curator"))
    study = complete_study(status=Study.Status.DRAFT)
    assert step(client, study, "submit").status_code == 302
    study.refresh_from_db()
    assert study.status == Study.Status.IN_REVIEW
    assert step(client, study, "publish").status_code == 403
    study.refresh_from_db()
    assert study.status == Study.Status.IN_REVIEW


def test_a_curator_is_not_offered_publishing(client):
    client.force_login(make_user("Curator"))
    study = complete_study()
    page = client.get(reverse("admin:studies_study_change", args=[study.pk]))
    assert "Return to draft" in page.text
    assert ">Publish</button>" not in page.text
    changelist = client.get(reverse("admin:studies_study_changelist"))
    assert "publish_selected" not in changelist.text


def test_a_publisher_publishes_a_complete_study(client):
    client.force_login(make_user("Publisher"))
    study = complete_study()
    response = step(client, study, "publish")
    study.refresh_from_db()
    assert study.status == Study.Status.PUBLISHED
    assert f"'{study.title}' is now published." in messages_of(response)
    assert client.get(study.get_absolute_url()).status_code == 200


def test_publishing_an_incomplete_study_is_refused_with_what_is_missing(client):
    client.force_login(make_user("Publisher"))
    study = make_study(
        status=Study.Status.IN_REVIEW, condition="", design="", sample_size=None, adverse_event_status=""
    )
    make_result(measure=make_measure(study=study, name="hair count", unit=""), timepoint_value=None)
    response = step(client, study, "publish")
    study.refresh_from_db()
    assert study.status == Study.Status.IN_REVIEW
    (message,) = messages_of(response)
    for missing in [
        "Add at least one source.",
        "Choose the condition (or 'Not stated').",
        "Choose the design (or 'Not stated').",
        "Enter the sample size, or tick 'sample size not reported'.",
        "Choose the adverse-event reporting status.",
        "Give a unit for the numeric result of 'hair count' (whole study).",
        "Give a time point for the numeric result of 'hair count' (whole study).",
    ]:
        assert missing in message


def test_the_change_page_lists_what_blocks_publishing(client):
    client.force_login(make_user("Publisher"))
    study = make_study(status=Study.Status.IN_REVIEW)
    page = client.get(reverse("admin:studies_study_change", args=[study.pk]))
    assert "Before this study can be published" in page.text
    assert "Add at least one source." in page.text


def test_a_draft_cannot_skip_review(client):
    client.force_login(make_user("Publisher"))
    study = complete_study(status=Study.Status.DRAFT)
    step(client, study, "publish")
    study.refresh_from_db()
    assert study.status == Study.Status.DRAFT


def test_bulk_publishing_applies_the_gate_to_each_study_and_reports_both(client):
    client.force_login(make_user("Publisher"))
    ready = complete_study(title="Ready study")
    unsourced = make_study(title="Unsourced study", status=Study.Status.IN_REVIEW)
    draft = complete_study(title="Draft study", status=Study.Status.DRAFT)
    response = client.post(
        reverse("admin:studies_study_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, unsourced.pk, draft.pk]},
    )
    statuses = dict(Study.objects.values_list("title", "status"))
    assert statuses == {"Ready study": "published", "Unsourced study": "in_review", "Draft study": "draft"}
    report = " ".join(messages_of(response))
    assert "Published 1: 'Ready study'." in report
    assert "'Unsourced study': Add at least one source." in report
    assert "'Draft study': it is draft; only studies in review can be published" in report


def test_unpublishing_needs_a_reason_and_keeps_it_in_the_history(client):
    client.force_login(make_user("Publisher"))
    study = complete_study(status=Study.Status.PUBLISHED)
    step(client, study, "unpublish", reason="")
    study.refresh_from_db()
    assert study.status == Study.Status.PUBLISHED

    step(client, study, "unpublish", reason="Sample size under review")
    study.refresh_from_db()
    assert study.status == Study.Status.IN_REVIEW
    assert client.get(study.get_absolute_url()).status_code == 404
    latest = study.history.first()
    assert latest.history_change_reason == "Unpublished: Sample size under review"
    assert latest.history_user.username == "publisher"


def test_a_curator_cannot_unpublish(client):
    client.force_login(make_user("Curator"))
    study = complete_study(status=Study.Status.PUBLISHED)
    assert step(client, study, "unpublish", reason="No").status_code == 403


def test_workflow_steps_need_a_post(client):
    client.force_login(make_user("Publisher"))
    study = complete_study()
    assert client.get(reverse("admin:studies_study_workflow", args=[study.pk, "publish"])).status_code == 405


def test_curators_export_selected_studies_of_any_status(client):
    client.force_login(make_user("Curator"))
    draft = make_study(title="Draft to export", status=Study.Status.DRAFT)
    make_study(title="Not selected", status=Study.Status.DRAFT)
    response = client.post(
        reverse("admin:studies_study_changelist"),
        {"action": "export_selected_studies", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    studies_csv = archive.read("studies.csv").decode("utf-8")
    assert "Draft to export" in studies_csv
    assert "Not selected" not in studies_csv
