"""The certainty of the evidence in a real browser, on a phone and a desktop width: the summary-of-findings
table, an outcome page with its charts and traffic lights, and a study's appraisal. Screenshots land in
screenshots/ for a person to look at."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import SCREENSHOTS, WIDTHS
from tests.test_browser import assert_fits_the_screen
from tests.test_browser_charts import check_charts

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("width", WIDTHS)]


@pytest.fixture
def site(live_server, transactional_db):
    call_command("load_reference_studies", stdout=StringIO())
    return live_server.url


def screenshot(page, name, width):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


def test_a_reader_finds_what_the_evidence_says_from_the_home_page(page, site, width):
    page.goto(site)
    page.get_by_role("link", name="The summary of findings, with how each certainty was judged").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the evidence says")
    rows = page.locator("table.sof tbody tr")
    expect(rows).to_have_count(5)
    for index in range(5):
        expect(rows.nth(index).locator(".certainty")).to_have_text("⊕◯◯◯ Very low")
    screenshot(page, "evidence", width)
    assert_fits_the_screen(page, width)
    assert not page.refusals, page.refusals


def test_an_outcome_page_shows_its_studies_charts_and_appraisals_clearly(page, site, width):
    page.goto(f"{site}/evidence/")
    page.get_by_role("link", name="Hair density").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hair density")
    expect(page.locator(".study-card")).to_have_count(7)
    expect(page.get_by_role("table", name="Checklist answers (JBI case series checklist)")).to_be_visible()
    assert check_charts(page, "evidence-hair-density", width) >= 1
    screenshot(page, "evidence-hair-density", width)
    page.goto(f"{site}/evidence/hair-count-aga-rct/")
    lights = page.get_by_role("table", name="Risk of bias (RoB 2)")
    expect(lights.locator("td.rob-some-concerns")).to_have_count(2)
    screenshot(page, "evidence-hair-count", width)
    assert_fits_the_screen(page, width)


def test_a_study_page_says_how_much_to_trust_the_study(page, site, width):
    page.goto(f"{site}/studies/amini-2025-exosome-plant-extract-rct/")
    trust = page.locator("#trust")
    expect(trust.get_by_role("heading", name="How much to trust this study")).to_be_visible()
    expect(trust.locator(".overall-judgement")).to_contain_text("Some concerns")
    expect(trust.get_by_role("table")).to_contain_text(
        "The registry lists 24 enrolled; the paper reports 20 participants."
    )
    trust.scroll_into_view_if_needed()
    trust.screenshot(path=SCREENSHOTS / f"study-trust-{width}.png")
    assert_fits_the_screen(page, width)
    assert not page.refusals, page.refusals
