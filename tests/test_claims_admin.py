"""Curating claims: entry with evidence links, the review workflow, reasons, and the re-assessment flag."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from claims.models import Claim, EvidenceLink
from studies.models import Study
from studies.models.evidence import OutcomeSummary
from tests.admin_helpers import add_rows, form_value, make_user, page_data
from tests.claim_factories import make_appearance, make_claim
from tests.factories import make_arm, make_study

pytestmark = pytest.mark.django_db


def claim_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def changelist(client, **query):
    return client.get(reverse("admin:claims_claim_changelist"), query)


def listed_keys(response):
    return [claim.key for claim in response.context["cl"].result_list]


def save_claim(client, claim, changes=None, rows=None):
    page = client.get(claim_url(claim))
    assert page.status_code == 200
    data = page_data(page)
    data.update({name: form_value(value) for name, value in (changes or {}).items()})
    for prefix, new_rows in (rows or {}).items():
        add_rows(data, prefix, new_rows)
    return client.post(claim_url(claim), data)


def test_a_curator_enters_a_claim_with_its_quote_appearance_verdict_and_evidence(curator_client):
    study = make_study(title="Pilot trial")
    appearance = make_appearance()
    add_url = reverse("admin:claims_claim_add")
    data = page_data(curator_client.get(add_url))
    quote = "  Exosomes are  proven to\nregrow hair.  "
    data.update(
        {
            "key": "proven-to-regrow",
            "quote": quote,
            "appearance": str(appearance.pk),
            "topic": "efficacy",
            "verdict": "overstated",
            "rationale": "One small pilot trial.",
            "assessed_on": "2025-03-01",
        }
    )
    add_rows(data, "evidence_links", [{"study": study.pk, "role": "supports", "position": 0}])
    response = curator_client.post(add_url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    claim = Claim.objects.get(key="proven-to-regrow")
    assert claim.status == Claim.Status.DRAFT
    assert " ".join(claim.quote.split()) == "Exosomes are proven to regrow hair."
    assert [(link.study, link.role) for link in claim.evidence_links.all()] == [(study, "supports")]
    assert EvidenceLink.history.get(claim_id=claim.pk).history_change_reason == "Created"


def test_the_evidence_links_pick_studies_by_autocomplete(curator_client):
    claim = make_claim()
    page = curator_client.get(claim_url(claim)).text
    assert "data-autocomplete-light" in page or "admin-autocomplete" in page
    assert "Add another Evidence link" in page
    # The appearance is picked from a list, or added on the spot.
    assert 'id="add_id_appearance"' in page


def test_a_claim_links_a_study_only_once():
    study = make_study()
    claim = make_claim(evidence=[(study, "supports")])
    duplicate = EvidenceLink(claim=claim, study=study, role="context")
    with pytest.raises(Exception, match="already links that study"):
        duplicate.validate_constraints()


def test_a_curator_submits_but_only_a_publisher_publishes_and_unpublishing_keeps_the_reason(client):
    claim = make_claim(status=Claim.Status.DRAFT)
    curator, publisher = make_user("Curator"), make_user("Publisher")
    claim.submit(curator)
    assert [step.name for step in claim.available_steps(curator)] == ["return_to_draft"]
    with pytest.raises(Exception, match="does not have the permission to publish claims"):
        claim.publish(curator)
    client.force_login(publisher)
    response = client.post(reverse("admin:claims_claim_workflow", args=[claim.pk, "publish"]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    client.post(reverse("admin:claims_claim_workflow", args=[claim.pk, "unpublish"]), {"reason": "Quote misread"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert claim.history.first().history_change_reason == "Unpublished: Quote misread"
    assert claim.history.first().history_user == publisher


def test_a_claim_is_not_published_without_its_assessment():
    claim = make_claim(status=Claim.Status.IN_REVIEW, verdict="", rationale="", assessed_on=None)
    with pytest.raises(Exception, match="Choose the verdict. Write the rationale. Enter the date assessed."):
        claim.publish(make_user("Publisher"))


def test_the_workflow_buttons_are_on_the_claim_page(publisher_client):
    claim = make_claim(status=Claim.Status.IN_REVIEW)
    page = publisher_client.get(claim_url(claim)).text
    assert "Workflow: In review" in page
    assert reverse("admin:claims_claim_workflow", args=[claim.pk, "publish"]) in page


def test_changing_a_published_claim_needs_a_reason_kept_in_the_history(publisher_client):
    claim = make_claim()
    refused = save_claim(publisher_client, claim, {"rationale": "Better words."})
    assert refused.status_code == 200
    assert "give a short reason" in refused.text
    accepted = save_claim(publisher_client, claim, {"rationale": "Better words.", "change_reason": "Clearer"})
    assert accepted.status_code == 302
    assert claim.history.first().history_change_reason == "Clearer"


def test_the_evidence_changed_flag_appears_after_a_linked_study_changes_and_clears_after_reassessment(
    publisher_client,
):
    study = make_study(title="Linked study")
    Study.objects.filter(pk=study.pk).update(updated_at=datetime.datetime(2025, 1, 5, tzinfo=datetime.UTC))
    claim = make_claim(key="flagged", evidence=[(study, "supports")], assessed_on=datetime.date(2025, 1, 10))
    make_claim(key="untouched", assessed_on=timezone.now().date())
    assert changelist(publisher_client, evidence_changed="yes").context["cl"].result_count == 0

    # Study.updated_at moves when the study changes, or when one of its parts does (bump_version).
    make_arm(study=study)
    study.bump_version()

    flagged = changelist(publisher_client, evidence_changed="yes")
    assert listed_keys(flagged) == ["flagged"]
    assert listed_keys(changelist(publisher_client, evidence_changed="no")) == ["untouched"]
    assert 'alt="True"' in changelist(publisher_client, q="flagged").text

    response = save_claim(
        publisher_client, claim, {"assessed_on": timezone.now().date().isoformat(), "change_reason": "Re-assessed"}
    )
    assert response.status_code == 302
    assert changelist(publisher_client, evidence_changed="yes").context["cl"].result_count == 0


def test_a_change_on_the_assessment_day_counts_as_seen_by_the_assessment():
    study = make_study()
    make_claim(evidence=[(study, "supports")], assessed_on=timezone.now().date())
    Study.objects.filter(pk=study.pk).update(updated_at=timezone.now())
    assert not Claim.objects.with_evidence_changed().get().evidence_changed


def test_a_curator_links_outcome_summaries_and_only_published_ones_show_beside_the_verdict(client, reference_studies):
    summaries = list(OutcomeSummary.objects.published()[:2])
    assert len(summaries) == 2
    claim = Claim.objects.get(key="single-study-39-patients")
    claim.outcome_summaries.set(summaries)
    page = client.get(claim.get_absolute_url()).text
    assert page.count('<span class="certainty-level">') == 2
    for summary in summaries:
        assert capfirst(summary.outcome) in page
        assert f"{summary.certainty_symbols}</span> {summary.get_certainty_display()}</span>" in page
    summaries[1].status = OutcomeSummary.Status.DRAFT
    summaries[1].save()
    page = client.get(claim.get_absolute_url()).text
    assert page.count('<span class="certainty-level">') == 1
    assert capfirst(summaries[1].outcome) not in page
    assert capfirst(summaries[0].outcome) in page


def test_the_outcome_summaries_are_picked_on_the_claim_page(publisher_client, reference_studies):
    claim = Claim.objects.get(key="single-study-39-patients")
    summary = OutcomeSummary.objects.first()
    page = publisher_client.get(claim_url(claim))
    assert 'name="outcome_summaries"' in page.text
    response = save_claim(
        publisher_client, claim, {"outcome_summaries": [str(summary.pk)], "change_reason": "Linked the summary"}
    )
    assert response.status_code == 302
    assert list(claim.outcome_summaries.all()) == [summary]


def test_every_claim_field_explains_itself_to_curators():
    missing = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("claims").get_models()
        if not model.__name__.startswith("Historical")
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.name != "id" and not field.help_text
    ]
    assert missing == []
