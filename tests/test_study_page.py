"""A study's page: its facts, outcomes, charts and harms, read the way they are meant."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from studies.models import Arm, OutcomeResult, Study
from tests.factories import (
    make_adverse_event,
    make_arm,
    make_measure,
    make_registration,
    make_result,
    make_source,
    make_study,
    make_study_of_size,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = [Study.Status.DRAFT, Study.Status.IN_REVIEW]


def list_page(client, **params):
    return client.get(reverse("studies:list"), params)


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
    # The appraisal's table above the outcomes has rows of its own.
    outcomes = page.partition('aria-labelledby="outcomes-heading"')[2] or page
    return re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", outcomes, flags=re.S)


def wide_charts(page):
    """The wide drawing of each chart (the narrow one repeats it for phones)."""
    return re.findall(r'<svg[^>]*class="forest forest-wide".*?</svg>', page, flags=re.S)


def chart_texts(page):
    """The texts of the page's wide charts as one line, however they were wrapped."""
    return " ".join(re.findall(r"<text [^>]*>([^<]*)<", "".join(wide_charts(page))))


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
    texts = chart_texts(page)
    assert "Microneedling + topical exosome" in texts and "+35 (SD 6.5)" in texts


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
    (chart,) = wide_charts(page)
    assert chart.count('class="whisker"') == 3
    assert "+8 (SD 2)" in chart_texts(page) and "+9.5 (IQR 16.88, not drawn)" in chart_texts(page)


def test_the_study_page_runs_the_same_number_of_queries_whatever_its_size(client, assert_queries_do_not_grow):
    def build(size):
        make_study_of_size(size, slug=f"size-{size}")

    def visit(size):
        assert client.get(reverse("studies:detail", args=[f"size-{size}"])).status_code == 200

    # The tenth lists the published claims citing the study (claims/templatetags/claims.py).
    assert_queries_do_not_grow(11, build, visit, sizes=(1, 6))


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
