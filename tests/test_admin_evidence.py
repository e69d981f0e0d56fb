"""Curators appraise studies and judge outcome summaries in the admin; publishers publish them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from studies.models import Appraisal, AppraisalJudgement, OutcomeSummary, Study
from tests.admin_helpers import change_url, errors_of, make_user, page_data, post_change
from tests.factories import make_measure, make_source, make_study, make_study_with_everything

pytestmark = pytest.mark.django_db

ROB_2_DOMAINS = [
    "Randomization",
    "Deviations from the intended treatment",
    "Missing outcome data",
    "Measurement of the outcome",
    "Selection of the reported result",
]


def add_appraisal(client, study, **fields):
    return client.post(
        reverse("admin:studies_appraisal_add"), {"study": study.pk, "tool": "", "tool_reason": "", **fields}
    )


def judge(client, appraisal, judgements, overall="", rows=None, **changes):
    """Save the appraisal's page with a judgement per whole-study domain code and the overall judgement."""
    page = client.get(change_url(appraisal))
    data = page_data(page)
    for index, form in enumerate(page.context["inline_admin_formsets"][0].formset.forms):
        if form.instance.domain in judgements and form.instance.outcome_id is None:
            data[f"judgements-{index}-judgement"] = judgements[form.instance.domain]
    data.update({"overall": overall, **changes})
    if rows:
        start = int(data["judgements-TOTAL_FORMS"])
        for offset, row in enumerate(rows):
            for name, value in row.items():
                data[f"judgements-{start + offset}-{name}"] = value
        data["judgements-TOTAL_FORMS"] = str(start + len(rows))
    return client.post(change_url(appraisal), data)


def all_low(**worse):
    codes = ["randomization", "deviations", "missing_data", "measurement", "reporting"]
    return {code: worse.get(code, "low") for code in codes}


@pytest.fixture
def appraised_trial(curator_client, trial):
    add_appraisal(curator_client, trial)
    return trial.appraisal


def test_adding_an_appraisal_proposes_the_tool_the_design_fits_and_lays_out_its_domains(curator_client, trial):
    page = curator_client.get(reverse("admin:studies_appraisal_add") + f"?study={trial.pk}")
    assert page.context["adminform"].form.initial["tool"] == "rob_2"

    response = add_appraisal(curator_client, trial)

    appraisal = Appraisal.objects.get(study=trial)
    assert response.status_code == 302 and response["Location"] == change_url(appraisal)
    assert appraisal.tool == "rob_2" and appraisal.status == Appraisal.Status.DRAFT
    assert [row.domain_name for row in appraisal.judgements.order_by("id")] == ROB_2_DOMAINS
    assert set(appraisal.judgements.values_list("judgement", flat=True)) == {"not_assessed"}
    page = curator_client.get(change_url(appraisal)).text
    for name in ROB_2_DOMAINS:
        assert f'<span class="fixed-value">{name}</span>' in page


def test_another_tool_than_the_design_suggests_needs_a_reason(curator_client, trial):
    refused = add_appraisal(curator_client, trial, tool="robins_i")
    assert (
        "The study's design suggests RoB 2 (Cochrane risk-of-bias tool for randomized trials); say why ROBINS-I "
        "(risk of bias in non-randomized studies of interventions) fits better."
    ) in errors_of(refused)
    assert not Appraisal.objects.exists()

    add_appraisal(curator_client, trial, tool="robins_i", tool_reason="Allocation by clinic day, not by chance.")

    appraisal = Appraisal.objects.get(study=trial)
    assert appraisal.tool == "robins_i"
    assert appraisal.judgements.count() == 7


def test_a_curator_enters_judgements_with_support_and_the_source_read(curator_client, appraised_trial):
    source = make_source(study=appraised_trial.study)
    make_source(study=make_study(), citation="Another study's article")
    page = curator_client.get(change_url(appraised_trial))
    form = page.context["inline_admin_formsets"][0].formset.forms[0]
    assert [choice[1] for choice in form.fields["judgement"].choices] == [
        "---------",
        "Low risk",
        "Some concerns",
        "High risk",
        "Not assessed: full text not read",
    ]
    assert [str(choice[1]) for choice in form.fields["source"].choices] == ["---------", str(source)]

    response = judge(
        curator_client,
        appraised_trial,
        all_low(measurement="high"),
        overall="high",
        **{"judgements-3-support": "Assessors knew the allocation.", "judgements-3-source": str(source.pk)},
    )

    assert response.status_code == 302, errors_of(response)
    measurement = appraised_trial.judgements.get(domain="measurement", outcome=None)
    assert (measurement.judgement, measurement.support, measurement.source) == (
        "high",
        "Assessors knew the allocation.",
        source,
    )
    appraised_trial.refresh_from_db()
    assert appraised_trial.overall == "high"


def test_an_overall_better_than_the_worst_domain_is_refused_naming_the_domain(curator_client, appraised_trial):
    response = judge(curator_client, appraised_trial, all_low(measurement="high"), overall="some_concerns")

    assert (
        "The overall judgement (some concerns) cannot be better than the domain 'Measurement of the outcome' "
        "(high risk); make it high risk or worse."
    ) in errors_of(response)
    assert set(appraised_trial.judgements.values_list("judgement", flat=True)) == {"not_assessed"}


def test_a_low_overall_needs_every_domain_judged_low(curator_client, appraised_trial):
    response = judge(curator_client, appraised_trial, all_low(reporting="not_assessed"), overall="low")

    assert (
        "The overall judgement cannot be low risk while the domain 'Selection of the reported result' is judged "
        "'Not assessed: full text not read'; low needs every domain judged low."
    ) in errors_of(response)


def test_a_jbi_checklist_gets_no_overall_judgement(curator_client):
    series = make_study(design=Study.Design.CASE_SERIES, status=Study.Status.DRAFT)
    add_appraisal(curator_client, series)
    appraisal = series.appraisal
    assert appraisal.tool == "jbi_case_series" and appraisal.judgements.count() == 10

    response = judge(curator_client, appraisal, {"inclusion_criteria": "yes"}, overall="low")

    assert "JBI checklist for case series has no overall judgement; leave it empty and show the answers." in errors_of(
        response
    )
    assert judge(curator_client, appraisal, {"inclusion_criteria": "yes"}).status_code == 302
    assert appraisal.judgements.get(domain="inclusion_criteria").judgement == "yes"


def test_a_judgement_not_on_the_tools_scale_is_refused(curator_client, appraised_trial):
    response = judge(curator_client, appraised_trial, {"randomization": "moderate"})

    assert (
        "'Moderate risk' is not on the scale of RoB 2 (Cochrane risk-of-bias tool for randomized trials); choose "
        "one of: low risk, some concerns, high risk, not assessed: full text not read."
    ) in errors_of(response)


def test_the_laid_out_domains_keep_their_domain_and_cannot_be_deleted(curator_client, appraised_trial):
    page = curator_client.get(change_url(appraised_trial))
    data = page_data(page)
    data["judgements-0-domain"] = "reporting"
    data["judgements-0-DELETE"] = "on"

    assert curator_client.post(change_url(appraised_trial), data).status_code == 302

    assert sorted(appraised_trial.judgements.values_list("domain", flat=True)) == sorted(
        ["randomization", "deviations", "missing_data", "measurement", "reporting"]
    )


def test_an_outcome_may_be_judged_apart_but_its_overall_no_better_than_its_domains(curator_client, appraised_trial):
    density = make_measure(study=appraised_trial.study, name="hair density")
    whole_study = all_low(measurement="high")

    refused = judge(
        curator_client,
        appraised_trial,
        whole_study,
        overall="high",
        rows=[{"outcome": str(density.pk), "domain": "overall", "judgement": "low"}],
    )
    assert (
        "The overall judgement for 'hair density' (low risk) cannot be better than the domain 'Measurement of "
        "the outcome' (high risk); make it high risk or worse with an 'Overall' row for this outcome."
    ) in errors_of(refused)

    accepted = judge(
        curator_client,
        appraised_trial,
        whole_study,
        overall="high",
        rows=[
            {"outcome": str(density.pk), "domain": "measurement", "judgement": "low", "support": "Blinded assessor."},
            {"outcome": str(density.pk), "domain": "overall", "judgement": "low"},
        ],
    )
    assert accepted.status_code == 302, errors_of(accepted)
    assert set(appraised_trial.judgements.filter(outcome=density).values_list("domain", "judgement")) == {
        ("measurement", "low"),
        ("overall", "low"),
    }
    assert appraised_trial.judgement_problems() == []


def test_an_added_row_must_name_its_outcome_and_a_domain_of_the_tool(curator_client, appraised_trial):
    other = make_measure(study=make_study(), name="someone else's measure")
    response = judge(
        curator_client,
        appraised_trial,
        {},
        rows=[
            {"outcome": "", "domain": "measurement", "judgement": "low"},
            {"outcome": str(make_measure(study=appraised_trial.study).pk), "domain": "blinding", "judgement": "low"},
            {"outcome": str(other.pk), "domain": "measurement", "judgement": "low"},
        ],
    )

    errors = errors_of(response)
    assert (
        "Choose the outcome measure this judgement is for; the whole study's domains are the rows laid out above."
        in errors
    )
    assert any("has no domain 'blinding'" in error for error in errors)
    assert any("Select a valid choice" in error for error in errors)
    assert not appraised_trial.judgements.exclude(outcome=None).exists()


def test_the_study_page_leads_to_its_appraisal(curator_client, trial):
    page = curator_client.get(change_url(trial)).text
    assert f'href="{reverse("admin:studies_appraisal_add")}?study={trial.pk}"' in page

    add_appraisal(curator_client, trial)

    page = curator_client.get(change_url(trial)).text
    assert f'href="{change_url(trial.appraisal)}">Appraisal (RoB 2, draft)' in page


def test_the_appraisal_list_shows_study_tool_overall_and_status_and_finds_by_title(curator_client, appraised_trial):
    other = make_study(title="Case series of twelve", design=Study.Design.CASE_SERIES)
    add_appraisal(curator_client, other)
    url = reverse("admin:studies_appraisal_changelist")

    page = curator_client.get(url + "?q=two-arm")

    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [appraised_trial]
    assert list(curator_client.get(url + "?tool__exact=jbi_case_series").context["cl"].result_list) == [other.appraisal]


def step(client, record, name, **data):
    return client.post(reverse(f"admin:studies_{record._meta.model_name}_workflow", args=[record.pk, name]), data)


def test_a_curator_submits_an_appraisal_and_only_a_publisher_publishes_it(client, trial):
    curator, publisher = make_user("Curator"), make_user("Publisher")
    client.force_login(curator)
    add_appraisal(client, trial)
    appraisal = trial.appraisal
    judge(client, appraisal, {}, overall="not_assessed")

    assert step(client, appraisal, "submit").status_code == 302
    assert step(client, appraisal, "publish").status_code == 403
    appraisal.refresh_from_db()
    assert appraisal.status == Appraisal.Status.IN_REVIEW
    assert ">Publish</button>" not in client.get(change_url(appraisal)).text

    client.force_login(publisher)
    step(client, appraisal, "publish")

    appraisal.refresh_from_db()
    assert appraisal.status == Appraisal.Status.PUBLISHED
    assert appraisal.history.first().history_user == publisher
    # Public only once its study is published too.
    assert not Appraisal.objects.published().exists()
    Study.objects.filter(pk=trial.pk).update(status=Study.Status.PUBLISHED)
    assert list(Appraisal.objects.published()) == [appraisal]


def test_publishing_an_appraisal_without_its_overall_is_refused_with_what_is_missing(client, appraised_trial):
    client.force_login(make_user("Publisher"))
    Appraisal.objects.filter(pk=appraised_trial.pk).update(status=Appraisal.Status.IN_REVIEW)

    step(client, appraised_trial, "publish")

    appraised_trial.refresh_from_db()
    assert appraised_trial.status == Appraisal.Status.IN_REVIEW
    assert escape("Give the overall judgement (or 'not assessed').") in client.get(change_url(appraised_trial)).text


def test_a_published_appraisal_changes_only_with_a_reason_kept_in_its_history(curator_client, appraised_trial):
    Appraisal.objects.filter(pk=appraised_trial.pk).update(status=Appraisal.Status.PUBLISHED, overall="not_assessed")

    refused = judge(curator_client, appraised_trial, {"randomization": "low"}, overall="not_assessed")
    assert "This appraisal is published: give a short reason for the change. It is stored in the history." in (
        errors_of(refused)
    )

    judge(
        curator_client,
        appraised_trial,
        {"randomization": "low"},
        overall="not_assessed",
        change_reason="Randomization read in the full text",
    )

    row = appraised_trial.judgements.get(domain="randomization")
    assert row.judgement == "low"
    assert row.history.first().history_change_reason == "Randomization read in the full text"
    assert appraised_trial.history.first().history_change_reason == "Randomization read in the full text"
    assert {record.history_change_reason for record in AppraisalJudgement.history.filter(history_type="+")} == {
        "Created"
    }


# Outcome summaries

DOMAIN_FIELDS = ["risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"]


def make_summary(**overrides):
    fields = {
        "key": "hair-density-aga",
        "question": "Exosome treatment compared with none for androgenetic alopecia",
        "outcome": "hair density",
        "outcome_category": "hair_density",
        "condition": Study.Condition.ANDROGENETIC_ALOPECIA,
        "studies_selected_by": "published studies of exosome treatment for androgenetic alopecia reporting density",
        "starting_level": "low",
        "certainty": "very_low",
        "plain_language": "We do not know whether exosomes change hair density.",
        **dict.fromkeys(DOMAIN_FIELDS, "not_serious"),
        **{f"{field}_reason": "Reason." for field in DOMAIN_FIELDS},
        "risk_of_bias": "serious",
        "imprecision": "serious",
    }
    fields.update(overrides)
    return OutcomeSummary.objects.create(**fields)


def test_a_certainty_that_does_not_follow_the_domains_is_refused_saying_what_it_must_be(curator_client):
    summary = make_summary()
    page = curator_client.get(change_url(summary))
    assert "With the starting level and the five domains as saved, it must be very low." in page.text

    response = post_change(curator_client, summary, {"certainty": "low"})

    assert "Starting low and going down 2 steps gives very low, not low." in errors_of(response)
    summary.refresh_from_db()
    assert summary.certainty == "very_low"

    refused = post_change(curator_client, summary, {"imprecision": "not_serious", "risk_of_bias": "not_serious"})
    assert "Starting low and going down 0 steps gives low, not very low." in errors_of(refused)
    accepted = post_change(
        curator_client, summary, {"imprecision": "not_serious", "risk_of_bias": "not_serious", "certainty": "low"}
    )
    assert accepted.status_code == 302, errors_of(accepted)


def test_the_summary_page_shows_the_studies_its_rule_picks_and_their_counts(curator_client):
    picked = make_study_with_everything(title="Picked trial", sample_size=20)
    make_study_with_everything(title="Unpublished trial", status=Study.Status.DRAFT)
    make_study_with_everything(title="Other condition", condition=Study.Condition.ALOPECIA_AREATA)
    summary = make_summary()

    page = curator_client.get(change_url(summary)).text

    assert "Studies the rule picks (published)" in page
    assert f'<a href="{change_url(picked)}">Picked trial</a> (Randomized controlled trial)' in page
    assert "Unpublished trial" not in page and "Other condition" not in page
    assert "<li>1 study</li><li>20 participants</li><li>Designs: Randomized controlled trial: 1</li>" in page


def test_excluding_a_study_takes_it_out_of_the_selection(curator_client):
    picked = make_study_with_everything(title="Picked trial")
    make_study_with_everything(title="Excluded trial")
    summary = make_summary()
    excluded = Study.objects.get(title="Excluded trial")

    response = post_change(
        curator_client, summary, {"excluded_studies": str(excluded.pk), "selection_note": "Excluded: other outcome."}
    )

    assert response.status_code == 302, errors_of(response)
    assert list(summary.studies()) == [picked]


def test_confirming_the_selection_dates_it_with_a_reason_in_the_history(curator_client):
    make_study_with_everything()
    summary = make_summary()

    response = curator_client.post(reverse("admin:studies_outcomesummary_confirm_selection", args=[summary.pk]))

    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.selection_confirmed_on == timezone.localdate()
    assert summary.history.first().history_change_reason == "Selection confirmed: 1 study"


def test_the_list_says_when_a_picked_study_changed_after_the_selection_was_confirmed(curator_client):
    study = make_study_with_everything()
    today = timezone.localdate()
    changed = make_summary(key="changed", selection_confirmed_on=today - datetime.timedelta(days=3))
    current = make_summary(key="current", selection_confirmed_on=today)
    unconfirmed = make_summary(key="unconfirmed")
    url = reverse("admin:studies_outcomesummary_changelist")
    Study.objects.filter(pk=study.pk).update(updated_at=timezone.now())

    page = curator_client.get(url).text

    assert f"Selection changed since confirmed ({changed.selection_confirmed_on.isoformat()})" in page
    assert f"Confirmed on {today.isoformat()}" in page
    assert "Not confirmed" in page
    assert list(curator_client.get(url + "?selection=changed").context["cl"].result_list) == [changed]
    assert list(curator_client.get(url + "?selection=current").context["cl"].result_list) == [current]
    assert list(curator_client.get(url + "?selection=unconfirmed").context["cl"].result_list) == [unconfirmed]


def test_the_summary_list_reads_every_selection_in_one_query(curator_client, django_assert_max_num_queries):
    make_study_with_everything()
    url = reverse("admin:studies_outcomesummary_changelist")
    for number in range(2):
        make_summary(key=f"summary-{number}", selection_confirmed_on=timezone.localdate())
    curator_client.get(url)
    with django_assert_max_num_queries(12) as few:
        curator_client.get(url)
    for number in range(2, 12):
        make_summary(key=f"summary-{number}", selection_confirmed_on=timezone.localdate())
    with django_assert_max_num_queries(len(few.captured_queries)):
        curator_client.get(url)


def test_a_curator_submits_a_summary_and_only_a_publisher_publishes_it(client):
    summary = make_summary()
    client.force_login(make_user("Curator"))
    step(client, summary, "submit")
    assert step(client, summary, "publish").status_code == 403
    summary.refresh_from_db()
    assert summary.status == OutcomeSummary.Status.IN_REVIEW
    assert not OutcomeSummary.objects.published().exists()

    client.force_login(make_user("Publisher"))
    step(client, summary, "publish")

    summary.refresh_from_db()
    assert summary.status == OutcomeSummary.Status.PUBLISHED
    assert list(OutcomeSummary.objects.published()) == [summary]


def test_a_published_summary_changes_only_with_a_reason_kept_in_its_history(curator_client):
    summary = make_summary(status=OutcomeSummary.Status.PUBLISHED)

    refused = post_change(curator_client, summary, {"plain_language": "Still unknown."})
    assert "This outcome summary is published: give a short reason for the change. It is stored in the history." in (
        errors_of(refused)
    )

    post_change(curator_client, summary, {"plain_language": "Still unknown.", "change_reason": "Plainer words"})

    summary.refresh_from_db()
    assert summary.plain_language == "Still unknown."
    assert summary.history.first().history_change_reason == "Plainer words"
