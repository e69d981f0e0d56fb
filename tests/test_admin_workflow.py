"""Draft -> in review -> published and back, with a completeness gate and roles."""

import csv
import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from studies.models import Study
from tests.admin_helpers import make_user
from tests.factories import make_measure, make_result, make_source, make_study, make_study_with_everything

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


def workflow_buttons(page):
    box = page.text.split('class="module workflow"', 1)[1].split("</section>", 1)[0]
    return [part.split("</button>", 1)[0].split(">", 1)[1] for part in box.split("<button")[1:]]


@pytest.mark.parametrize(
    ("status", "role", "buttons"),
    [
        (Study.Status.DRAFT, "Curator", ["Submit for review"]),
        (Study.Status.DRAFT, "Publisher", ["Submit for review"]),
        (Study.Status.IN_REVIEW, "Curator", ["Return to draft"]),
        (Study.Status.IN_REVIEW, "Publisher", ["Return to draft", "Publish"]),
        (Study.Status.PUBLISHED, "Curator", []),
        (Study.Status.PUBLISHED, "Publisher", ["Unpublish"]),
    ],
)
def test_the_workflow_box_offers_the_steps_the_person_may_take_now(client, status, role, buttons):
    client.force_login(make_user(role))
    study = complete_study(status=status)
    page = client.get(reverse("admin:studies_study_change", args=[study.pk]))
    assert workflow_buttons(page) == buttons
    assert ('name="reason"' in page.text) == ("Unpublish" in buttons)


def test_the_publish_button_is_disabled_while_the_study_is_incomplete(client):
    client.force_login(make_user("Publisher"))
    study = make_study(status=Study.Status.IN_REVIEW)
    page = client.get(reverse("admin:studies_study_change", args=[study.pk]))
    assert '<button type="submit" class="button default" disabled>Publish</button>' in page.text


def test_bulk_submitting_reports_what_was_submitted_and_what_was_refused_and_why(client):
    client.force_login(make_user("Curator"))
    draft = complete_study(title="Fresh draft", status=Study.Status.DRAFT)
    public = complete_study(title="Public study", status=Study.Status.PUBLISHED)
    response = client.post(
        reverse("admin:studies_study_changelist"),
        {"action": "submit_for_review", "_selected_action": [draft.pk, public.pk]},
    )
    statuses = dict(Study.objects.values_list("title", "status"))
    assert statuses == {"Fresh draft": "in_review", "Public study": "published"}
    assert messages_of(response) == [
        "Submitted for review 1: 'Fresh draft'.",
        "Refused 1: 'Public study': it is published; only draft studies can be submitted for review",
    ]


def test_an_unknown_workflow_step_is_not_found(client):
    client.force_login(make_user("Publisher"))
    study = complete_study()
    assert step(client, study, "approve").status_code == 404
    study.refresh_from_db()
    assert study.status == Study.Status.IN_REVIEW


def test_a_step_from_the_wrong_status_is_refused_with_a_message(client):
    client.force_login(make_user("Curator"))
    study = complete_study(title="Public study", status=Study.Status.PUBLISHED)
    response = step(client, study, "return-to-draft")
    assert messages_of(response) == [
        "'Public study' was not returned to draft: it is published; only studies in review can be returned to draft"
    ]


def test_an_overlong_unpublishing_reason_is_refused_not_cut(client):
    client.force_login(make_user("Publisher"))
    study = complete_study(title="Public study", status=Study.Status.PUBLISHED)
    response = step(client, study, "unpublish", reason="x" * 81)
    study.refresh_from_db()
    assert study.status == Study.Status.PUBLISHED
    assert messages_of(response) == [
        "'Public study' was not unpublished: the reason is 81 characters long; keep it to 80; it stays published"
    ]


def test_the_export_action_carries_each_selected_study_with_its_workflow_status(client):
    client.force_login(make_user("Curator"))
    draft = make_study_with_everything(slug="draft-study", status=Study.Status.DRAFT)
    review = make_study_with_everything(slug="review-study", status=Study.Status.IN_REVIEW)
    make_study_with_everything(slug="not-selected")
    response = client.post(
        reverse("admin:studies_study_changelist"),
        {"action": "export_selected_studies", "_selected_action": [draft.pk, review.pk]},
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    studies = list(csv.DictReader(io.StringIO(archive.read("studies.csv").decode("utf-8"), newline="")))
    assert {(row["study_slug"], row["workflow_status"]) for row in studies} == {
        ("draft-study", "draft"),
        ("review-study", "in_review"),
    }
    outcomes = archive.read("outcomes.csv").decode("utf-8")
    assert "draft-study" in outcomes and "not-selected" not in outcomes
    changelist = client.get(reverse("admin:studies_study_changelist"))
    assert "Export selected studies (zip of CSV tables)" in changelist.text
