"""A curator enters whole studies in the admin, in a natural order, and gets what the loader makes."""

import copy

import pytest
from django.urls import reverse

from studies.models import Study
from studies.reference import create_study, read_reference_studies
from tests.admin_helpers import add_rows, errors_of, form_value, make_user, page_data, post_change

pytestmark = pytest.mark.django_db

PARTS = ("arms", "measures", "sources", "registrations", "adverse_events")


def reference_entry(slug):
    return copy.deepcopy(next(entry for entry in read_reference_studies() if entry["slug"] == slug))


def numbered(rows, drop=()):
    return [{**{k: v for k, v in row.items() if k not in drop}, "position": n} for n, row in enumerate(rows)]


def enter_through_admin(client, entry):
    """Study facts and sources first, then arms' interventions, then each measure's results grid."""
    parts = {name: entry.pop(name, []) for name in PARTS}
    add_url = reverse("admin:studies_study_add")
    data = page_data(client.get(add_url))
    data.update({name: form_value(value) for name, value in entry.items()})
    add_rows(data, "sources", numbered(parts["sources"]))
    add_rows(data, "registrations", [{"identifier": identifier} for identifier in parts["registrations"]])
    add_rows(data, "arms", numbered(parts["arms"], drop={"interventions"}))
    add_rows(data, "measures", numbered(parts["measures"], drop={"results", "comparisons"}))
    response = client.post(add_url, data)
    assert response.status_code == 302, errors_of(response)
    study = Study.objects.get(slug=entry["slug"])

    for arm_data in parts["arms"]:
        arm = study.arms.get(label=arm_data["label"])
        response = post_change(client, arm, rows={"interventions": numbered(arm_data.get("interventions", []))})
        assert response.status_code == 302
    arm_ids = dict(study.arms.values_list("label", "id"))
    for measure_data in parts["measures"]:
        measure = study.measures.get(name=measure_data["name"])
        results = [
            {**result, "arm": arm_ids[result["arm"]] if "arm" in result else None}
            for result in numbered(measure_data.get("results", []))
        ]
        rows = {"results": results, "comparisons": measure_data.get("comparisons", [])}
        response = post_change(client, measure, rows=rows)
        assert response.status_code == 302
    if parts["adverse_events"]:
        assert post_change(client, study, rows={"adverse_events": parts["adverse_events"]}).status_code == 302
    return study


def fields_of(record):
    skip = {"id", "study", "arm", "measure", "slug", "version", "created_at", "updated_at"}
    return {
        field.name: getattr(record, field.attname) for field in record._meta.concrete_fields if field.name not in skip
    }


def snapshot(study):
    def arm_label(record):
        return record.arm.label if record.arm_id else None

    return {
        "study": fields_of(study),
        "registrations": [fields_of(registration) for registration in study.registrations.all()],
        "sources": [fields_of(source) for source in study.sources.all()],
        "arms": [
            {**fields_of(arm), "interventions": [fields_of(i) for i in arm.interventions.all()]}
            for arm in study.arms.all()
        ],
        "measures": [
            {
                **fields_of(measure),
                "results": [{**fields_of(r), "arm": arm_label(r)} for r in measure.results.all()],
                "comparisons": [fields_of(c) for c in measure.comparisons.all()],
            }
            for measure in study.measures.all()
        ],
        "adverse_events": [{**fields_of(e), "arm": arm_label(e)} for e in study.adverse_events.all()],
    }


@pytest.mark.parametrize("slug", ["adsc-exosome-topical-aga-39", "amini-2025-exosome-plant-extract-rct"])
def test_a_curator_enters_a_whole_study_and_a_publisher_publishes_it(client, slug):
    curator, publisher = make_user("Curator"), make_user("Publisher")
    client.force_login(curator)
    study = enter_through_admin(client, reference_entry(slug))
    assert study.status == Study.Status.DRAFT

    workflow = reverse("admin:studies_study_workflow", args=[study.pk, "submit"])
    assert client.post(workflow).status_code == 302
    client.force_login(publisher)
    assert client.post(reverse("admin:studies_study_workflow", args=[study.pk, "publish"])).status_code == 302

    study.refresh_from_db()
    assert study.status == Study.Status.PUBLISHED
    from_loader = create_study({**reference_entry(slug), "slug": "made-by-the-loader"})
    assert snapshot(study) == snapshot(from_loader)


def test_the_amini_trial_entered_in_the_admin_keeps_its_medians_and_between_arm_p(client):
    client.force_login(make_user("Curator"))
    study = enter_through_admin(client, reference_entry("amini-2025-exosome-plant-extract-rct"))
    measure = study.measures.get()
    medians = {r.arm.label: (str(r.value), str(r.dispersion_value)) for r in measure.results.all()}
    assert {label: tuple(v.rstrip("0").rstrip(".") for v in values) for label, values in medians.items()} == {
        "Exosome plant-extract formulation (ECPE)": ("9.5", "16.88"),
        "Placebo (0.9% saline)": ("1.5", "3"),
    }
    assert measure.comparisons.get().p_value == "0.006"


def test_the_results_grid_offers_only_the_studys_own_arms(client, reference_studies):
    client.force_login(make_user("Curator"))
    measure = Study.objects.get(slug="amini-2025-exosome-plant-extract-rct").measures.get()
    page = client.get(reverse("admin:studies_outcomemeasure_change", args=[measure.pk]))
    grid = next(inline for inline in page.context["inline_admin_formsets"] if inline.formset.prefix == "results")
    offered = {arm.label for arm in grid.formset.empty_form.fields["arm"].queryset}
    assert offered == {"Exosome plant-extract formulation (ECPE)", "Placebo (0.9% saline)"}
    assert len(grid.formset.forms) == 2


def test_a_result_pointing_at_another_studys_arm_is_refused(client, reference_studies):
    client.force_login(make_user("Curator"))
    measure = Study.objects.get(slug="amini-2025-exosome-plant-extract-rct").measures.get()
    stranger = Study.objects.get(slug="wan-2025-microneedling-topical-exosome").arms.get()
    row = {"arm": stranger.pk, "statistic": "mean", "value": "3", "timepoint_value": 4, "timepoint_unit": "weeks"}
    response = post_change(client, measure, changes={"change_reason": "test"}, rows={"results": [row]})
    assert response.status_code == 200
    assert measure.results.count() == 2


def test_the_source_form_shows_the_citation_parts_compactly_under_the_printed_citation(client, reference_studies):
    client.force_login(make_user("Curator"))
    study = Study.objects.get(slug="ersan-2024-foreskin-msc-exosome-aga")
    page = client.get(reverse("admin:studies_study_change", args=[study.pk])).text
    assert "field-authors field-title" in page
    assert "field-journal field-year" in page and "field-volume field-issue field-pages" in page
    assert page.index('name="sources-0-citation"') < page.index('name="sources-0-authors"')
    assert 'name="sources-0-journal" value="Aesthetic Plast Surg"' in page
    assert 'name="sources-0-pages" value="4262-4271"' in page and 'size="10"' in page
