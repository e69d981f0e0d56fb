"""A visitor in a real browser: Debian's Chromium driven by Playwright, on a phone and a desktop width.

Screenshots of every page land in screenshots/ (not committed) for a person to look at.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from studies.models import Study
from tests.factories import make_study

# Playwright's synchronous API runs an event loop in this thread; the test database calls it
# makes are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
WIDTHS = [360, 1440]

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("width", WIDTHS)]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live site holding the reference studies plus enough alopecia areata studies for two pages."""
    call_command("load_reference_studies", stdout=StringIO())
    for number in range(30):
        make_study(title=f"Alopecia areata cohort {number:02d}", condition="alopecia_areata", year=2021)
    return live_server.url


def screenshot(page, name, width):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


def assert_fits_the_screen(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_visitor_filters_the_list_and_pages_through_it(page, site, width):
    page.goto(f"{site}/studies/")
    published = Study.objects.published()
    assert page.get_by_role("heading", name=f"{published.count()} studies match").is_visible()
    screenshot(page, "list", width)
    assert_fits_the_screen(page, width)

    page.get_by_label("Condition").select_option("alopecia_areata")
    page.get_by_label("Sort by").select_option("title")
    page.get_by_role("button", name="Show studies").click()
    areata = published.filter(condition="alopecia_areata").count()
    assert page.get_by_role("heading", name=f"{areata} studies match").is_visible()
    assert page.get_by_role("link", name="Remove filter Condition: Alopecia areata").is_visible()
    screenshot(page, "list-filtered", width)

    page.get_by_role("link", name="Next page").click()
    assert "condition=alopecia_areata" in page.url and "sort=title" in page.url and "page=2" in page.url
    assert page.get_by_text("Page 2 of 2").is_visible()
    assert page.locator(".study-card").count() == areata - 25
    screenshot(page, "list-page-2", width)


def test_an_invalid_filter_shows_an_error_in_the_browser(page, site, width):
    page.goto(f"{site}/studies/?year_min=soon")
    assert page.get_by_role("alert").get_by_text("A filter value is not valid").is_visible()
    assert page.locator(".study-card").count() == 0
    screenshot(page, "list-invalid", width)


def test_a_visitor_opens_a_study_and_sees_its_chart(page, site, width):
    page.goto(f"{site}/studies/?q=zishel")
    page.get_by_role("link", name="Microneedling followed by topical exosome product").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Microneedling followed by topical exosome")
    chart = page.get_by_role("img", name="Change in hair density from baseline (hairs/cm2)")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] <= width and box["height"] > 60
    assert page.locator("svg.change-chart circle").count() == 1
    assert page.get_by_text("Mean change from baseline: 35 hairs/cm2 (SD 6.5)").is_visible()
    screenshot(page, "study-wan", width)
    assert_fits_the_screen(page, width)

    page.goto(f"{site}/studies/nilforoushzadeh-2025-adipose-exosome-alopecia-areata/")
    assert page.locator("svg.change-chart circle").count() == 2
    screenshot(page, "study-nilforoushzadeh", width)
    assert_fits_the_screen(page, width)


def test_a_visitor_compares_an_outcome_across_studies(page, site, width):
    page.goto(f"{site}/")
    screenshot(page, "home", width)
    page.get_by_role("link", name="Compare one outcome across studies").click()
    # Wan 2025's and Dehghani 2024's exosome arms report a change in hair density.
    assert page.locator("svg.change-chart circle").count() == 2
    reading_depth = page.locator("td[data-label='Facts read from']").first
    assert reading_depth.is_visible() and reading_depth.inner_text() == "abstract"
    screenshot(page, "compare-hair-density", width)
    assert_fits_the_screen(page, width)

    page.get_by_role("link", name="show the arms without exosomes").click()
    assert page.get_by_role("heading", name="Hair density: arms without exosomes").is_visible()
    assert page.locator("svg.change-chart circle").count() == 2
    assert page.get_by_role("radio", name="Arms without exosomes", exact=False).is_checked()
    screenshot(page, "compare-without-exosomes", width)
    assert_fits_the_screen(page, width)
    page.get_by_role("radio", name="Arms given exosomes").check()

    page.get_by_label("Outcome", exact=False).and_(page.locator("select")).select_option("salt_score")
    page.get_by_role("button", name="Compare").click()
    chart = page.get_by_role("img", name="Change from baseline in SALT points (0-100)")
    assert chart.is_visible()
    assert page.locator("svg.change-chart circle").count() == 2
    screenshot(page, "compare-salt", width)


def test_keyboard_focus_is_visible(page, site, width):
    page.goto(f"{site}/studies/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused == "Skip to content"
    assert outline != "none"


def test_a_study_page_labels_its_badges_and_explains_its_words(page, site, width):
    page.goto(f"{site}/studies/nilforoushzadeh-2025-adipose-exosome-alopecia-areata/")
    badges = page.get_by_role("list", name="Study at a glance").get_by_role("listitem").all_inner_texts()
    assert badges[0] == "Design and publication: case report"
    assert len(badges) == len(set(badges))
    assert all(": " in badge for badge in badges)
    assert "Registration: none recorded" in badges and "Facts read from: abstract" in badges

    empty_words = page.get_by_role("cell", name="no wording recorded").first
    empty_words.scroll_into_view_if_needed()
    assert empty_words.is_visible()
    assert empty_words.locator("[aria-hidden=true]").inner_text() == "–"
    assert "none" not in empty_words.locator("[aria-hidden=true]").inner_text()

    meaning = page.get_by_text(Study.AdverseEventStatus.NONE_OBSERVED.meaning)
    meaning.scroll_into_view_if_needed()
    assert meaning.is_visible()
    screenshot(page, "study-case-report", width)
    assert_fits_the_screen(page, width)

    page.get_by_role("link", name="What each status means").click()
    assert page.url.endswith("/methods/#adverse-events")
    assert page.get_by_role("heading", name="What the adverse-event statuses mean").is_visible()
    assert page.get_by_text(Study.AdverseEventStatus.NONE_OBSERVED.meaning).is_visible()
    screenshot(page, "methods", width)
    assert_fits_the_screen(page, width)


def test_the_methods_page_is_in_the_site_navigation(page, site, width):
    page.goto(f"{site}/studies/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Methods").click()
    assert page.get_by_role("heading", level=1).inner_text() == "How the tracker records evidence"


# Every text node of the data dictionary's tables whose box reaches past the window's right edge.
TEXT_BEYOND_THE_SCREEN = """() => {
    const limit = document.documentElement.clientWidth;
    const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
    const beyond = [];
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.trim() || !node.parentElement.closest(".data-table table")) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const box of range.getClientRects()) {
            if (box.right > limit + 0.5) { beyond.push(node.textContent.trim().slice(0, 40)); break; }
        }
    }
    return beyond;
}"""


def test_every_column_of_the_data_dictionary_is_readable_without_scrolling_sideways(page, site, width):
    page.goto(f"{site}/data/")
    assert page.locator(".data-table table").count() == 5
    assert page.evaluate(TEXT_BEYOND_THE_SCREEN) == []
    meaning = page.get_by_text(Study.AdverseEventStatus.NONE_REPORTED.meaning).first
    meaning.scroll_into_view_if_needed()
    assert meaning.is_visible()
    screenshot(page, "data-dictionary", width)
    assert_fits_the_screen(page, width)
