"""Finding one's way between a study and its parts in the admin."""

import pytest
from django.urls import reverse

from studies.models import Study
from tests.factories import make_arm, make_measure, make_study

pytestmark = pytest.mark.django_db

ARMS_COME_FIRST = "Save the study with its arms first; then choose the arm here."


@pytest.mark.parametrize("part", ["outcomemeasure", "arm"])
def test_a_part_of_a_study_links_back_to_its_study(curator_client, part):
    study = make_study(title="Split-scalp trial <of> exosomes", status=Study.Status.DRAFT)
    record = make_measure(study=study) if part == "outcomemeasure" else make_arm(study=study)
    page = curator_client.get(reverse(f"admin:studies_{part}_change", args=[record.pk]))
    study_page = reverse("admin:studies_study_change", args=[study.pk])
    assert f'<a href="{study_page}">Back to study: Split-scalp trial &lt;of&gt; exosomes</a>' in page.text


def test_a_study_page_has_no_link_back_to_itself(curator_client):
    study = make_study(status=Study.Status.DRAFT)
    page = curator_client.get(reverse("admin:studies_study_change", args=[study.pk]))
    assert "Back to study" not in page.text


def test_adding_a_study_says_that_adverse_events_take_an_arm_once_arms_are_saved(curator_client):
    page = curator_client.get(reverse("admin:studies_study_add"))
    assert f'<p class="help inline-note">{ARMS_COME_FIRST}</p>' in page.text
    assert '<option value="" selected>Save the study first</option>' in page.text


def test_a_saved_study_offers_its_arms_for_adverse_events(curator_client):
    study = make_study(status=Study.Status.DRAFT)
    make_arm(study=study, label="Placebo")
    page = curator_client.get(reverse("admin:studies_study_change", args=[study.pk]))
    assert ARMS_COME_FIRST not in page.text
    assert ">Placebo</option>" in page.text
