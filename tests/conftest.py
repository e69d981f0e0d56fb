import os
from io import StringIO

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from serving import content
from serving.replicas import read_from
from studies.models import Study
from tests.admin_helpers import make_user
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.factories import make_arm, make_study


@pytest.fixture(autouse=True)
def unhashed_static_files(settings):
    """Tests run with production settings, except that static files are not collected (hashed
    names need `collectstatic`)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production hashing is slow on purpose; tests create many accounts and need no such protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_api_rate_limit(settings):
    """The API's rate limit counts requests in a cache shared by every test of a process; only the
    tests about the limit set one."""
    settings.API_RATE_LIMIT = None


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Pages are filed under the content version, which every test database starts again from: a
    page one test rendered must not answer another's request."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def content_version_follows_each_change(request, monkeypatch):
    """A test's changes sit in a transaction that never commits, so the version would never go up and
    a page made before a change would answer after it. Here every change raises it at once, as a
    curator's commit does; the tests marked `commit_timing` keep the real "once, on commit"."""
    if not request.node.get_closest_marker("commit_timing"):
        monkeypatch.setattr(content, "content_changed", content.bump)


@pytest.fixture(autouse=True)
def reads_on_the_primary(request, settings):
    """Tests read and write the primary inside a transaction no replica can see; only the tests marked
    `replica` (tests/test_replicas.py) send public reads to the replicas."""
    if not request.node.get_closest_marker("replica"):
        settings.DATABASE_REPLICAS = []
    yield
    read_from(None)


@pytest.fixture
def curator_client(client, db):
    """A browser signed in to the admin as a member of the Curator group."""
    client.force_login(make_user("Curator"))
    return client


@pytest.fixture
def publisher_client(client, db):
    """A browser signed in to the admin as a member of the Publisher group."""
    client.force_login(make_user("Publisher"))
    return client


@pytest.fixture
def trial(db):
    """A draft two-arm randomised trial of 40 people, 20 in each arm."""
    study = make_study(
        title="Two-arm trial", status=Study.Status.DRAFT, sample_size=40, design=Study.Design.RANDOMIZED_CONTROLLED
    )
    make_arm(study=study, label="Exosome", participants=20, position=0)
    make_arm(study=study, label="Placebo", participants=20, position=1)
    return study


# The apps whose rows the reference load writes; kept after a process's first load (see below).
REFERENCE_APPS = ("studies", "claims", "serving")
_reference_rows = {}


def _row_counts():
    return {model: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


@pytest.fixture
def reference_studies(db):
    """The reference studies, loaded the way `make run` loads them.

    The first test of each process runs the command; it checks that only the reference apps' tables
    changed and keeps their rows. Later tests get the same rows written back in one insert per table
    (in one transaction: foreign keys are checked at its commit), a tenth of the time of a load.
    """
    if _reference_rows:
        models = list(_reference_rows)
        with transaction.atomic(), connection.cursor() as cursor:
            for model, rows in _reference_rows.items():
                model._base_manager.bulk_create([model(**row) for row in rows])
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        return
    before = _row_counts()
    call_command("load_reference_studies", stdout=StringIO())
    after = _row_counts()
    changed = {model for model in after if after[model] != before[model]}
    if any(model._meta.app_label not in REFERENCE_APPS for model in changed) or any(
        before[model] for model in after if model._meta.app_label in REFERENCE_APPS
    ):
        return  # not a plain load into empty tables: load again next time
    for model in after:
        if model._meta.app_label in REFERENCE_APPS and after[model]:
            fields = [field.attname for field in model._meta.concrete_fields]
            _reference_rows[model] = list(model._base_manager.order_by("pk").values(*fields))


@pytest.fixture
def assert_queries_do_not_grow(django_assert_num_queries):
    """Build data at a small and a large size; visiting the page must make exactly `expected` queries each time."""

    def check(expected, build, visit, sizes=(2, 30)):
        for size in sizes:
            build(size)
            with django_assert_num_queries(expected):
                visit(size)

    return check


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    """Browser tests skipped for want of Chromium are a few "s" among hundreds of dots; say so plainly,
    last, just above the final count (a wrapper that runs first finishes after every other summary)."""
    result = yield
    reasons = {}
    for report in terminalreporter.stats.get("skipped", []):
        if "browser" in getattr(report, "keywords", ()) and isinstance(report.longrepr, tuple):
            reason = report.longrepr[2].removeprefix("Skipped: ")
            reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in reasons.items():
        terminalreporter.write_line(f"BROWSER TESTS SKIPPED ({count}): {reason}", red=True, bold=True)
    return result


@pytest.fixture
def ctgov(settings):
    """A local stand-in for ClinicalTrials.gov, serving the saved records; the tracker is pointed at it."""
    from tests import ctgov_server

    server = ctgov_server.start()
    settings.CTGOV_API_URL = f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    settings.CTGOV_TIMEOUT = 0.5
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, started once per test process and shared by every browser test module."""
    if not CHROMIUM.exists():
        # pytest_terminal_summary repeats this at the end of the run, where nobody can miss it.
        message = f"{CHROMIUM} not found; install it with: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the test database calls it
    # makes are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, width):
    """A fresh tab `width` pixels wide; `page.refusals` collects what the Content-Security-Policy refused."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.refusals = []
    page.on("console", lambda message: "Content-Security-Policy" in message.text and page.refusals.append(message.text))
    yield page
    context.close()
