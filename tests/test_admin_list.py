"""The curators' study list: the columns, filters and searches they work with."""

import pytest
from django.apps import apps
from django.urls import reverse

from studies.models import Study

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def studies_to_list(reference_studies):
    """The reference studies, as a curator finds them in a new tracker."""


def titles(response):
    return {study.title for study in response.context["cl"].result_list}


def slugs(response):
    return {study.slug for study in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("10.1111/jocd.15869", "adsc-exosome-topical-aga-39"),
        ("39174804", "ersan-2024-foreskin-msc-exosome-aga"),
        ("NCT06930326", "amini-2025-exosome-plant-extract-rct"),
        ("rose stem", "bento-2025-rose-exosome-alopecia-areata"),
    ],
)
def test_curators_find_a_study_by_doi_pmid_registry_id_or_title(curator_client, search, expected):
    response = curator_client.get(reverse("admin:studies_study_changelist"), {"q": search})
    assert slugs(response) == {expected}


@pytest.mark.parametrize(
    "filters",
    [
        {"status__exact": "published"},
        {"design__exact": "case_report"},
        {"condition__exact": "alopecia_areata"},
        {"verification__exact": "registry"},
        {"arms__interventions__intervention_class__exact": "prp"},
        {"arms__interventions__exosome_source__exact": "adsc"},
    ],
    ids=str,
)
def test_the_study_list_filters(curator_client, filters):
    Study.objects.filter(slug="nct05658094").update(status=Study.Status.DRAFT)
    response = curator_client.get(reverse("admin:studies_study_changelist"), filters)
    lookups = {name.removesuffix("__exact"): value for name, value in filters.items()}
    expected = set(Study.objects.filter(**lookups).values_list("title", flat=True))
    assert 0 < len(expected) < Study.objects.count()
    assert titles(response) == expected


def test_the_study_list_shows_the_columns_curators_need(curator_client):
    page = curator_client.get(reverse("admin:studies_study_changelist")).text
    for column in ["Title", "Design", "Condition", "Sample size", "Status", "Verification", "Updated at"]:
        assert column in page


def test_the_study_list_runs_a_fixed_number_of_queries(curator_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        curator_client.get(reverse("admin:studies_study_changelist"))


def test_every_field_explains_itself_to_curators():
    missing = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("studies").get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if field.name != "id" and not field.help_text
    ]
    assert missing == []
