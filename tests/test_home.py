"""The home page: what the tracker is, its counts, and where to go from there."""

import pytest
from django.urls import reverse

from studies.models import Study
from tests.factories import (
    make_study,
    make_study_with_change,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = [Study.Status.DRAFT, Study.Status.IN_REVIEW]


# Home


def test_the_home_page_counts_only_published_studies(client):
    make_study_with_change(sample_size=20)
    make_study(sample_size=30)
    make_study(sample_size=None, results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
    for status in UNPUBLISHED:
        make_study_with_change(sample_size=999, status=status)
    page = client.get(reverse("studies:home")).text
    assert "<strong>3</strong> published studies and registered trials" in page
    assert "(2 with results, 1 registered with no results yet)" in page
    assert "<strong>50</strong> participants" in page
    assert "<strong>1</strong> study reporting any result as a number" in page


def test_the_home_page_warns_that_the_evidence_is_early_and_links_into_the_tracker(client):
    page = client.get(reverse("studies:home")).text
    assert "This evidence is early" in page
    assert "study\n  quality varies" in page
    assert f'href="{reverse("studies:list")}"' in page
    assert f'href="{reverse("studies:compare")}"' in page


def test_the_home_page_runs_a_fixed_number_of_queries(client, assert_queries_do_not_grow):
    def build(studies):
        for _ in range(studies):
            make_study_with_change()

    # The counts and the published outcome summaries (whose counts take one more query when there are any).
    assert_queries_do_not_grow(3, build, lambda size: client.get(reverse("studies:home")))
