"""Appraisals and outcome summaries: the rules they keep, the reference data, and the public pages."""

import re
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from studies.models import Appraisal, AppraisalJudgement, Certainty, OutcomeSummary, Study, counts_for
from studies.models.appraisal import TOOLS, overall_problem, proposed_tool
from studies.models.evidence import expected_certainty
from studies.reference_evidence import load_reference_evidence
from tests.factories import make_arm, make_intervention, make_measure, make_result, make_study

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"
PROJECT = Path(__file__).resolve().parents[1] / "studies" / "reference_data"


def summary_fields(**overrides):
    fields = {
        "key": "density",
        "question": "Exosomes compared with none",
        "outcome": "hair density",
        "outcome_category": "hair_density",
        "condition": Study.Condition.ANDROGENETIC_ALOPECIA,
        "studies_selected_by": "studies reporting hair density",
        "starting_level": "low",
        "certainty": "very_low",
        "plain_language": "We are very uncertain.",
        "status": OutcomeSummary.Status.PUBLISHED,
    }
    for field in ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"):
        fields[field] = "not_serious"
        fields[f"{field}_reason"] = "Reason."
    fields["risk_of_bias"] = "serious"
    fields.update(overrides)
    return fields


def exosome_study(sample_size=10, status=Study.Status.PUBLISHED, category="hair_density", **fields):
    study = make_study(sample_size=sample_size, status=status, **fields)
    arm = make_arm(study=study, label="Exosomes", participants=sample_size)
    make_intervention(arm=arm, intervention_class="exosome")
    measure = make_measure(study=study, category=category, unit="hairs/cm²")
    make_result(measure=measure, arm=arm, value="12", timepoint_value=3, timepoint_unit="months")
    return study


# GRADE arithmetic


@pytest.mark.parametrize(
    ("start", "concerns", "expected"),
    [
        ("high", [], "high"),
        ("high", ["serious"], "moderate"),
        ("high", ["very_serious"], "low"),
        ("high", ["serious", "very_serious"], "very_low"),
        ("low", ["serious"], "very_low"),
        ("low", ["very_serious", "very_serious", "serious"], "very_low"),
        ("low", [], "low"),
    ],
)
def test_certainty_is_the_starting_level_lowered_per_concern_never_below_very_low(start, concerns, expected):
    assert expected_certainty(start, concerns) == expected


def test_a_certainty_that_does_not_follow_from_the_domains_is_refused_saying_what_it_should_be(db):
    summary = OutcomeSummary(**summary_fields(starting_level="high", certainty="low"))
    with pytest.raises(ValidationError) as refused:
        summary.full_clean()
    assert refused.value.message_dict["certainty"] == ["Starting high and going down 1 step gives moderate, not low."]
    OutcomeSummary(**summary_fields(starting_level="high", certainty="moderate")).full_clean()


def test_the_database_refuses_a_certainty_that_does_not_follow_from_the_domains(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeSummary.objects.create(**summary_fields(certainty="low"))
    OutcomeSummary.objects.create(**summary_fields(key="right", certainty="very_low"))


def test_certainty_symbols_are_filled_circles_for_each_level():
    assert [level.symbols for level in Certainty] == ["⊕⊕⊕⊕", "⊕⊕⊕◯", "⊕⊕◯◯", "⊕◯◯◯"]


# Appraisals


@pytest.mark.parametrize(
    ("design", "tool"),
    [
        ("randomized_controlled", "rob_2"),
        ("non_randomized_controlled", "robins_i"),
        ("prospective_single_arm", "jbi_case_series"),
        ("case_series", "jbi_case_series"),
        ("case_report", "jbi_case_report"),
        ("not_stated", "not_appraisable"),
    ],
)
def test_the_tool_is_proposed_from_the_design(design, tool):
    assert proposed_tool(Study(design=design)) == tool


def test_a_registered_trial_without_results_is_not_appraisable():
    assert proposed_tool(Study(design="randomized_controlled", results_status="registered_no_results")) == (
        "not_appraisable"
    )


def test_the_overall_judgement_can_be_no_better_than_the_worst_domain_and_the_message_names_it():
    rob_2 = TOOLS["rob_2"]
    domains = {domain.code: "low" for domain in rob_2.domains} | {"missing_data": "high"}
    assert overall_problem(rob_2, "some_concerns", domains) == (
        "The overall judgement (some concerns) cannot be better than the domain 'Missing outcome data' "
        "(high risk); make it high risk or worse."
    )
    assert overall_problem(rob_2, "high", domains) == ""


def test_low_overall_needs_every_domain_judged_low():
    robins = TOOLS["robins_i"]
    domains = {domain.code: "low" for domain in robins.domains} | {"confounding": "not_assessed"}
    assert "'Confounding'" in overall_problem(robins, "low", domains)
    assert overall_problem(robins, "not_assessed", domains) == ""


def make_appraisal(study, tool, **fields):
    appraisal = Appraisal.objects.create(study=study, tool=tool, **fields)
    for domain in appraisal.tool_definition.domains:
        AppraisalJudgement.objects.create(appraisal=appraisal, domain=domain.code, judgement="not_assessed")
    return appraisal


def test_a_judgement_off_the_tools_scale_is_refused(db):
    appraisal = make_appraisal(make_study(design="randomized_controlled"), "rob_2")
    row = AppraisalJudgement(appraisal=appraisal, domain="randomization", judgement="moderate")
    with pytest.raises(ValidationError) as refused:
        row.full_clean(validate_constraints=False)
    assert "'Moderate risk' is not on the scale of RoB 2" in refused.value.message_dict["judgement"][0]


def test_a_jbi_checklist_has_no_overall_score(db):
    appraisal = Appraisal(study=make_study(design="case_series"), tool="jbi_case_series", overall="low")
    with pytest.raises(ValidationError) as refused:
        appraisal.full_clean()
    assert "has no overall judgement" in refused.value.message_dict["overall"][0]


def test_another_tool_than_the_design_suggests_needs_a_reason(db):
    study = make_study(design="prospective_single_arm")
    with pytest.raises(ValidationError) as refused:
        Appraisal(study=study, tool="robins_i").full_clean()
    assert "suggests JBI checklist for case series" in refused.value.message_dict["tool_reason"][0]
    Appraisal(study=study, tool="robins_i", tool_reason="A historical control group was described.").full_clean()


def test_an_outcome_may_have_its_own_judgement_and_its_overall_is_checked_against_it(db):
    study = make_study(design="randomized_controlled")
    density = make_measure(study=study, name="Hair density")
    appraisal = make_appraisal(study, "rob_2", overall="some_concerns")
    AppraisalJudgement.objects.filter(appraisal=appraisal).update(judgement="low")
    AppraisalJudgement.objects.filter(appraisal=appraisal, domain="measurement").update(judgement="some_concerns")
    assert appraisal.judgement_problems() == []
    AppraisalJudgement.objects.create(appraisal=appraisal, outcome=density, domain="measurement", judgement="high")
    assert appraisal.judgement_problems() == [
        "The overall judgement for 'Hair density' (some concerns) cannot be better than the domain "
        "'Measurement of the outcome' (high risk); make it high risk or worse with an 'Overall' row for this outcome."
    ]
    AppraisalJudgement.objects.create(appraisal=appraisal, outcome=density, domain="overall", judgement="high")
    assert appraisal.judgement_problems() == []


def test_a_domain_is_judged_once_for_the_whole_study(db):
    appraisal = make_appraisal(make_study(design="randomized_controlled"), "rob_2")
    with pytest.raises(IntegrityError), transaction.atomic():
        AppraisalJudgement.objects.create(appraisal=appraisal, domain="randomization", judgement="low")


# Counts computed from the published studies


def test_counts_come_from_published_studies_matching_the_rule_and_drafts_never_count(db):
    summary = OutcomeSummary.objects.create(**summary_fields())
    exosome_study(sample_size=12)
    exosome_study(sample_size=8, design="case_series")
    exosome_study(sample_size=100, status=Study.Status.DRAFT)
    exosome_study(sample_size=50, category="hair_count")
    exosome_study(sample_size=70, condition=Study.Condition.ALOPECIA_AREATA)
    counts = counts_for([summary])[summary.pk]
    assert (counts.studies, counts.participants) == (2, 20)
    assert dict(counts.designs) == {"Case series": 1, "Prospective single-arm": 1}


def test_a_curator_can_exclude_a_study_the_rule_picks(db):
    summary = OutcomeSummary.objects.create(**summary_fields())
    kept, excluded = exosome_study(sample_size=12), exosome_study(sample_size=8)
    summary.excluded_studies.add(excluded)
    assert list(summary.studies()) == [kept]


def test_harms_give_the_rule_of_three_from_the_participants_of_studies_that_looked_for_harms(db):
    summary = OutcomeSummary.objects.create(
        **summary_fields(
            key="harms",
            outcome_category="adverse_events",
            condition="",
            requires_outcome=False,
            requires_safety_statement=True,
        )
    )
    exosome_study(sample_size=60, adverse_event_status="none_observed")
    exosome_study(sample_size=40, adverse_event_status="none_reported")
    exosome_study(sample_size=500, adverse_event_status="not_reported")
    counts = counts_for([summary])[summary.pk]
    assert counts.rule_of_three == (
        "No events among the 60 participants of the studies that say they looked for harms: a rate up to about "
        "3 in 60 (5.0%) cannot be excluded. 40 more took part in studies that only say none were reported."
    )


# Reference data


def test_the_projects_evidence_file_is_a_copy_of_the_shared_one():
    if not (SHARED / "evidence.yaml").exists():
        pytest.skip("the shared reference folder is not beside this checkout")
    assert (PROJECT / "evidence.yaml").read_text() == (SHARED / "evidence.yaml").read_text()


def test_the_five_reference_summaries_load_exactly_and_all_are_very_low(reference_studies):
    entries = yaml.safe_load((PROJECT / "evidence.yaml").read_text())["outcome_summaries"]
    assert OutcomeSummary.objects.published().count() == len(entries) == 5
    for entry in entries:
        summary = OutcomeSummary.objects.get(key=entry["key"])
        assert (summary.question, summary.outcome, summary.condition_text) == (
            entry["question"],
            entry["outcome"],
            entry["condition"],
        )
        assert summary.plain_language == entry["plain_language"]
        assert summary.certainty == entry["certainty"] == "very_low"
        for field in ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"):
            assert getattr(summary, field) == entry["domains"][field]["judgement"]
            assert getattr(summary, f"{field}_reason") == entry["domains"][field]["reason"]


def test_loading_again_changes_nothing(reference_studies):
    assert {outcome.action for outcome in load_reference_evidence()} == {"unchanged"}


def test_every_reference_study_gets_the_tool_its_design_fits(reference_studies):
    for study in Study.objects.all():
        assert study.appraisal.tool == proposed_tool(study)
        assert study.appraisal.status == Appraisal.Status.PUBLISHED


def test_a_reference_judgement_is_made_only_where_a_recorded_fact_supports_it(reference_studies):
    shared = (SHARED / "studies.yaml").read_text() if (SHARED / "studies.yaml").exists() else ""
    project = (PROJECT / "studies.yaml").read_text()
    judged = AppraisalJudgement.objects.exclude(judgement="not_assessed")
    assert judged.count() == 2
    for row in judged:
        assert row.support in project
        if shared:
            assert row.support in shared
        assert row.source is not None
    amini = Study.objects.get(slug="amini-2025-exosome-plant-extract-rct").appraisal
    assert amini.overall == "some_concerns" and amini.judgement_problems() == []
    assert amini.overall_is_a_floor


def test_reference_counts_are_computed_and_change_when_a_study_is_published(reference_studies):
    density = OutcomeSummary.objects.get(key="hair-density-aga")
    before = counts_for([density])[density.pk]
    assert (before.studies, before.participants) == (7, 155)
    study = exosome_study(sample_size=45, status=Study.Status.DRAFT)
    assert counts_for([density])[density.pk].studies == 7
    Study.objects.filter(pk=study.pk).update(status=Study.Status.PUBLISHED)
    after = counts_for([density])[density.pk]
    assert (after.studies, after.participants) == (8, 200)


# Public pages


def test_the_evidence_page_shows_the_five_summaries_with_symbols_and_computed_counts(client, reference_studies):
    response = client.get(reverse("studies:evidence-list"))
    assert response.status_code == 200
    text = response.text
    assert text.count("⊕◯◯◯</span> Very low") == 5
    assert "7 studies (155 participants)" in text
    assert (
        "No events among the 53 participants of the studies that say they looked for harms: a rate up to about "
        "3 in 53 (5.7%) cannot be excluded. 109 more took part in studies that only say none were reported."
    ) in text
    for summary in OutcomeSummary.objects.all():
        assert summary.get_absolute_url() in text


def test_a_draft_summary_is_not_public(client, reference_studies):
    OutcomeSummary.objects.filter(key="hair-count-aga-rct").update(status=OutcomeSummary.Status.DRAFT)
    assert "Hair count" not in client.get(reverse("studies:evidence-list")).text
    assert client.get(reverse("studies:evidence", args=["hair-count-aga-rct"])).status_code == 404


def test_the_outcome_page_lists_its_studies_with_limitations_and_appraisal(client, reference_studies):
    response = client.get(reverse("studies:evidence", args=["hair-count-aga-rct"]))
    text = response.text
    assert "Amini" in text or "plant extract" in text.lower()
    assert "Fewer than 30 participants" in text
    assert "RoB 2, overall" in text and "some concerns" in text
    for name in ("Risk of bias", "Inconsistency", "Indirectness", "Imprecision", "Publication bias"):
        assert name in text
    assert "the registry lists 24 enrolled, the paper 20." in text


def test_the_outcome_page_draws_the_changes_and_the_appraisals_of_its_studies(client, reference_studies):
    density = client.get(reverse("studies:evidence", args=["hair-density-aga"])).text
    assert "Checklist answers (JBI case series checklist)" in density
    assert "+35 (SD 6.5)" in density and "Studies that report this outcome only in words" in density
    svg = client.get(reverse("studies:evidence-chart", args=["hair-density-aga", 1]))
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert client.get(reverse("studies:evidence-chart", args=["hair-density-aga", 9])).status_code == 404
    count = client.get(reverse("studies:evidence", args=["hair-count-aga-rct"])).text
    assert "<caption>Risk of bias (RoB 2)</caption>" in count
    harms = client.get(reverse("studies:evidence", args=["serious-harms"])).text
    assert "What changed in the arms given exosomes" not in harms


def test_a_judgement_for_one_outcome_shows_on_that_outcomes_page(client, reference_studies):
    appraisal = Appraisal.objects.get(study__slug="amini-2025-exosome-plant-extract-rct")
    hair_count = appraisal.study.measures.get(category="hair_count")
    for domain in ("measurement", "overall"):
        AppraisalJudgement.objects.create(appraisal=appraisal, outcome=hair_count, domain=domain, judgement="high")
    text = client.get(reverse("studies:evidence", args=["hair-count-aga-rct"])).text
    assert "overall for this outcome" in text and "High risk" in text
    lights = text[text.index("<caption>Risk of bias (RoB 2)</caption>") :]
    assert lights.count('<td class="rob rob-high">') == 2


def test_an_unknown_number_of_participants_is_not_reported_never_zero(client, db):
    OutcomeSummary.objects.create(**summary_fields())
    exosome_study(sample_size=None, sample_size_not_reported=True)
    text = client.get(reverse("studies:evidence-list")).text
    assert "1 study (participants not reported)" in text


def test_the_home_page_leads_with_what_the_evidence_says(client, reference_studies):
    text = client.get(reverse("studies:home")).text
    assert text.index("What the evidence says") < text.index("published studies and registered trials")
    assert text.count("⊕◯◯◯") == 5


def test_a_study_page_says_how_much_to_trust_it(client, reference_studies):
    text = client.get(reverse("studies:detail", args=["amini-2025-exosome-plant-extract-rct"])).text
    trust = text[text.index("How much to trust this study") :]
    assert "RoB 2 (Cochrane risk-of-bias tool for randomized trials)" in trust
    assert "Some concerns" in trust and "The registry lists 24 enrolled; the paper reports 20 participants." in trust
    assert "Not assessed: full text not read" in trust
    assert re.search(r'href="https://www\.riskofbias\.info/"', trust)


def test_a_draft_appraisal_is_not_shown_on_the_public_study_page(client, reference_studies):
    Appraisal.objects.filter(study__slug="amini-2025-exosome-plant-extract-rct").update(status="draft")
    text = client.get(reverse("studies:detail", args=["amini-2025-exosome-plant-extract-rct"])).text
    assert "Not appraised yet." in text and "Missing outcome data" not in text


def test_methods_explain_the_tools_grade_and_the_rule_of_three(client, db):
    text = client.get(reverse("studies:methods")).text
    for words in ("RoB 2", "ROBINS-I", "JBI checklist for case series", "JBI checklist for case reports"):
        assert words in text
    assert "⊕⊕◯◯ Low" in text and "rule of three" in text


def test_evidence_pages_make_the_same_number_of_queries_however_many_studies(
    client, reference_studies, assert_queries_do_not_grow
):
    def build(size):
        for _ in range(size):
            exosome_study(sample_size=10)

    assert_queries_do_not_grow(3, build, lambda size: client.get(reverse("studies:evidence-list")))
    # The summary, its counts, its studies, their appraisals and judgements, the measures and their results.
    assert_queries_do_not_grow(
        8, build, lambda size: client.get(reverse("studies:evidence", args=["hair-density-aga"]))
    )
