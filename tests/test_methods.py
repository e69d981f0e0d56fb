"""The methods page and the data dictionary: how the tracker records evidence, in one set of words."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from studies.models import Study
from tests.factories import (
    make_study,
)

pytestmark = pytest.mark.django_db


# Methods


def test_the_methods_page_explains_how_evidence_is_recorded_in_the_same_words_as_the_study_pages(client):
    response = client.get(reverse("studies:methods"))
    assert response.status_code == 200
    page = response.text
    for section in ("reading-depth", "adverse-events", "computed", "unknown"):
        assert f'<section id="{section}"' in page
    for depth in Study.Verification:
        assert depth.label in page and escape(depth.meaning) in page
    for status in Study.AdverseEventStatus:
        assert status.label in page and escape(status.meaning) in page
    assert "follow-up minus baseline" in page
    assert "never as zero" in page


def test_the_site_navigation_links_to_the_methods_page(client):
    make_study(slug="any")
    for address in (reverse("studies:home"), reverse("studies:list"), reverse("studies:detail", args=["any"])):
        assert f'<a href="{reverse("studies:methods")}"' in client.get(address).text


def test_the_data_dictionary_defines_each_status_and_reading_depth_in_the_same_words(client):
    page = client.get(reverse("studies:data")).text
    for choice in (*Study.AdverseEventStatus, *Study.Verification):
        assert f"<dt><code>{choice.value}</code></dt><dd>{choice.label}: {escape(choice.meaning)}</dd>" in page
