"""A visitor in a real browser: Debian's Chromium driven by Playwright, on a phone and a desktop width.

Screenshots of every page land in screenshots/ (not committed) for a person to look at.
"""

from importlib import import_module
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from playwright.sync_api import expect

from studies import exports
from studies.models import Study
from tests.admin_helpers import make_user
from tests.browser import SCREENSHOTS, WIDTHS
from tests.factories import make_adverse_event, make_arm, make_measure, make_result, make_study

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("width", WIDTHS)]


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
    expect(page.get_by_role("heading", name=f"{published.count()} studies match")).to_be_visible()
    screenshot(page, "list", width)
    assert_fits_the_screen(page, width)

    # Each choice says how many studies it would list.
    areata = published.filter(condition="alopecia_areata").count()
    areata_choice = page.get_by_label("Condition").locator("option[value=alopecia_areata]")
    expect(areata_choice).to_have_text(f"Alopecia areata ({areata})")
    page.get_by_label("Condition").select_option("alopecia_areata")
    page.get_by_label("Sort by").select_option("title")
    page.get_by_role("button", name="Show studies").click()
    expect(page.get_by_role("heading", name=f"{areata} studies match")).to_be_visible()
    expect(page.get_by_role("link", name="Remove filter Condition: Alopecia areata")).to_be_visible()
    screenshot(page, "list-filtered", width)

    page.get_by_role("link", name="Next page").click()
    assert "condition=alopecia_areata" in page.url and "sort=title" in page.url and "page=2" in page.url
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.locator(".study-card")).to_have_count(areata - 25)
    screenshot(page, "list-page-2", width)


def test_an_invalid_filter_shows_an_error_in_the_browser(page, site, width):
    page.goto(f"{site}/studies/?year_min=soon")
    expect(page.get_by_role("alert").get_by_text("A filter value is not valid")).to_be_visible()
    expect(page.locator(".study-card")).to_have_count(0)
    screenshot(page, "list-invalid", width)


def test_a_visitor_opens_a_study_and_sees_its_chart(page, site, width):
    page.goto(f"{site}/studies/?q=zishel")
    page.get_by_role("link", name="Microneedling followed by topical exosome product").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Microneedling followed by topical exosome")
    chart = page.get_by_role("img", name="Change in hair density from baseline (hairs/cm2)")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] <= width and box["height"] > 60
    expect(chart.locator(".mark")).to_have_count(1)
    expect(page.get_by_text("Mean change from baseline: 35 hairs/cm2 (SD 6.5)")).to_be_visible()
    screenshot(page, "study-wan", width)
    assert_fits_the_screen(page, width)

    page.goto(f"{site}/studies/nilforoushzadeh-2025-adipose-exosome-alopecia-areata/")
    expect(page.locator("svg.forest:visible .mark")).to_have_count(2)
    screenshot(page, "study-nilforoushzadeh", width)
    assert_fits_the_screen(page, width)


def test_a_visitor_compares_an_outcome_across_studies(page, site, width):
    page.goto(f"{site}/")
    screenshot(page, "home", width)
    page.get_by_role("link", name="Compare one outcome across studies").click()
    # Wan 2025's and Dehghani 2024's exosome arms report a change in hair density.
    expect(page.locator("svg.forest:visible .mark")).to_have_count(2)
    reading_depth = page.locator("td[data-label='Facts read from']").first
    expect(reading_depth).to_have_text("abstract")
    screenshot(page, "compare-hair-density", width)
    assert_fits_the_screen(page, width)

    page.get_by_role("link", name="show the arms without exosomes").click()
    expect(page.get_by_role("heading", name="Hair density: arms without exosomes")).to_be_visible()
    expect(page.locator("svg.forest:visible .mark")).to_have_count(2)
    assert page.get_by_role("radio", name="Arms without exosomes", exact=False).is_checked()
    screenshot(page, "compare-without-exosomes", width)
    assert_fits_the_screen(page, width)
    page.get_by_role("radio", name="Arms given exosomes").check()

    page.get_by_label("Outcome", exact=False).and_(page.locator("select")).select_option("salt_score")
    page.get_by_role("button", name="Compare").click()
    chart = page.get_by_role("img", name="Change from baseline in SALT points (0-100)")
    expect(chart).to_be_visible()
    expect(page.locator("svg.forest:visible .mark")).to_have_count(2)
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
    expect(empty_words).to_be_visible()
    assert empty_words.locator("[aria-hidden=true]").inner_text() == "–"
    assert "none" not in empty_words.locator("[aria-hidden=true]").inner_text()

    meaning = page.get_by_text(Study.AdverseEventStatus.NONE_OBSERVED.meaning)
    meaning.scroll_into_view_if_needed()
    expect(meaning).to_be_visible()
    screenshot(page, "study-case-report", width)
    assert_fits_the_screen(page, width)

    page.get_by_role("link", name="What each status means").click()
    assert page.url.endswith("/methods/#adverse-events")
    expect(page.get_by_role("heading", name="What the adverse-event statuses mean")).to_be_visible()
    expect(page.get_by_text(Study.AdverseEventStatus.NONE_OBSERVED.meaning)).to_be_visible()
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
    expect(page.locator(".data-table table")).to_have_count(len(exports.TABLES))
    assert page.evaluate(TEXT_BEYOND_THE_SCREEN) == []
    meaning = page.get_by_text(Study.AdverseEventStatus.NONE_REPORTED.meaning).first
    meaning.scroll_into_view_if_needed()
    expect(meaning).to_be_visible()
    screenshot(page, "data-dictionary", width)
    assert_fits_the_screen(page, width)


def recreate_curator_group():
    """The Curator group as the migrations create it: the live server's tests empty the database
    after each test, and only the permissions come back by themselves."""
    migration = import_module("studies.migrations.0003_curator_and_publisher_groups")
    group, created = Group.objects.get_or_create(name="Curator")
    if created:
        studies_permissions = Permission.objects.filter(content_type__app_label="studies")
        group.permissions.set(studies_permissions.filter(codename__in=migration.curator_permissions()))


@pytest.fixture
def curator_site(live_server, transactional_db):
    """The live site with a Curator and a draft four-arm trial measured at four time points."""
    recreate_curator_group()
    make_user("Curator")
    study = make_study(
        title="Four-arm dose-finding trial of topical exosomes",
        status=Study.Status.DRAFT,
        sample_size=80,
        design=Study.Design.RANDOMIZED_CONTROLLED,
    )
    arms = [
        make_arm(study, label=label, participants=20, position=position)
        for position, label in enumerate(["Exosome low dose", "Exosome high dose", "Minoxidil 5%", "Placebo (saline)"])
    ]
    measure = make_measure(study, name="Terminal hair density at the vertex target area")
    for arm in arms:
        for week in (4, 8, 12, 24):
            make_result(
                measure,
                arm=arm,
                timepoint_value=week,
                value="19.5",
                baseline="112.25",
                follow_up="131.75",
                dispersion_type="sd",
                dispersion_value="14.5",
                n_analysed=20,
                p_value="<0.001",
                result_text="Improved from baseline",
            )
    make_adverse_event(study, arm=arms[3], term="Scalp erythema", participants_affected=2, participants_at_risk=20)
    return {"url": live_server.url, "study": study, "measure": measure}


def sign_in(page, site_url):
    page.goto(f"{site_url}/admin/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()


def test_the_results_grid_of_four_arms_and_four_time_points_fits_a_desktop_screen(page, curator_site, width):
    sign_in(page, curator_site["url"])
    page.goto(f"{curator_site['url']}/admin/studies/outcomemeasure/{curator_site['measure'].pk}/change/")
    expect(page.locator("#results-group tbody tr.has_original")).to_have_count(16)
    screenshot(page, "admin-results-grid", width)
    if width >= 1440:
        assert_fits_the_screen(page, width)
        grid = page.locator("#results-group .tabular")
        assert grid.evaluate("element => element.scrollWidth <= element.clientWidth")
    page.get_by_role("link", name="Back to study: Four-arm dose-finding trial of topical exosomes").click()
    page.wait_for_url(f"**/admin/studies/study/{curator_site['study'].pk}/change/")
    expect(page.get_by_role("heading", name="Workflow: Draft")).to_be_visible()


def in_view(page, selector):
    return page.locator(selector).evaluate(
        "element => { const box = element.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; }"
    )


def test_the_error_note_leads_to_the_field_in_error(page, curator_site, width):
    sign_in(page, curator_site["url"])
    page.goto(f"{curator_site['url']}/admin/studies/study/{curator_site['study'].pk}/change/")
    field = "#id_adverse_events-0-participants_affected"
    page.locator(field).fill("many")
    page.get_by_role("button", name="Save", exact=True).click()
    link = page.get_by_role("link", name="Go to the first error: Adverse events, row 1, Participants affected")
    link.wait_for()
    expect(page.locator(".errornote:visible")).to_have_count(1)
    assert not in_view(page, field)
    page.screenshot(path=SCREENSHOTS / f"admin-error-note-{width}.png")

    link.click()
    assert page.evaluate("document.activeElement.id") == field.removeprefix("#")
    assert in_view(page, field)
    expect(page.locator(f"{field} >> xpath=..").get_by_text("Enter a whole number.")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"admin-error-reached-{width}.png")


def test_a_curator_previews_a_draft_as_the_public_will_see_it(page, curator_site, width):
    # Every request the pages make succeeds, the browser's own request for /favicon.ico included.
    refused = []
    page.on("response", lambda response: response.status >= 400 and refused.append(response.url))
    sign_in(page, curator_site["url"])
    study = curator_site["study"]
    page.goto(f"{curator_site['url']}/admin/studies/study/{study.pk}/change/")
    with page.expect_response(f"**/studies/{study.slug}/preview/") as preview:
        page.get_by_role("link", name="View on site").click()
    assert preview.value.status == 200
    assert preview.value.headers["x-robots-tag"] == "noindex"
    banner = page.get_by_role("status")
    expect(banner).to_be_visible()
    assert banner.inner_text().startswith("Draft preview (draft): only curators can see this page.")
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    assert page.get_by_role("heading", level=1).inner_text() == study.title
    screenshot(page, "draft-preview", width)
    assert_fits_the_screen(page, width)
    assert page.evaluate("fetch('/favicon.ico').then(response => response.headers.get('content-type'))") == (
        "image/svg+xml"
    )
    assert refused == []

    page.context.clear_cookies()
    assert page.goto(f"{curator_site['url']}/studies/{study.slug}/preview/").status == 404


def test_adding_a_study_says_adverse_events_wait_for_its_arms(page, curator_site, width):
    sign_in(page, curator_site["url"])
    page.goto(f"{curator_site['url']}/admin/studies/study/add/")
    # One note per adverse-event row; the admin's script may have added a row by now.
    note = page.get_by_text("Save the study with its arms first; then choose the arm here.").first
    note.scroll_into_view_if_needed()
    expect(note).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"admin-add-study-adverse-events-{width}.png")


def test_the_api_docs_render_under_the_content_security_policy(page, site, width):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.goto(f"{site}/api/docs/")
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for()
    paths = {text.replace("\u200b", "") for text in operations.all_inner_texts()}
    assert {"/api/v1/studies/", "/api/v1/studies/{slug}/", "/api/v1/outcomes/", "/api/v1/adverse-events/"} <= paths
    screenshot(page, "api-docs", width)
    assert not [message for message in messages if "Content Security Policy" in message], messages
