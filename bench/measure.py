"""Measure the public list, a detail page, the API list and detail, the admin list and the outcomes export
on one database.

Run by `make bench` (bench/run.py) once per database size, with DATABASE_URL naming the database;
prints one JSON object:

    DATABASE_URL=sqlite:///.bench/studies-1000.sqlite3 .venv/bin/python bench/measure.py --list-query "sort=title"
"""

import argparse
import csv
import io
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from unittest import mock

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from django.conf import settings  # noqa: E402  (after django.setup())
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from serving import pages  # noqa: E402
from studies.models import Study  # noqa: E402

# The rows of outcomes.csv, produced the fastest plain way: one query, csv.writer.
RAW_OUTCOMES_SQL = """
SELECT 'result-' || r.id, s.slug, m.id, m.name, m.category, m.role, m.method, m.unit, m.timepoints,
       CASE WHEN r.arm_id IS NULL THEN 'whole_study' ELSE 'arm' END, r.arm_id, a.label, r.id,
       r.timepoint_value, r.timepoint_unit, r.timepoint_label, r.statistic, r.value, r.baseline,
       r.follow_up, r.dispersion_type, r.dispersion_value, r.dispersion_lower, r.dispersion_upper,
       r.n_analysed, r.p_value, r.direction, r.significance, r.result_text, '', 'reported'
FROM studies_outcomeresult r
JOIN studies_outcomemeasure m ON m.id = r.measure_id
JOIN studies_study s ON s.id = m.study_id
LEFT JOIN studies_arm a ON a.id = r.arm_id
WHERE s.status = 'published'
ORDER BY s.id, m.position, m.id, r.position, r.id
"""
# Tests and this measurement run without `collectstatic`.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class Discard(io.RawIOBase):
    def writable(self):
        return True

    def write(self, data):
        return len(data)


def median_ms(client, url, repeat):
    client.get(url)  # warm caches once, as a server that has been running would be
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return round(statistics.median(timings), 2)


def uncached():
    """Every cache a no-op, so that a page is computed in full as on its first request."""
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    return override_settings(CACHES=dict.fromkeys(settings.CACHES, dummy))


def without_page_cache():
    """Pages made on every request; the parts of pages kept on their own (the study list's filter form
    and its counts) still come from the cache, as on a second page of the same filters."""
    keep_parts = pages.kept
    return mock.patch.object(pages, "kept", lambda key: None if key.startswith("page:") else keep_parts(key))


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def busy_study():
    """A study with 3 arms, 4 measures and adverse events, as the benchmark asks."""
    return (
        Study.objects.published()
        .filter(pk__in=Study.objects.order_by("pk").values("pk")[:5000])
        .annotate(
            arm_count=Count("arms", distinct=True),
            measure_count=Count("measures", distinct=True),
            event_count=Count("adverse_events", distinct=True),
        )
        .filter(Q(arm_count=3, measure_count=4, event_count__gt=0))
        .order_by("pk")
        .first()
    )


def export_outcomes(client):
    """Stream outcomes.csv to the end; returns (rows, seconds)."""
    start = time.perf_counter()
    response = client.get(reverse("studies:export", args=["outcomes"]))
    line_ends = sum(chunk.count(b"\r\n") for chunk in response.streaming_content)
    return line_ends - 1, time.perf_counter() - start


def export_first_pieces_ms(client, repeat):
    """Medians of the time from asking for outcomes.csv to its first piece (`first_byte`) and to the first
    piece holding a row (`first_row`): how soon a download starts. Each download is then abandoned."""
    url = reverse("studies:export", args=["outcomes"])
    first_byte, first_row = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        pieces = iter(response.streaming_content)
        line_ends = next(pieces).count(b"\r\n")
        first_byte.append((time.perf_counter() - start) * 1000)
        while line_ends < 2:  # the header's, then a row's
            line_ends += next(pieces).count(b"\r\n")
        first_row.append((time.perf_counter() - start) * 1000)
        response.close()
    return round(statistics.median(first_byte), 2), round(statistics.median(first_row), 2)


def raw_outcomes():
    """The same rows through one SQL query and csv.writer; returns (rows, seconds)."""
    start = time.perf_counter()
    sink = io.TextIOWrapper(Discard(), encoding="utf-8", newline="")
    writer = csv.writer(sink, lineterminator="\r\n")
    rows = 0
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY ({RAW_OUTCOMES_SQL}) TO STDOUT WITH CSV") as copy:
            for block in copy:
                rows += bytes(block).count(b"\n")
    else:
        cursor = raw.cursor()
        cursor.execute(RAW_OUTCOMES_SQL)
        while batch := cursor.fetchmany(5000):
            writer.writerows(batch)
            rows += len(batch)
    return rows, time.perf_counter() - start


def bench_publisher():
    user, _ = User.objects.get_or_create(username="bench-publisher", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Publisher"))
    return user


# No API rate limit: the benchmark is one client asking many times on purpose.
@override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=PLAIN_STATIC, DEBUG=False, API_RATE_LIMIT=None)
def measure(list_query, repeat):
    client = Client()
    list_url = f"{reverse('studies:list')}?{list_query}"
    study = busy_study()
    detail_url = study.get_absolute_url()
    with without_page_cache():
        export_rows, export_seconds = export_outcomes(client)
    raw_rows, raw_seconds = raw_outcomes()
    admin_client = Client()
    admin_client.force_login(bench_publisher())
    admin_url = reverse("admin:studies_study_changelist")
    # The API pages by cursor, not by number: the first page of the same filters and sort.
    api_query = "&".join(part for part in list_query.split("&") if not part.startswith("page="))
    api_list_url = f"{reverse('api:study-list')}?{api_query}"
    api_detail_url = reverse("api:study-detail", args=[study.slug])
    with uncached():
        list_facets_ms = median_ms(client, list_url, repeat)
        list_facets_queries = query_count(client, list_url)
    figures = {
        # Served from the page cache: what most readers get.
        "list_cached_ms": median_ms(client, list_url, repeat),
        "list_cached_queries": query_count(client, list_url),
        "detail_cached_ms": median_ms(client, detail_url, repeat),
    }
    with without_page_cache():
        figures.update(pages_made_in_full(client, list_url, detail_url, repeat))
        first_byte_ms, first_row_ms = export_first_pieces_ms(client, repeat=5)
    return {
        "studies": Study.objects.count(),
        "list_facets_ms": list_facets_ms,
        "list_facets_queries": list_facets_queries,
        **figures,
        "detail_study": study.slug,
        **api_and_admin(client, admin_client, api_list_url, api_detail_url, admin_url, repeat),
        "export_rows": export_rows,
        "export_rows_per_s": round(export_rows / export_seconds),
        "export_first_byte_ms": first_byte_ms,
        "export_first_row_ms": first_row_ms,
        "raw_rows": raw_rows,
        "raw_rows_per_s": round(raw_rows / raw_seconds),
    }


def pages_made_in_full(client, list_url, detail_url, repeat):
    return {
        # The list page made afresh, its filter form and counts from the cache.
        "list_ms": median_ms(client, list_url, repeat),
        "list_queries": query_count(client, list_url),
        "detail_ms": median_ms(client, detail_url, repeat),
        "detail_queries": query_count(client, detail_url),
    }


def api_and_admin(client, admin_client, api_list_url, api_detail_url, admin_url, repeat):
    return {
        "api_list_ms": median_ms(client, api_list_url, repeat),
        "api_list_queries": query_count(client, api_list_url),
        "api_detail_ms": median_ms(client, api_detail_url, repeat),
        "api_detail_queries": query_count(client, api_detail_url),
        "admin_list_ms": median_ms(admin_client, admin_url, repeat),
        "admin_list_queries": query_count(admin_client, admin_url),
    }


@override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=PLAIN_STATIC, DEBUG=False)
def export_only():
    rows, seconds = export_outcomes(Client())
    return {"rows": rows, "seconds": round(seconds, 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list-query", default="", help="Query string of the list page to measure.")
    parser.add_argument("--repeat", type=int, default=20, help="Requests per page (the median is kept).")
    parser.add_argument("--export-only", action="store_true", help="Only stream outcomes.csv to the end (for memory).")
    arguments = parser.parse_args()
    warnings.filterwarnings("ignore", "No directory at")  # static files are not collected here
    figures = export_only() if arguments.export_only else measure(arguments.list_query, arguments.repeat)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
