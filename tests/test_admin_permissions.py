"""Who reaches which admin page: Curators edit, Publishers also publish and delete, others nothing."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from studies.models import Study
from tests.admin_helpers import make_user
from tests.factories import make_arm, make_measure, make_study

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff without a role", "Curator", "Publisher"]


@pytest.fixture
def records():
    study = make_study(status=Study.Status.DRAFT)
    return {"study": study, "arm": make_arm(study=study), "outcomemeasure": make_measure(study=study)}


def pages(records):
    for model, record in records.items():
        yield f"{model} list", reverse(f"admin:studies_{model}_changelist")
        yield f"{model} add", reverse(f"admin:studies_{model}_add")
        yield f"{model} change", reverse(f"admin:studies_{model}_change", args=[record.pk])
        yield f"{model} history", reverse(f"admin:studies_{model}_history", args=[record.pk])
        yield f"{model} delete", reverse(f"admin:studies_{model}_delete", args=[record.pk])
    yield "study full history", reverse("admin:studies_study_full_history", args=[records["study"].pk])


def expected_status(role, page):
    if role == "anonymous":
        return 302
    if role == "staff without a role":
        return 403
    if role == "Curator" and page == "study delete":
        return 403
    return 200


def log_in(client, role):
    if role == "staff without a role":
        client.force_login(User.objects.create_user("visitor", is_staff=True))
    elif role != "anonymous":
        client.force_login(make_user(role))


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_each_role_as_its_permissions_say(client, records, role):
    log_in(client, role)
    seen = {page: client.get(url).status_code for page, url in pages(records)}
    assert seen == {page: expected_status(role, page) for page, _ in pages(records)}


def test_anonymous_visitors_are_sent_to_the_login_page(client, records):
    response = client.get(reverse("admin:studies_study_changelist"))
    assert response.url.startswith(reverse("admin:login"))


def test_a_curator_cannot_delete_a_study_but_a_publisher_can(client, records):
    url = reverse("admin:studies_study_delete", args=[records["study"].pk])
    log_in(client, "Curator")
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Study.objects.exists()
    log_in(client, "Publisher")
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Study.objects.exists()


def test_the_admin_index_shows_curators_the_studies(client):
    log_in(client, "Curator")
    page = client.get(reverse("admin:index"))
    assert reverse("admin:studies_study_changelist") in page.text
