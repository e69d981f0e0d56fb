"""Synthetic studies: marked, deterministic, valid, and never mixed with real ones unasked."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from studies.models import OutcomeResult, Study
from tests.factories import make_study

pytestmark = pytest.mark.django_db


def generate(*arguments):
    output = StringIO()
    call_command("generate_synthetic_studies", *arguments, stdout=output)
    return output.getvalue()


def content(seed):
    generate("--studies", "12", "--seed", str(seed))
    rows = {
        "studies": list(Study.objects.values_list("slug", "title", "design", "sample_size", "year", "country")),
        "results": list(
            OutcomeResult.objects.order_by("measure__study__slug", "measure__position", "position").values_list(
                "measure__name", "arm__label", "timepoint_value", "statistic", "value", "dispersion_value"
            )
        ),
    }
    Study.objects.all().delete()
    return rows


def test_the_same_seed_makes_the_same_studies_and_another_seed_other_ones():
    first, again, other = content(7), content(7), content(8)
    assert first == again
    assert first != other


def test_synthetic_studies_are_marked_and_have_every_part():
    output = generate("--studies", "20", "--seed", "3")
    assert "Added 20 Study" in output
    studies = Study.objects.all()
    assert studies.count() == 20
    for study in studies:
        assert study.synthetic and study.title.startswith("[synthetic] ")
        assert 1 <= study.arms.count() <= 3
        assert 2 <= study.measures.count() <= 4
        assert 1 <= study.sources.count() <= 2
        assert study.adverse_events.count() <= 5
        assert OutcomeResult.objects.filter(measure__study=study).exclude(value=None).exists()
    assert len(set(studies.values_list("design", flat=True))) > 3
    assert Study.history.filter(history_change_reason="Synthetic data").count() == 20


def test_every_synthetic_row_passes_the_curation_rules():
    generate("--studies", "40", "--seed", "11")
    for model in apps.get_app_config("studies").get_models():
        if model.__name__.startswith("Historical"):
            continue
        for record in model.objects.all():
            record.full_clean()
    for study in Study.objects.all():
        assert study.publication_problems() == []


def test_it_refuses_a_database_with_real_studies():
    make_study(title="Real study")
    with pytest.raises(CommandError, match="This database holds real studies"):
        generate("--studies", "5")
    assert Study.objects.count() == 1


def test_it_mixes_only_when_told_to():
    make_study(title="Real study")
    generate("--studies", "5", "--allow-mixed")
    assert Study.objects.filter(synthetic=True).count() == 5


def test_a_second_run_adds_more_studies_without_clashing():
    generate("--studies", "5", "--seed", "1")
    generate("--studies", "5", "--seed", "2")
    assert Study.objects.filter(synthetic=True).count() == 10


def test_curators_can_add_studies_after_synthetic_ones():
    generate("--studies", "5")
    study = make_study(title="Added later")
    assert study.pk > Study.objects.filter(synthetic=True).order_by("-pk").first().pk
    assert Study.history.filter(id=study.pk).count() == 1
