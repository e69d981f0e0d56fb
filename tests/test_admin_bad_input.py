"""Bad input in any admin field is refused with a message, never a server error, on SQLite and PostgreSQL
alike (PostgreSQL refuses NUL characters and numbers beyond its column types that SQLite would store)."""

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.models import InlineForeignKeyField
from django.urls import reverse

from studies.models import Study
from tests.admin_helpers import change_url, page_data
from tests.factories import make_study_with_everything

NUL = "\x00"
HUGE = str(10**20)


def bad_values(field):
    """Values a curator's browser could send that this kind of field must refuse."""
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return []
    if isinstance(field, forms.ModelChoiceField | InlineForeignKeyField):
        return [HUGE, NUL]
    if isinstance(field, forms.ChoiceField):
        return [NUL]
    if isinstance(field, forms.DecimalField):
        # Beyond what is kept (16 digits, 6 after the point): too many digits, too many places.
        return [HUGE, "NaN", "Infinity", "1e400", "12345678901.5", "1.1234567"]
    if isinstance(field, forms.IntegerField):
        return [HUGE]
    if isinstance(field, forms.DateField):
        return ["2024-02-30"]
    if isinstance(field, forms.CharField):
        return [f"hair{NUL}loss", *(["x" * (field.max_length + 1)] if field.max_length else [])]
    raise AssertionError(f"No bad values known for {type(field).__name__}")


def fields_on_page(response):
    """(name posted, form field) for the main form and the first saved row of each inline."""
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page.extend(inline.formset.initial_forms[:1])
    return [(form[name].html_name, field) for form in forms_on_page for name, field in form.fields.items()]


def fields_refused(response):
    """The posted names of every field the page marks with an error message."""
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page.extend(inline.formset.forms)
    refused = set()
    for form in forms_on_page:
        refused.update(form[name].html_name for name in form.errors if name != NON_FIELD_ERRORS)
        # A hidden field (the version the page was opened at) is refused in the note at the top.
        if form.non_field_errors():
            refused.update(field.html_name for field in form.hidden_fields())
    return refused


def refuse_bad_values(client, url, data, page, skip=()):
    """Post the page with a bad value in every field at once, once per kind of bad value, and check
    that each field was refused with its own message. Returns how many (field, value) pairs were tried."""
    candidates = [(name, bad_values(field)) for name, field in fields_on_page(page) if name not in skip]
    tried = 0
    for attempt in range(max(len(values) for _, values in candidates)):
        bad = {name: values[attempt] for name, values in candidates if attempt < len(values)}
        response = client.post(url, {**data, **bad})
        assert response.status_code == 200, "a page full of bad values was saved"
        refused = fields_refused(response)
        accepted = [f"{name}={value[:20]!r}" for name, value in bad.items() if name not in refused]
        assert accepted == [], f"refused without a message on the field: {accepted}"
        tried += len(bad)
    return tried


def assert_every_field_refuses_bad_values(client, url):
    page = client.get(url)
    unchanged = page_data(page)
    tried = refuse_bad_values(client, url, unchanged, page)
    # The page as it was saves, so every refusal above was for the bad values alone.
    assert client.post(url, unchanged).status_code == 302
    return tried


@pytest.fixture
def draft_study(db):
    return make_study_with_everything(status=Study.Status.DRAFT)


def test_every_field_of_a_study_and_its_inline_parts_refuses_bad_input(publisher_client, draft_study):
    assert assert_every_field_refuses_bad_values(publisher_client, change_url(draft_study)) > 100


def test_every_field_of_an_arm_and_its_interventions_refuses_bad_input(publisher_client, draft_study):
    assert assert_every_field_refuses_bad_values(publisher_client, change_url(draft_study.arms.first())) > 20


def test_every_field_of_the_results_grid_refuses_bad_input(publisher_client, draft_study):
    assert assert_every_field_refuses_bad_values(publisher_client, change_url(draft_study.measures.first())) > 50


def test_every_field_of_a_new_study_refuses_bad_input(publisher_client, draft_study):
    page = publisher_client.get(reverse("admin:studies_study_add"))
    data = {**page_data(page), "title": "New study", "slug": "new-study", "verification": "abstract"}
    # A new study has no version yet to protect, so the page ignores the version field.
    url = reverse("admin:studies_study_add")
    assert refuse_bad_values(publisher_client, url, data, page, skip={"loaded_version"}) > 50
    assert not Study.objects.filter(slug="new-study").exists()


def admin_searches(search):
    for list_name in ("studies_study", "studies_arm", "studies_outcomemeasure"):
        yield reverse(f"admin:{list_name}_changelist"), {"q": search}
    yield (
        reverse("admin:autocomplete"),
        {"term": search, "app_label": "studies", "model_name": "arm", "field_name": "study"},
    )


def admin_list_filters(value):
    for parameter in ("status", "design", "arms__interventions__intervention_class", "id__exact"):
        yield reverse("admin:studies_study_changelist"), {parameter: value}


@pytest.mark.parametrize("search", ["x" * 10_240, HUGE, "%"])
def test_admin_searches_with_odd_text_answer_normally(publisher_client, draft_study, search):
    for url, query in admin_searches(search):
        assert publisher_client.get(url, query).status_code == 200, url


@pytest.mark.parametrize("value", [HUGE, "x" * 10_240])
def test_admin_list_filters_with_odd_values_answer_without_error(publisher_client, draft_study, value):
    for url, query in admin_list_filters(value):
        assert publisher_client.get(url, query).status_code in (200, 302), query


@pytest.mark.parametrize("value", [NUL, f"hair{NUL}"])
def test_admin_searches_and_filters_with_a_nul_character_are_bad_requests(publisher_client, draft_study, value):
    for url, query in [*admin_searches(value), *admin_list_filters(value)]:
        response = publisher_client.get(url, query)
        assert response.status_code == 400, query
        assert "NUL character" in response.text


@pytest.mark.parametrize("selected", [NUL, HUGE, "abc"])
def test_a_bulk_action_on_a_nonsense_selection_answers_without_error(publisher_client, draft_study, selected):
    response = publisher_client.post(
        reverse("admin:studies_study_changelist"),
        {"action": "publish_selected", "_selected_action": [selected], "index": "0"},
    )
    assert response.status_code in (200, 302)
    assert Study.objects.get(pk=draft_study.pk).status == Study.Status.DRAFT


def test_an_unpublishing_reason_with_a_nul_character_is_refused_with_a_message(publisher_client, db):
    study = make_study_with_everything()
    url = reverse("admin:studies_study_workflow", args=[study.pk, "unpublish"])
    response = publisher_client.post(url, {"reason": f"wrong{NUL}numbers"}, follow=True)
    assert response.status_code == 200
    assert Study.objects.get(pk=study.pk).status == Study.Status.PUBLISHED
    assert "reason" in response.text.lower()


@pytest.mark.parametrize("number", ["9999999999.999999", "1234567890.123456", "0.000001", "-9999999999.999999"])
def test_the_largest_numbers_kept_come_back_exactly_on_every_page_and_download(publisher_client, draft_study, number):
    measure = draft_study.measures.first()
    result = measure.results.first()
    result.value = number
    result.statistic = "mean_change"
    result.dispersion_type, result.dispersion_value = "", None
    result.save()
    draft_study.status = Study.Status.PUBLISHED
    draft_study.save()

    pages = {
        "study page": publisher_client.get(reverse("studies:detail", args=[draft_study.slug])),
        "compare": publisher_client.get(reverse("studies:compare")),
        "results grid": publisher_client.get(change_url(measure)),
        "full history": publisher_client.get(reverse("admin:studies_study_full_history", args=[draft_study.pk])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert number in response.text, name
    csv_text = b"".join(publisher_client.get(reverse("studies:export", args=["outcomes"])).streaming_content).decode()
    assert f",{number}," in csv_text
    # The grid still saves unchanged, so a curator can correct such a value.
    unchanged = {**page_data(pages["results grid"]), "change_reason": "Checked against the source"}
    assert publisher_client.post(change_url(measure), unchanged).status_code == 302
