"""The admin's import pages: read a record, say which arm each group is, accept differences one by one."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registries.models import PendingImport
from studies.models import OutcomeResult, Study

DATA = Path(__file__).parent / "data" / "ctgov"
ADD = "admin:registries_pendingimport_add"


def upload(client, path=DATA / "NCT02210780.json", nct_id=""):
    record = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/json")
    return client.post(reverse(ADD), {"nct_id": nct_id, "record_file": record})


def test_the_import_page_reads_a_number_from_the_registry_and_shows_the_groups_beside_the_arms(curator_client, ctgov):
    response = curator_client.post(reverse(ADD), {"nct_id": "nct02210780"})
    pending = PendingImport.objects.get()
    assert response.url == reverse("admin:registries_pendingimport_groups", args=[pending.pk])
    page = curator_client.get(response.url)
    assert "Placebo qw" in page.text and "Dupilumab 300 mg qw" in page.text
    assert "Two subcutaneous injections of Dupilumab 300 mg" in page.text
    assert not Study.objects.exists()  # nothing is saved before the curator confirms


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nct_id": "NCT123"}, "is not a ClinicalTrials.gov number"),
        ({"nct_id": "NCT00000000"}, "has no study NCT00000000"),
        ({}, "Give an NCT number or choose a saved record."),
    ],
)
def test_bad_input_on_the_import_page_is_explained_and_reads_nothing(curator_client, ctgov, data, message):
    response = curator_client.post(reverse(ADD), data)
    assert response.status_code == 200 and message in response.text
    assert not PendingImport.objects.exists()


def test_a_file_that_is_not_a_study_record_is_refused(curator_client, tmp_path):
    wrong = tmp_path / "NCT02210780.json"
    wrong.write_text('{"studies": []}')
    response = upload(curator_client, wrong)
    assert "not a ClinicalTrials.gov API v2 study record" in response.text
    assert not PendingImport.objects.exists()


def test_confirming_the_suggested_arms_imports_a_draft_with_its_results(curator_client):
    response = upload(curator_client)
    page = curator_client.get(response.url)
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    assert data == {"group-1": "Placebo qw", "group-2": "Dupilumab 300 mg qw"}
    done = curator_client.post(response.url, data)
    study = Study.objects.get()
    assert done.url == reverse("admin:studies_study_change", args=[study.pk])
    assert study.status == Study.Status.DRAFT
    assert OutcomeResult.objects.filter(arm__label="Dupilumab 300 mg qw").count() == 14
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"group-1": "Not an arm", "group-2": "Dupilumab 300 mg qw"},
        {"group-1": "Placebo qw"},
        {"group-1": "Placebo qw", "group-2": "<script>"},
    ],
)
def test_the_mapping_screen_refuses_bad_input_and_imports_nothing(curator_client, data):
    response = upload(curator_client)
    refused = curator_client.post(response.url, data)
    assert refused.status_code == 200
    assert "is not an arm of this study" in refused.text or "Choose the arm that group" in refused.text
    assert "<script>" not in refused.text
    assert not Study.objects.exists() and PendingImport.objects.count() == 1


def test_a_published_study_shows_each_difference_and_takes_them_one_by_one_with_a_reason(curator_client):
    upload_and_confirm(curator_client)
    study = Study.objects.get()
    Study.objects.filter(pk=study.pk).update(status=Study.Status.PUBLISHED, sponsor="Regeneron")
    response = upload(curator_client)
    review = curator_client.post(response.url, {"group-1": "Placebo qw", "group-2": "Dupilumab 300 mg qw"})
    page = curator_client.get(review.url)
    assert "Regeneron" in page.text and "Regeneron Pharmaceuticals" in page.text
    (change,) = page.context["changes"]
    curator_client.post(review.url, {"key": change.key, "reason": ""})
    assert Study.objects.get().sponsor == "Regeneron"
    curator_client.post(review.url, {"key": change.key, "reason": "Full name as registered"})
    study = Study.objects.get()
    assert study.sponsor == "Regeneron Pharmaceuticals"
    assert study.history.first().history_change_reason == (
        "Synced from ClinicalTrials.gov, record of 2020-05-07: Full name as registered"
    )
    assert not curator_client.get(review.url).context["changes"]


def upload_and_confirm(client):
    response = upload(client)
    client.post(response.url, {"group-1": "Placebo qw", "group-2": "Dupilumab 300 mg qw"})


def test_someone_who_may_not_add_studies_cannot_import(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(ADD)).status_code == 403


def test_an_imported_draft_previews_with_its_values_as_printed_and_the_imports_list_opens(curator_client):
    upload_and_confirm(curator_client)
    study = Study.objects.get()
    preview = curator_client.get(reverse("studies:preview", args=[study.slug]))
    assert preview.status_code == 200
    assert "-2.11" in preview.text and "Least-squares mean" in preview.text
    assert "Serum sickness-like reaction" in preview.text
    assert curator_client.get(reverse("admin:registries_pendingimport_changelist")).status_code == 200
    assert curator_client.get(reverse("admin:studies_study_change", args=[study.pk])).status_code == 200
