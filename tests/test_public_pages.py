"""What a visitor sees: only published studies, each with its facts."""

import pytest
from django.urls import reverse

from studies.models import Study
from tests.factories import make_arm, make_intervention, make_measure, make_result, make_study

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_reference_studies(client, reference_studies):
    response = client.get(reverse("studies:list"))
    assert response.status_code == 200
    assert "Topical adipose-derived stem cell exosomes for androgenetic alopecia (39 patients)" in response.text
    assert "15 studies match" in response.text


@pytest.mark.parametrize("status", [Study.Status.DRAFT, Study.Status.IN_REVIEW])
def test_unpublished_studies_never_appear_in_public(client, status):
    make_study(title="Unreviewed draft", slug="unreviewed", status=status)
    assert "Unreviewed draft" not in client.get(reverse("studies:list")).text
    assert client.get(reverse("studies:detail", args=["unreviewed"])).status_code == 404
    assert "0 published" in client.get(reverse("studies:home")).text


def test_an_unknown_study_is_not_found(client):
    assert client.get(reverse("studies:detail", args=["no-such-study"])).status_code == 404


def test_the_39_patient_study_page_shows_words_and_no_invented_numbers(client, reference_studies):
    response = client.get(reverse("studies:detail", args=["adsc-exosome-topical-aga-39"]))
    page = response.text
    assert response.status_code == 200
    assert page.count("significant increase") == 2
    assert "Enrolled</dt><dd>39" in page
    assert "Facts read from: secondary source only" in page
    assert "None reported" in page
    assert "10.1111/jocd.15869" in page
    assert "regimen: not reported" in page


def test_the_list_filters_by_exosome_source(client, reference_studies):
    response = client.get(reverse("studies:list"), {"exosome_source": "plant_derived"})
    assert "1 study match" in response.text
    assert "Rose stem cell-derived exosomes" in response.text


def test_the_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for number in range(30):
        study = make_study(title=f"Study {number}")
        make_intervention(arm=make_arm(study=study))
    with django_assert_max_num_queries(4):
        assert client.get(reverse("studies:list")).status_code == 200


def test_the_detail_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    study = make_study(slug="busy")
    arms = [make_arm(study=study) for _ in range(3)]
    for arm in arms:
        make_intervention(arm=arm)
    for _ in range(4):
        measure = make_measure(study=study)
        for arm in arms:
            make_result(measure=measure, arm=arm)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("studies:detail", args=["busy"])).status_code == 200
