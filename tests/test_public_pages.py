"""What a visitor sees on the home page, the study list and a study's page."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from studies.models import Arm, Intervention, OutcomeResult, Study
from studies.views import CappedPaginator
from tests.factories import (
    make_adverse_event,
    make_arm,
    make_intervention,
    make_measure,
    make_registration,
    make_result,
    make_source,
    make_study,
    make_study_with_change,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = [Study.Status.DRAFT, Study.Status.IN_REVIEW]


def list_page(client, **params):
    return client.get(reverse("studies:list"), params)


def titles_in_order(page, titles):
    return sorted(titles, key=page.index)


# Home


def test_the_home_page_counts_only_published_studies(client):
    make_study_with_change(sample_size=20)
    make_study(sample_size=30)
    make_study(sample_size=None, results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
    for status in UNPUBLISHED:
        make_study_with_change(sample_size=999, status=status)
    page = client.get(reverse("studies:home")).text
    assert "<strong>3</strong> published studies and registered trials" in page
    assert "(2 with results, 1 registered with no results yet)" in page
    assert "<strong>50</strong> participants" in page
    assert "<strong>1</strong> study reporting any result as a number" in page


def test_the_home_page_warns_that_the_evidence_is_early_and_links_into_the_tracker(client):
    page = client.get(reverse("studies:home")).text
    assert "This evidence is early" in page
    assert "study\n  quality varies" in page
    assert f'href="{reverse("studies:list")}"' in page
    assert f'href="{reverse("studies:compare")}"' in page


def test_the_home_page_runs_a_fixed_number_of_queries(client, assert_queries_do_not_grow):
    def build(studies):
        for _ in range(studies):
            make_study_with_change()

    assert_queries_do_not_grow(1, build, lambda size: client.get(reverse("studies:home")))


# Study list: what it shows


def test_the_list_shows_the_reference_studies(client, reference_studies):
    response = list_page(client)
    assert response.status_code == 200
    assert "Topical adipose-derived stem cell exosomes for androgenetic alopecia (39 patients)" in response.text
    assert f"{Study.objects.published().count()} studies match" in response.text


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_studies_never_appear_in_the_list_or_its_filters(client, status):
    make_study(title="Unreviewed draft", country="Atlantis", status=status)
    page = list_page(client).text
    assert "Unreviewed draft" not in page
    assert "Atlantis" not in page
    assert "0 studies match" in page
    assert "Unreviewed draft" not in list_page(client, q="Unreviewed").text


def test_each_study_says_what_kind_of_results_it_has(client):
    make_study_with_change(title="Numbers study")
    words = make_study(title="Words study")
    make_result(measure=make_measure(study=words), statistic="", value=None, result_text="improved")
    make_study(title="Planned trial", results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
    cards = list_page(client, sort="title").text.split('class="study-card"')[1:]
    assert "Numbers study" in cards[0] and "<dd>Numeric results</dd>" in cards[0]
    assert "Planned trial" in cards[1] and "<dd>Registered, no results yet</dd>" in cards[1]
    assert "Words study" in cards[2] and "<dd>In words only</dd>" in cards[2]


def test_a_study_without_any_result_recorded_does_not_claim_results_in_words(client):
    make_study(title="Not yet curated")
    page = list_page(client).text
    assert "<dd>None recorded yet</dd>" in page
    assert "In words only" not in page


def test_an_unknown_sample_size_is_shown_as_not_reported_never_zero(client):
    make_study(title="Silent on size", sample_size=None, sample_size_not_reported=True, planned_sample_size=40)
    page = list_page(client).text
    assert "not reported (planned 40)" in page
    assert "<dd>0</dd>" not in page


# Study list: every filter


def study_pair(matching, other):
    make_study(title="The matching study", **matching)
    make_study(title="The other study", **other)


FIELD_FILTERS = [
    ("condition", "alopecia_areata", {"condition": Study.Condition.ALOPECIA_AREATA}, {}),
    ("design", "randomized_controlled", {"design": Study.Design.RANDOMIZED_CONTROLLED}, {}),
    ("publication_type", "preprint", {"publication_type": Study.PublicationType.PREPRINT}, {}),
    ("adverse_event_status", "none_observed", {"adverse_event_status": "none_observed"}, {}),
    ("verification", "full_text", {"verification": Study.Verification.FULL_TEXT}, {}),
    ("country", "Turkey", {"country": "Turkey"}, {"country": "India"}),
    ("sample_size_min", "25", {"sample_size": 30}, {"sample_size": 20}),
    ("sample_size_max", "25", {"sample_size": 20}, {"sample_size": 30}),
    ("year_min", "2024", {"year": 2025}, {"year": 2020}),
    ("year_max", "2021", {"year": 2020}, {"year": 2025}),
    ("results", "registered", {"results_status": Study.ResultsStatus.REGISTERED_NO_RESULTS}, {}),
]


@pytest.mark.parametrize(("name", "value", "matching", "other"), FIELD_FILTERS)
def test_each_study_field_filter_keeps_only_matching_studies(client, name, value, matching, other):
    study_pair(matching, other)
    page = list_page(client, **{name: value}).text
    assert "1 study match" in page
    assert "The matching study" in page
    assert "The other study" not in page


@pytest.mark.parametrize(
    ("name", "value", "intervention"),
    [
        ("intervention_class", "prp", {"intervention_class": "prp", "exosome_source": ""}),
        ("exosome_source", "plant_derived", {"exosome_source": "plant_derived"}),
        ("route", "scalp_injection", {"route": "scalp_injection"}),
    ],
)
def test_each_intervention_filter_looks_into_every_arm(client, name, value, intervention):
    matching = make_study(title="The matching study")
    make_intervention(arm=make_arm(study=matching))
    make_intervention(arm=make_arm(study=matching), **intervention)
    make_intervention(arm=make_arm(study=make_study(title="The other study")))
    page = list_page(client, **{name: value}).text
    assert "1 study match" in page
    assert "The matching study" in page
    assert "The other study" not in page


def test_the_results_filter_tells_numbers_from_words(client):
    make_study_with_change(title="Numbers study")
    words = make_study(title="Words study")
    make_result(measure=make_measure(study=words), statistic="", value=None, result_text="improved")
    make_study(title="Planned trial", results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
    make_study(title="Not yet curated")
    numeric = list_page(client, results="numeric").text
    words_only = list_page(client, results="words_only").text
    assert "Numbers study" in numeric and "Words study" not in numeric and "Planned trial" not in numeric
    assert "Words study" in words_only and "Numbers study" not in words_only and "Planned trial" not in words_only
    assert "Not yet curated" not in words_only and "Not yet curated" not in numeric


def test_a_sample_size_bound_leaves_out_studies_of_unknown_size(client):
    make_study(title="Unknown size", sample_size=None)
    page = list_page(client, sample_size_max="1000").text
    assert "Unknown size" not in page
    assert "Sets aside studies of unreported size" in page


@pytest.mark.parametrize(
    ("label", "overrides"),
    [
        ("title", {"title": "Rare keyword study"}),
        ("summary", {"summary": "A rare keyword in the summary."}),
        ("citation", {}),
        ("doi", {}),
        ("pmid", {}),
        ("registry id", {}),
        ("product", {}),
    ],
)
def test_the_search_finds_a_study_by_each_searchable_field(client, label, overrides):
    study = make_study(**{"title": "Found study", **overrides})
    make_source(study=study, citation="Quokka A. Rare keyword trial. 2024.", doi="10.1000/xyz", pmid="12345678")
    make_registration(study=study, identifier="NCT07654321")
    make_intervention(arm=make_arm(study=study), product="Rarekeyword Serum")
    make_study(title="Unrelated study")
    term = {
        "title": "rare keyword",
        "summary": "rare keyword",
        "citation": "quokka",
        "doi": "10.1000/XYZ",
        "pmid": "12345678",
        "registry id": "nct07654321",
        "product": "rarekeyword serum",
    }[label]
    page = list_page(client, q=term).text
    assert "1 study match" in page
    assert "Unrelated study" not in page


def test_filters_combine(client):
    make_study(title="Both", condition=Study.Condition.ALOPECIA_AREATA, year=2025)
    make_study(title="Condition only", condition=Study.Condition.ALOPECIA_AREATA, year=2020)
    make_study(title="Year only", year=2025)
    page = list_page(client, condition="alopecia_areata", year_min="2024").text
    assert "1 study match" in page
    assert "Both" in page


# Study list: sorting


SORT_STUDIES = [
    {"title": "B randomised, 2020, n 12", "design": "randomized_controlled", "year": 2020, "sample_size": 12},
    {"title": "C case report, 2025, n 1", "design": "case_report", "year": 2025, "sample_size": 1},
    {"title": "A single arm, year unknown, n 40", "design": "prospective_single_arm", "year": None, "sample_size": 40},
    {"title": "D split scalp, 2023, size unknown", "design": "split_scalp", "year": 2023, "sample_size": None},
]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["C case", "D split", "B random", "A single"]),
        ("largest", ["A single", "B random", "C case", "D split"]),
        ("title", ["A single", "B random", "C case", "D split"]),
        ("design", ["B random", "D split", "A single", "C case"]),
    ],
)
def test_each_sort_orders_the_list_with_unknowns_last(client, sort, expected):
    for fields in SORT_STUDIES:
        make_study(**fields)
    page = list_page(client, sort=sort).text
    assert titles_in_order(page, expected) == expected


def test_the_list_is_newest_first_by_default(client):
    for fields in SORT_STUDIES:
        make_study(**fields)
    expected = ["C case", "D split", "B random", "A single"]
    assert titles_in_order(list_page(client).text, expected) == expected


def test_sort_links_keep_the_filters_and_return_to_the_first_page(client):
    make_study()
    page = list_page(client, condition="androgenetic_alopecia", page="1").text
    assert 'href="?condition=androgenetic_alopecia&amp;sort=largest"' in page


# Study list: pagination, active filters, downloads


def make_many(count, **overrides):
    for number in range(count):
        make_study(title=f"Paged study {number:02d}", **overrides)


def test_pagination_keeps_filters_and_sort(client):
    make_many(30, condition=Study.Condition.ALOPECIA_AREATA)
    make_many(5)
    first = list_page(client, condition="alopecia_areata", sort="title").text
    assert "30 studies match" in first
    assert "Page 1 of 2" in first
    assert 'href="?condition=alopecia_areata&amp;sort=title&amp;page=2"' in first
    second = list_page(client, condition="alopecia_areata", sort="title", page="2").text
    assert len(re.findall(r'class="study-card"', second)) == 5
    assert "Paged study 25" in second and "Paged study 24" not in second
    assert 'href="?condition=alopecia_areata&amp;sort=title&amp;page=1"' in second


def test_a_page_past_the_end_is_not_found(client):
    make_many(3)
    assert list_page(client, page="2").status_code == 404


def test_each_active_filter_can_be_removed_on_its_own(client):
    make_study()
    page = list_page(client, condition="alopecia_areata", design="case_report", sort="title", page="1").text
    assert "Condition: Alopecia areata" in page
    assert "Design: Case report" in page
    assert 'href="/studies/?design=case_report&amp;sort=title"' in page
    assert 'href="/studies/?condition=alopecia_areata&amp;sort=title"' in page


def test_export_links_keep_every_filter_but_not_the_page(client):
    make_many(30, country="India")
    page = list_page(client, country="India", sort="title", page="2").text
    for path in [
        "/studies/export/studies.csv",
        "/studies/export/arms.csv",
        "/studies/export/outcomes.csv",
        "/studies/export/adverse-events.csv",
        "/studies/export/sources.csv",
        "/studies/export.zip",
    ]:
        assert f'href="{path}?country=India&amp;sort=title"' in page
    assert "Download these 30 studies" in page


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client):
    make_study(condition=Study.Condition.ANDROGENETIC_ALOPECIA)
    page = list_page(client, condition="alopecia_areata").text
    assert "0 studies match" in page
    assert "No published study matches these filters" in page
    assert 'href="/studies/">clear all filters</a>' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year_min": "twenty"}, "Enter a whole number."),
        ({"sample_size_max": "2.5"}, "Enter a whole number."),
        ({"sample_size_min": "-1"}, "greater than or equal to 0"),
        ({"year_max": "99999999999999999999"}, "less than or equal to 9999"),
        ({"condition": "baldness"}, "Select a valid choice."),
        ({"results": "maybe"}, "Select a valid choice."),
        ({"country": "Atlantis"}, "Select a valid choice."),
        ({"sort": "random"}, "Select a valid choice."),
    ],
)
def test_an_invalid_filter_value_shows_an_error_and_no_studies(client, params, message):
    make_study(title="A real study")
    response = list_page(client, **params)
    assert response.status_code == 400
    assert "A filter value is not valid" in response.text
    assert message in response.text
    assert "A real study" not in response.text


def test_the_list_runs_the_same_number_of_queries_whatever_the_number_of_studies(client, assert_queries_do_not_grow):
    def build(studies):
        for _ in range(studies):
            make_study_with_change(country="India")

    def visit(size):
        assert list_page(client, condition="androgenetic_alopecia").status_code == 200

    assert_queries_do_not_grow(3, build, visit, sizes=(2, 40))


# Study page


def test_an_unknown_study_is_not_found(client):
    assert client.get(reverse("studies:detail", args=["no-such-study"])).status_code == 404


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_an_unpublished_study_page_is_not_found(client, status):
    make_study(slug="unreviewed", status=status)
    assert client.get(reverse("studies:detail", args=["unreviewed"])).status_code == 404


def detail_page(client, slug):
    response = client.get(reverse("studies:detail", args=[slug]))
    assert response.status_code == 200
    return response.text


def outcome_rows(page):
    return re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, flags=re.S)


def chart_labels(page):
    """The chart's row labels as one line of text, however they were wrapped."""
    return " ".join(re.findall(r'class="row-label"[^>]*>([^<]*)<', page))


def test_the_39_patient_study_page_shows_words_and_no_invented_numbers(client, reference_studies):
    page = detail_page(client, "adsc-exosome-topical-aga-39")
    assert page.count("significant increase") == 2
    assert "<dt>Enrolled</dt><dd>39" in page
    assert "Androgenetic alopecia" in page
    assert "Adipose-derived stem cells (ADSC)" in page
    assert "route: topical" in page
    assert "Facts read from: secondary source only" in page
    assert "None reported</strong>: The review states" in page
    assert "10.1111/jocd.15869" in page
    assert "regimen: not reported" in page
    rows = outcome_rows(page)
    assert len(rows) == 2
    for row in rows:
        numbers = re.findall(r">[^<]*\d[^<]*<", row)
        assert numbers == [], f"a number appears in an outcome row: {numbers}"
    assert "<svg" not in page


def test_the_wan_2025_page_shows_35_hairs_per_cm2_with_sd_at_12_months(client, reference_studies):
    page = detail_page(client, "wan-2025-microneedling-topical-exosome")
    twelve_months = [row for row in outcome_rows(page) if "12 months" in row]
    assert len(twelve_months) == 1
    assert "Mean change from baseline: 35 hairs/cm2 (SD 6.5)" in twelve_months[0]
    assert "Range: 75 to 95 hairs/cm2" in page
    assert "<title id=" in page and "Change in hair density from baseline (hairs/cm2)" in page
    assert "Microneedling + topical exosome, 12 months: +35 (± SD 6.5)" in chart_labels(page)


def test_the_nilforoushzadeh_page_shows_salt_values_per_case(client, reference_studies):
    page = detail_page(client, "nilforoushzadeh-2025-adipose-exosome-alopecia-areata")
    case_1, case_2 = outcome_rows(page)
    assert "Case 1" in case_1 and ">79.6<" in case_1 and ">59.6<" in case_1
    assert "Case 2" in case_2 and ">70.2<" in case_2 and ">58.6<" in case_2
    assert '-20.0 SALT points (0-100) (-25.13%) <span class="computed">computed</span>' in case_1
    assert '-11.6 SALT points (0-100) (-16.52%) <span class="computed">computed</span>' in case_2


def test_the_study_page_and_the_outcomes_download_show_the_same_percent_change(client):
    study = make_study(slug="same-figure")
    measure = make_measure(study=study, unit="SALT points")
    make_result(
        measure=measure, arm=make_arm(study=study), statistic="mean", value=None, baseline="79.6", follow_up="59.6"
    )
    page = detail_page(client, "same-figure")
    download = client.get(reverse("studies:export", args=["outcomes"]))
    rows = csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8")))
    (computed,) = [row for row in rows if row["value_origin"] == "computed"]
    assert computed["value"] == "-25.13"
    assert f"-20.0 SALT points ({computed['value']}%)" in outcome_rows(page)[0]


def test_a_percent_change_is_never_computed_from_a_missing_number(client):
    study = make_study(slug="half-reported")
    make_result(
        measure=make_measure(study=study), arm=make_arm(study=study), statistic="mean", value=None, baseline="50"
    )
    page = detail_page(client, "half-reported")
    assert "Change, computed" not in page
    assert "%" not in outcome_rows(page)[0]


def test_the_study_page_shows_badges_citation_links_and_notes(client):
    study = make_study(
        slug="badged",
        design=Study.Design.RANDOMIZED_CONTROLLED,
        publication_type=Study.PublicationType.CONFERENCE_ABSTRACT,
        verification=Study.Verification.REGISTRY,
        curation_note="Only the registry was read.",
        discrepancies="The registry says 24.\nThe paper says 20.",
    )
    make_registration(study=study, identifier="NCT06539273")
    make_source(study=study, doi="10.1000/abc", pmid="123", pmcid="PMC42", urls="https://example.org/read-here")
    page = detail_page(client, "badged")
    assert "Design: randomized controlled trial" in badges(page)
    assert "Publication: conference abstract" in badges(page)
    assert 'Registration: <a href="https://clinicaltrials.gov/study/NCT06539273"' in page
    assert "Facts read from: registry record" in page
    assert "Only the registry was read." in page
    assert "<li>The registry says 24.</li>" in page and "<li>The paper says 20.</li>" in page
    assert 'href="https://doi.org/10.1000/abc"' in page
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/123/"' in page
    assert 'href="https://pmc.ncbi.nlm.nih.gov/articles/PMC42/"' in page
    assert 'href="https://example.org/read-here"' in page
    assert "Last updated" in page


def test_adverse_events_are_shown_per_arm_and_never_pooled(client):
    study = make_study(slug="two-arms", adverse_event_status=Study.AdverseEventStatus.COUNTS_REPORTED)
    exosome = make_arm(study=study, label="Exosome arm")
    placebo = make_arm(study=study, label="Placebo arm", role=Arm.Role.PLACEBO_COMPARATOR)
    make_adverse_event(study=study, arm=exosome, term="Erythema", participants_affected=2, participants_at_risk=10)
    make_adverse_event(study=study, arm=placebo, term="Erythema", participants_affected=3, participants_at_risk=10)
    page = detail_page(client, "two-arms")
    assert "<caption>Exosome arm</caption>" in page
    assert "<caption>Placebo arm</caption>" in page
    assert "2 / 10" in page and "3 / 10" in page
    assert "5 / 20" not in page


def test_none_observed_and_not_reported_read_differently(client):
    make_study(slug="observed", adverse_event_status=Study.AdverseEventStatus.NONE_OBSERVED)
    make_study(slug="silent", adverse_event_status=Study.AdverseEventStatus.NOT_REPORTED)
    observed, silent = detail_page(client, "observed"), detail_page(client, "silent")
    assert "<strong>None observed</strong>" in observed and "not the same as no harm" not in observed
    assert "<strong>Not reported</strong>" in silent and "That is not the same as no harm." in silent


def test_unknown_counts_read_not_reported_never_zero(client):
    study = make_study(slug="unknowns", sample_size=None, sample_size_not_reported=True)
    make_arm(study=study, participants=None)
    make_adverse_event(study=study, participants_affected=None, participants_at_risk=None)
    page = detail_page(client, "unknowns")
    assert "<dt>Enrolled</dt><dd>not reported" in page
    assert "number in this arm not reported" in page
    assert "not reported / not reported" in page
    assert "n = 0" not in page


def test_a_result_reported_only_in_words_is_shown_in_words(client):
    study = make_study(slug="words")
    make_result(measure=make_measure(study=study, unit=""), statistic="", value=None, result_text="hair looked fuller")
    page = detail_page(client, "words")
    assert '<span class="words">hair looked fuller</span>' in page
    assert "<svg" not in page


def test_the_chart_draws_a_whisker_only_where_dispersion_allows(client):
    study = make_study(slug="whiskers")
    arm = make_arm(study=study, label="Treated")
    measure = make_measure(study=study)
    make_result(measure=measure, arm=arm, value="8", dispersion_type="sd", dispersion_value="2")
    make_result(
        measure=measure,
        arm=arm,
        statistic=OutcomeResult.Statistic.MEDIAN_CHANGE,
        value="9.5",
        dispersion_type="iqr",
        dispersion_value="16.88",
        timepoint_value=16,
    )
    page = detail_page(client, "whiskers")
    assert page.count('class="whisker"') == 3
    assert "Treated, 16 weeks: +9.5 (IQR 16.88, not drawn)" in chart_labels(page)


def test_the_study_page_runs_the_same_number_of_queries_whatever_its_size(client, assert_queries_do_not_grow):
    def build(size):
        study = make_study(slug=f"size-{size}")
        make_registration(study=study)
        make_source(study=study)
        arms = [make_arm(study=study) for _ in range(size)]
        for arm in arms:
            make_intervention(arm=arm, intervention_class=Intervention.InterventionClass.EXOSOME)
            make_adverse_event(study=study, arm=arm)
        for _ in range(size):
            measure = make_measure(study=study)
            for arm in arms:
                make_result(measure=measure, arm=arm)

    def visit(size):
        assert client.get(reverse("studies:detail", args=[f"size-{size}"])).status_code == 200

    assert_queries_do_not_grow(9, build, visit, sizes=(1, 6))


def test_a_very_long_list_says_more_than_the_cap_instead_of_counting_every_study(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 30)
    for number in range(40):
        make_study(title=f"Cohort {number:02d}")
    page = client.get(reverse("studies:list")).text
    assert "More than 30 studies match" in page
    assert "narrow the filters to see the rest" in page
    assert "Page 1 of" not in page
    assert client.get(reverse("studies:list"), {"page": 2}).status_code == 200
    assert "More than" not in client.get(reverse("studies:list"), {"condition": "alopecia_areata"}).text


# Study page: read the way it is meant


def badges(page):
    """The text of each badge at the top of a study page, tags removed."""
    glance = page.split('aria-label="Study at a glance"')[1].split("</ul>")[0]
    return [re.sub(r"<[^>]+>", "", badge).strip() for badge in re.findall(r'<li class="badge[^"]*">(.*?)</li>', glance)]


def test_every_badge_says_what_it_is(client):
    study = make_study(
        slug="labelled",
        design=Study.Design.NOT_STATED,
        publication_type=Study.PublicationType.PEER_REVIEWED,
        verification=Study.Verification.ABSTRACT,
        results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS,
    )
    make_registration(study=study, identifier="NCT06539273")
    assert badges(detail_page(client, "labelled")) == [
        "Design: not stated",
        "Publication: peer-reviewed article",
        "Registration: NCT06539273",
        "Facts read from: abstract",
        "Results: registered, none yet",
    ]


def test_a_case_report_is_called_a_case_report_once(client):
    make_study(slug="one-case", design=Study.Design.CASE_REPORT, publication_type=Study.PublicationType.CASE_REPORT)
    shown = badges(detail_page(client, "one-case"))
    assert shown[0] == "Design and publication: case report"
    assert sum("case report" in badge for badge in shown) == 1
    assert len(shown) == len(set(shown))
    card = list_page(client).text.split('class="study-card"')[1]
    assert card.count("case report") == 1


def test_a_study_without_registration_says_so_in_a_labelled_badge(client):
    make_study(slug="unregistered")
    assert "Registration: none recorded" in badges(detail_page(client, "unregistered"))


def measure_table(page, name):
    return page.split(f">{name}</h3>")[1].split("</table>")[0]


def test_a_computed_change_appears_only_where_it_adds_to_what_the_source_reported(client):
    study = make_study(slug="changes")
    arm = make_arm(study=study, label="Treated")
    reported = make_measure(study=study, name="density, reported change")
    make_result(measure=reported, arm=arm, statistic="mean_change", value="12", baseline="80", follow_up="92")
    mixed = make_measure(study=study, name="diameter, mixed")
    make_result(measure=mixed, arm=arm, statistic="mean", value=None, baseline="60", follow_up="66")
    make_result(measure=mixed, arm=arm, statistic="mean_change", value="3", timepoint_value=24)
    page = detail_page(client, "changes")
    assert "not computable" not in page
    only_reported = measure_table(page, "density, reported change")
    assert "Change, computed" not in only_reported and "computed" not in only_reported
    assert "Mean change from baseline: 12 hairs/cm2" in only_reported
    both = measure_table(page, "diameter, mixed")
    assert '<th scope="col">Change, computed</th>' in both
    computed_row, reported_row = outcome_rows(both)
    assert "+6 hairs/cm2 (+10%)" in computed_row and 'class="computed"' in computed_row
    assert 'class="computed"' not in reported_row
    assert '<span class="visually-hidden">not computed: the source reports the change</span>' in reported_row


def test_an_empty_cell_shows_a_dash_with_words_for_screen_readers_never_the_word_none(client):
    study = make_study(slug="quiet")
    make_result(measure=make_measure(study=study), arm=make_arm(study=study))
    make_adverse_event(study=study, note="")
    page = detail_page(client, "quiet")
    assert '<span class="nr">none</span>' not in page and ">none<" not in page
    dash = '<span class="nothing"><span aria-hidden="true">–</span><span class="visually-hidden">{}</span></span>'
    assert dash.format("no wording recorded") in outcome_rows(page)[0]
    assert dash.format("no note recorded") in page


@pytest.mark.parametrize("status", list(Study.AdverseEventStatus))
def test_the_adverse_event_status_is_defined_where_it_is_shown(client, status):
    make_study(slug="safety", adverse_event_status=status)
    page = detail_page(client, "safety")
    safety = page.split('id="safety-heading"')[1].split("</section>")[0]
    assert f"<strong>{status.label}</strong>" in safety
    assert escape(status.meaning) in safety
    assert f'href="{reverse("studies:methods")}#adverse-events"' in safety


def test_each_adverse_event_status_has_its_own_one_line_meaning():
    meanings = [status.meaning for status in Study.AdverseEventStatus]
    assert all(meanings) and len(set(meanings)) == len(meanings)
    assert all("\n" not in meaning for meaning in meanings)
    assert "not the same as no harm" in Study.AdverseEventStatus.NOT_REPORTED.meaning


# Methods


def test_the_methods_page_explains_how_evidence_is_recorded_in_the_same_words_as_the_study_pages(client):
    response = client.get(reverse("studies:methods"))
    assert response.status_code == 200
    page = response.text
    for section in ("reading-depth", "adverse-events", "computed", "unknown"):
        assert f'<section id="{section}"' in page
    for depth in Study.Verification:
        assert depth.label in page and escape(depth.meaning) in page
    for status in Study.AdverseEventStatus:
        assert status.label in page and escape(status.meaning) in page
    assert "follow-up minus baseline" in page
    assert "never as zero" in page


def test_the_site_navigation_links_to_the_methods_page(client):
    make_study(slug="any")
    for address in (reverse("studies:home"), reverse("studies:list"), reverse("studies:detail", args=["any"])):
        assert f'<a href="{reverse("studies:methods")}"' in client.get(address).text


def test_the_data_dictionary_defines_each_status_and_reading_depth_in_the_same_words(client):
    page = client.get(reverse("studies:data")).text
    for choice in (*Study.AdverseEventStatus, *Study.Verification):
        assert f"<dt><code>{choice.value}</code></dt><dd>{choice.label}: {escape(choice.meaning)}</dd>" in page
