"""Whatever a curator types is shown as text, never run as markup, on public pages and in the admin."""

import html

import pytest
from django.contrib.auth.models import User
from django.db import models
from django.urls import reverse

from studies.models import (
    AdverseEvent,
    Arm,
    ArmComparison,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Registration,
    Source,
    Study,
)
from tests.factories import make_study_with_everything

SCRIPT = "<script>alert(1)</script>"
EVENT_HANDLER = '"><img src=x onerror=alert(1)>'
SCRIPT_URL = "javascript:alert(1)"


def free_text_fields(instance):
    """The fields a curator types freely: text without a fixed list of choices, and not the slug."""
    return [
        field
        for field in instance._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.SlugField)
    ]


def fill_with(instance, payload):
    for field in free_text_fields(instance):
        # Numbered, because labels and names are unique within a study; cut to fit short fields.
        setattr(instance, field.name, f"{payload} #{instance.pk}"[: field.max_length])
    instance.save()


def hostile_study(payload):
    """A published study with every part, the payload in every free-text field of each."""
    study = make_study_with_everything(slug="hostile")
    for model in (Registration, Source, Arm, OutcomeMeasure, AdverseEvent):
        for part in model.objects.filter(study=study):
            fill_with(part, payload)
    for part in Intervention.objects.filter(arm__study=study):
        fill_with(part, payload)
    for model in (OutcomeResult, ArmComparison):
        for part in model.objects.filter(measure__study=study):
            fill_with(part, payload)
    # A script address where a web address belongs, as an older import or a database edit could leave it.
    Source.objects.filter(study=study).update(urls=f"{SCRIPT_URL}\nhttps://example.org/{payload}")
    fill_with(Study.objects.get(pk=study.pk), payload)
    return Study.objects.get(pk=study.pk)


def assert_shown_only_as_text(text, payload, where):
    assert "<script>alert" not in text, where
    assert "<img src=x" not in text, where
    assert 'href="javascript:' not in text.lower(), where


@pytest.fixture(params=[SCRIPT, EVENT_HANDLER], ids=["script", "event-handler"])
def payload(request):
    return request.param


def test_curated_text_is_escaped_on_every_public_page(client, db, payload):
    study = hostile_study(payload)
    escaped = html.escape(payload)
    pages = {
        "home": reverse("studies:home"),
        "list": reverse("studies:list"),
        "search": reverse("studies:list") + "?" + f"q={payload}",
        "detail": study.get_absolute_url(),
        "compare": reverse("studies:compare") + "?category=hair_density",
        "compare with a bad outcome": reverse("studies:compare") + f"?category={payload}",
        "data dictionary": reverse("studies:data"),
    }
    for where, url in pages.items():
        text = client.get(url).text
        assert_shown_only_as_text(text, payload, where)
    for where in ("list", "detail", "compare"):
        assert escaped in client.get(pages[where]).text, f"the payload should be shown as text on {where}"
    detail = client.get(pages["detail"]).text
    assert detail.count(escaped) >= 20
    assert f"<li>{SCRIPT_URL}</li>" in detail


def test_curated_text_is_escaped_in_the_feed(client, db, payload):
    hostile_study(payload)
    feed = client.get(reverse("studies:feed")).text
    assert_shown_only_as_text(feed, payload, "feed")
    assert "&lt;" in feed


def test_curated_text_is_escaped_in_the_admin(client, db, payload):
    study = hostile_study(payload)
    client.force_login(User.objects.create_superuser("admin", password="correct horse battery"))
    arm = study.arms.first()
    measure = study.measures.first()
    pages = {
        "study list": reverse("admin:studies_study_changelist"),
        "study search": reverse("admin:studies_study_changelist") + f"?q={payload}",
        "study page": reverse("admin:studies_study_change", args=[study.pk]),
        "study history": reverse("admin:studies_study_history", args=[study.pk]),
        "full history": reverse("admin:studies_study_full_history", args=[study.pk]),
        "arm list": reverse("admin:studies_arm_changelist"),
        "arm page": reverse("admin:studies_arm_change", args=[arm.pk]),
        "measure list": reverse("admin:studies_outcomemeasure_changelist"),
        "results grid": reverse("admin:studies_outcomemeasure_change", args=[measure.pk]),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_shown_only_as_text(response.text, payload, where)
        assert html.escape(payload) in response.text or payload.replace('"', "&quot;") in response.text, where
