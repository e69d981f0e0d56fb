"""The claim pages in a real browser, on a phone and a desktop width; screenshots in screenshots/."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.models import Claim
from studies.models.evidence import OutcomeSummary
from tests.browser import SCREENSHOTS, WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("width", WIDTHS)]


@pytest.fixture
def page(chromium, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    # Anything the Content-Security-Policy refuses is reported on the page and in the console.
    page.violations = []
    page.on("console", lambda message: page.violations.append(message.text))
    page.on("pageerror", lambda error: page.violations.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live site with the reference studies, summaries and claims; one claim names two summaries."""
    call_command("load_reference_studies", stdout=StringIO())
    claim = Claim.objects.get(key="single-study-39-patients")
    claim.outcome_summaries.set(OutcomeSummary.objects.published()[:2])
    return live_server.url


def screenshot(page, name, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


def assert_fits_the_screen(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def policy_violations(page):
    return [message for message in page.violations if "Content Security Policy" in message]


def test_a_visitor_counts_the_verdicts_and_filters_the_claims(page, site, width):
    page.goto(f"{site}/claims/")
    expect(page.get_by_role("heading", name="9 claims match")).to_be_visible()
    expect(page.locator(".claim-card")).to_have_count(9)
    screenshot(page, "claims", width)
    assert_fits_the_screen(page, width)

    page.get_by_role("link", name="5 Unsupported").click()
    expect(page.get_by_role("heading", name="5 claims match")).to_be_visible()
    expect(page.locator(".claim-card .verdict")).to_have_text(["Verdict: Unsupported"] * 5)
    page.get_by_label("Topic").select_option("comparative_efficacy")
    page.get_by_role("button", name="Show claims").click()
    expect(page.get_by_role("heading", name="3 claims match")).to_be_visible()
    assert "verdict=unsupported" in page.url and "topic=comparative_efficacy" in page.url
    screenshot(page, "claims-filtered", width)
    assert_fits_the_screen(page, width)
    assert not policy_violations(page), page.violations


def test_a_visitor_reads_a_claim_its_verdict_and_the_evidence(page, site, width):
    page.goto(f"{site}/claims/")
    page.get_by_role("link", name="the evidence for claim single-study-39-patients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claim checked: accurate but outdated")
    claim = Claim.objects.get(key="single-study-39-patients")
    expect(page.locator("blockquote.quote")).to_have_text(claim.quote)
    expect(page.get_by_text("Certainty judged the GRADE way")).to_be_visible()
    expect(page.locator(".certainty-level")).to_have_count(2)
    rows = page.locator(".evidence-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first.locator("td[data-label='Role']")).to_have_text("Supports")
    screenshot(page, "claim-single-study", width)
    assert_fits_the_screen(page, width)

    # The ClaimReview is data: the browser keeps it, runs nothing, and the policy has nothing to refuse.
    review = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "Accurate but outdated"
    assert not policy_violations(page), page.violations

    page.get_by_role("link", name="Foreskin MSC-derived exosome scalp injection", exact=False).click()
    expect(page.get_by_role("heading", name="Claims that cite this study")).to_be_visible()
    page.get_by_role("heading", name="Claims that cite this study").scroll_into_view_if_needed()
    screenshot(page, "study-citing-claims", width)
    assert_fits_the_screen(page, width)
