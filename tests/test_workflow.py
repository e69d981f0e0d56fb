"""The review workflow on the study itself: who may move a study where, and what each refusal says."""

import pytest
from django.contrib.auth.models import User

from studies.models import Arm, Intervention, Study, WorkflowError
from tests.admin_helpers import make_user
from tests.factories import make_arm, make_intervention, make_source, make_study

pytestmark = pytest.mark.django_db

Status = Study.Status


def complete_study(**overrides):
    study = make_study(**{"status": Status.IN_REVIEW, **overrides})
    make_source(study=study)
    return study


def stored_status(study):
    return Study.objects.get(pk=study.pk).status


@pytest.fixture
def curator():
    return make_user("Curator")


@pytest.fixture
def publisher():
    return make_user("Publisher")


def test_a_curator_submits_a_draft_and_the_history_keeps_who_and_why(curator):
    study = complete_study(status=Status.DRAFT)
    study.submit(curator)
    assert stored_status(study) == Status.IN_REVIEW
    latest = study.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("Submitted for review", curator)


def test_a_reason_given_with_a_step_is_kept_after_the_step(curator):
    study = complete_study(status=Status.DRAFT)
    study.submit(curator, reason="Arms checked against the full text")
    assert study.history.first().history_change_reason == "Submitted for review: Arms checked against the full text"


def test_only_drafts_can_be_submitted(curator):
    study = complete_study(title="Already in review")
    with pytest.raises(WorkflowError) as refusal:
        study.submit(curator)
    assert str(refusal.value) == (
        "'Already in review' was not submitted for review: it is in review; only draft studies can be "
        "submitted for review"
    )
    assert not refusal.value.permission_denied


def test_staff_without_a_role_cannot_submit():
    study = complete_study(title="Unreviewed", status=Status.DRAFT)
    visitor = User.objects.create_user("visitor", is_staff=True)
    with pytest.raises(WorkflowError) as refusal:
        study.submit(visitor)
    assert refusal.value.permission_denied
    assert str(refusal.value) == (
        "'Unreviewed' was not submitted for review: visitor does not have the permission to change studies"
    )
    assert stored_status(study) == Status.DRAFT


def test_a_curator_returns_a_study_in_review_to_draft(curator):
    study = complete_study()
    study.return_to_draft(curator)
    assert stored_status(study) == Status.DRAFT
    assert study.history.first().history_change_reason == "Returned to draft"


def test_only_studies_in_review_can_be_returned_to_draft(curator):
    study = complete_study(title="Public", status=Status.PUBLISHED)
    with pytest.raises(WorkflowError, match="it is published; only studies in review can be returned to draft"):
        study.return_to_draft(curator)
    assert stored_status(study) == Status.PUBLISHED


def test_a_publisher_publishes_a_complete_study(publisher):
    study = complete_study()
    study.publish(publisher)
    assert stored_status(study) == Status.PUBLISHED
    latest = study.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("Published", publisher)


def test_a_curator_cannot_publish(curator):
    study = complete_study(title="Ready")
    with pytest.raises(WorkflowError) as refusal:
        study.publish(curator)
    assert refusal.value.permission_denied
    assert str(refusal.value) == "'Ready' was not published: curator does not have the permission to publish studies"
    assert stored_status(study) == Status.IN_REVIEW


def test_a_draft_cannot_skip_review(publisher):
    study = complete_study(title="Skipping", status=Status.DRAFT)
    with pytest.raises(WorkflowError) as refusal:
        study.publish(publisher)
    assert refusal.value.why == "it is draft; only studies in review can be published"
    assert stored_status(study) == Status.DRAFT


def test_publishing_an_incomplete_study_is_refused_with_what_is_missing(publisher):
    study = make_study(title="Unsourced", status=Status.IN_REVIEW, condition="")
    with pytest.raises(WorkflowError) as refusal:
        study.publish(publisher)
    assert str(refusal.value) == (
        "'Unsourced' was not published: Add at least one source. Choose the condition (or 'Not stated')."
    )
    assert stored_status(study) == Status.IN_REVIEW


def test_every_arm_needs_an_intervention_before_publishing(publisher):
    study = complete_study()
    make_intervention(make_arm(study, label="Exosome"))
    make_arm(study, label="Placebo", role=Arm.Role.PLACEBO_COMPARATOR, position=1)
    assert study.publication_problems() == ["Add an intervention to arm 'Placebo'."]
    with pytest.raises(WorkflowError, match="Add an intervention to arm 'Placebo'."):
        study.publish(publisher)


def test_a_study_whose_arms_all_have_interventions_may_be_published(publisher):
    study = complete_study()
    make_intervention(make_arm(study, label="Exosome"))
    placebo = make_arm(study, label="Placebo", role=Arm.Role.PLACEBO_COMPARATOR, position=1)
    make_intervention(placebo, intervention_class=Intervention.InterventionClass.PLACEBO, exosome_source="")
    study.publish(publisher)
    assert stored_status(study) == Status.PUBLISHED


def test_a_publisher_unpublishes_with_a_reason_kept_in_the_history(publisher):
    study = complete_study(status=Status.PUBLISHED)
    study.unpublish(publisher, "  Sample size under review ")
    assert stored_status(study) == Status.IN_REVIEW
    latest = study.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("Unpublished: Sample size under review", publisher)


@pytest.mark.parametrize(
    ("reason", "why"),
    [
        ("", "give a reason in plain text; it stays published"),
        ("   ", "give a reason in plain text; it stays published"),
        ("Wrong\x00data", "the reason must be plain text on one line; it stays published"),
        ("Wrong\ndata", "the reason must be plain text on one line; it stays published"),
        ("x" * 81, "the reason is 81 characters long; keep it to 80; it stays published"),
    ],
)
def test_unpublishing_needs_a_reason_in_plain_text(publisher, reason, why):
    study = complete_study(title="Public", status=Status.PUBLISHED)
    with pytest.raises(WorkflowError) as refusal:
        study.unpublish(publisher, reason)
    assert str(refusal.value) == f"'Public' was not unpublished: {why}"
    assert stored_status(study) == Status.PUBLISHED


def test_a_curator_cannot_unpublish(curator):
    study = complete_study(status=Status.PUBLISHED)
    with pytest.raises(WorkflowError, match="curator does not have the permission to publish studies"):
        study.unpublish(curator, "Wrong sample size")
    assert stored_status(study) == Status.PUBLISHED


@pytest.mark.parametrize(
    ("status", "curator_steps", "publisher_steps"),
    [
        (Status.DRAFT, ["submit"], ["submit"]),
        (Status.IN_REVIEW, ["return_to_draft"], ["return_to_draft", "publish"]),
        (Status.PUBLISHED, [], ["unpublish"]),
    ],
)
def test_each_person_is_offered_the_steps_they_may_take_now(curator, publisher, status, curator_steps, publisher_steps):
    study = complete_study(status=status)
    assert [step.name for step in study.available_steps(curator)] == curator_steps
    assert [step.name for step in study.available_steps(publisher)] == publisher_steps
    assert study.available_steps(User.objects.create_user("visitor", is_staff=True)) == []


def test_every_reference_study_passes_the_publication_check(reference_studies):
    problems = {study.slug: study.publication_problems() for study in Study.objects.all()}
    assert problems and all(found == [] for found in problems.values()), problems
    assert set(Study.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
