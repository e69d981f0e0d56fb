"""Every chart on the reference pages, measured in a real browser on a phone and a desktop width:
no text touches another text, a marker or a line, and nothing is refused by the Content-Security-Policy.

Each chart's picture lands in screenshots/ for a person to look at.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from studies.models import OutcomeMeasure, Study
from tests.browser import SCREENSHOTS, WIDTHS
from tests.test_browser import assert_fits_the_screen

SHOTS = SCREENSHOTS
# Glyph boxes of neighbouring lines may touch by rounding; anything more is an overlap.
TOLERANCE = 0.5

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("width", WIDTHS)]

MEASURE = """svg => {
  const box = element => {
    const rect = element.getBoundingClientRect();
    return {left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom,
            what: `${element.tagName} ${element.getAttribute("class")} ${element.textContent.trim()}`};
  };
  return {
    texts: [...svg.querySelectorAll("text")].map(box),
    marks: [...svg.querySelectorAll("line, circle, rect:not(.background)")].map(box),
  };
}"""


@pytest.fixture
def site(live_server, transactional_db):
    call_command("load_reference_studies", stdout=StringIO())
    return live_server.url


def overlap(one, other):
    return (
        one["left"] < other["right"] - TOLERANCE
        and other["left"] < one["right"] - TOLERANCE
        and one["top"] < other["bottom"] - TOLERANCE
        and other["top"] < one["bottom"] - TOLERANCE
    )


def check_charts(page, name, width):
    """Measure and photograph every chart the page shows; returns how many there were."""
    charts = page.locator("svg.forest:visible")
    SHOTS.mkdir(exist_ok=True)
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=SHOTS / f"{name}-{index + 1}-{width}.png")
        pieces = chart.evaluate(MEASURE)
        texts, marks = pieces["texts"], pieces["marks"]
        assert texts and marks
        for number, text in enumerate(texts):
            crossing = [other["what"] for other in texts[number + 1 :] + marks if overlap(text, other)]
            assert not crossing, f"{name} chart {index + 1} at {width} px: {text['what']!r} touches {crossing}"
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert not page.refusals, page.refusals
    assert_fits_the_screen(page, width)
    return charts.count()


def test_every_chart_on_the_reference_study_pages_keeps_its_text_clear(page, site, width):
    drawn = 0
    for study in Study.objects.published().filter(measures__results__isnull=False).distinct():
        page.goto(f"{site}{study.get_absolute_url()}")
        drawn += check_charts(page, study.slug, width)
    # Wan 2025, Ecklonia pilot, split-scalp PRP, placenta MSC, the 8-men preprint, Nilforoushzadeh...
    assert drawn >= 5


@pytest.mark.parametrize("arms", ["exosome", "without_exosomes"])
def test_every_comparison_chart_keeps_its_text_clear(page, site, width, arms):
    for category in OutcomeMeasure.Category.values:
        page.goto(f"{site}/compare/?category={category}&arms={arms}")
        check_charts(page, f"compare-{category}-{arms}", width)


def test_a_chart_is_read_as_one_image_and_downloads_as_an_svg_file(page, site, width):
    page.goto(f"{site}/studies/wan-2025-microneedling-topical-exosome/")
    chart = page.get_by_role("img", name="Change in hair density from baseline (hairs/cm2)")
    expect(chart).to_have_count(1)
    expect(chart).to_be_visible()
    assert "more hair" in chart.text_content() and "no change" in chart.text_content()
    link = page.get_by_role("link", name="Download this chart (SVG)").first
    response = page.request.get(site + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert re.search(r"<svg[^>]* xmlns=\"http://www.w3.org/2000/svg\"", response.text())
    assert "<script" not in response.text() and "style=" not in response.text()

    page.goto(f"{site}/compare/?category=salt_score")
    chart = page.get_by_role("img", name="Change from baseline in SALT points (0-100)")
    expect(chart).to_be_visible()
    assert "lower SALT is better" in chart.text_content()
