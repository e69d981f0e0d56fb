"""On PostgreSQL the five tables about studies are written by the database itself (COPY), and a download
is byte for byte the file the Python path writes for the same studies."""

import io
import sys
import zipfile
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studies import exports
from studies.exports import copy
from studies.exports.tables import STUDY_TABLES
from studies.filters import select_studies
from studies.models import AdverseEvent, Source, Study
from studies.site import site_address
from tests.factories import (
    make_adverse_event,
    make_arm,
    make_comparison,
    make_intervention,
    make_measure,
    make_registration,
    make_result,
    make_source,
    make_study,
    make_study_with_everything,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL server the suite runs against"),
]

TABLE_NAMES = [table.name for table in STUDY_TABLES]
FORMULA_PAYLOADS = ['=HYPERLINK("http://x")', "+SUM(1,2)", "-2+3", "@cmd", "\tindent", "\rreturn", "\nline"]
# Text a CSV writer must quote, and text Python's splitlines() and strip() treat specially.
AWKWARD_TEXT = [
    'He said "yes", then no',
    "first line\r\nsecond line",
    "first line\nsecond line",
    "ends with a line break\n",
    "a, b and c",
    "",
    " leading and trailing spaces ",
    "Étude ± µm, 頭髮, 🧴, مرحبا",
    "\\.",
    "'already quoted",
]


def body(response):
    assert response.status_code == 200
    return response.getvalue()  # streamed when made, read from the page cache when kept


def download(client, table, query=""):
    return body(client.get(reverse("studies:export", args=[table]) + query))


def python_download(table, query=""):
    """The table as the Python path writes it for the studies the same query string selects."""
    base_url = site_address(RequestFactory().get("/"))
    studies = select_studies(QueryDict(query.removeprefix("?")))
    return "".join(exports.csv_text(exports.TABLES[table], studies, base_url)).encode()


def assert_same_as_python_path(client, query="", tables=TABLE_NAMES):
    for table in tables:
        downloaded = download(client, table, query)
        assert downloaded == python_download(table, query), table
        assert downloaded.count(b"\r\n") > 1, table  # more than a header


@pytest.mark.parametrize("table", TABLE_NAMES)
@pytest.mark.parametrize("query", ["", "?condition=androgenetic_alopecia", "?design=randomized_controlled&sort=title"])
def test_each_table_of_the_reference_studies_is_the_file_the_python_path_writes(
    client, reference_studies, table, query
):
    downloaded = download(client, table, query)
    assert downloaded == python_download(table, query)
    assert downloaded.count(b"\r\n") > 2


def test_the_zip_holds_the_same_files_as_the_python_path(client, reference_studies):
    query = "?condition=androgenetic_alopecia"
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(reverse("studies:export-zip") + query))))
    assert archive.testzip() is None
    for table in TABLE_NAMES:
        assert archive.read(f"{table}.csv") == python_download(table, query), table


def test_the_admin_export_of_selected_studies_holds_the_same_files_as_the_python_path(
    publisher_client, reference_studies
):
    draft = make_study_with_everything(status=Study.Status.DRAFT, title="=draft")
    published = Study.objects.published().order_by("pk")[:2]
    selected = [draft.pk, *(study.pk for study in published)]
    response = publisher_client.post(
        reverse("admin:studies_study_changelist"), {"action": "export_selected_studies", "_selected_action": selected}
    )
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    base_url = site_address(RequestFactory().get("/"))
    for table in TABLE_NAMES:
        expected = "".join(exports.csv_text(exports.TABLES[table], Study.objects.filter(pk__in=selected), base_url))
        assert archive.read(f"{table}.csv") == expected.encode(), table
    assert b"=draft" in archive.read("studies.csv")


def make_hostile_study(texts, **overrides):
    """A study and all its parts, their text fields holding `texts` in turn."""
    texts = iter(texts * 20)
    study = make_study(
        title=next(texts),
        country=next(texts),
        condition_detail=next(texts),
        sponsor=next(texts),
        summary=next(texts),
        curation_note=next(texts),
        adverse_event_note=next(texts),
        follow_up=next(texts)[:100],
        age_min="18.0",
        age_mean="1E+1",
        age_max=None,
        **overrides,
    )
    make_source(study, relation=Source.Relation.SECONDARY_REVIEW, citation=next(texts), doi="10.1000/review")
    # The study's own source is its first primary results, though its protocol comes first.
    make_source(study, relation=Source.Relation.PROTOCOL, citation=next(texts), position=0)
    make_source(study, relation=Source.Relation.PRIMARY_RESULTS, citation="a later primary source", position=2)
    make_source(
        study, relation=Source.Relation.PRIMARY_RESULTS, citation=next(texts), authors=next(texts)[:300], position=1
    )
    make_registration(study, identifier=f"NCT{study.pk:08d}")
    make_registration(study, identifier=f"ACTRN{study.pk:014d}")
    treated = make_arm(study, label=next(texts), description=next(texts), position=1)
    untreated = make_arm(study, label=next(texts), position=0, participants=None)
    make_arm(study, label="no interventions", position=2)
    make_intervention(treated, product=next(texts), dose=next(texts), position=1)
    make_intervention(treated, product="", dose="", regimen=next(texts), exosome_source="", position=0)
    make_intervention(untreated, product=next(texts))
    measure = make_measure(study, name=next(texts), method=next(texts), unit=next(texts))
    # Results of one position are ordered by their time point as the database orders text ("10" before "9").
    for position, arm in [(2, treated), (1, untreated), (0, None)]:
        results = {"measure": measure, "arm": arm, "position": position}
        make_result(**results, timepoint_value="9", result_text=next(texts), p_value=next(texts)[:30])
        make_result(**results, timepoint_value="10", class_title=next(texts), baseline="3", follow_up="4")
        make_result(**results, timepoint_value=None, statistic_detail=next(texts), baseline="8", follow_up="9")
    make_comparison(measure, description=next(texts), result_text=next(texts), timepoint_value="10", value="-0.5")
    make_comparison(measure, description=next(texts), result_text=next(texts), estimate_type=next(texts))
    make_adverse_event(study, arm=treated, term=next(texts), note=next(texts), serious=True)
    make_adverse_event(study, arm=None, term="Headache", serious=False)
    make_adverse_event(study, arm=untreated, term="Headache", serious=None, participants_affected=None)
    make_adverse_event(study, arm=untreated, term="Alopecia", severity=AdverseEvent.Severity.MILD)
    return study


def test_hostile_text_is_written_as_the_python_path_writes_it(client):
    for payloads in (FORMULA_PAYLOADS, AWKWARD_TEXT, AWKWARD_TEXT[::-1] + FORMULA_PAYLOADS):
        make_hostile_study(payloads)
    lines = "\n \u00a0first\u3000\r\n \t\u00a0\r\n\tsecond\u2028third\x85fourth\x0bfifth\x1c\n=sixth\n\n"
    make_hostile_study(AWKWARD_TEXT, discrepancies=lines)
    Source.objects.filter(relation=Source.Relation.PRIMARY_RESULTS).update(urls=lines)
    reviewed_only = make_study(title="Known only through a review")
    make_source(reviewed_only, relation=Source.Relation.SECONDARY_REVIEW, citation="Second review", position=1)
    make_source(reviewed_only, relation=Source.Relation.SECONDARY_REVIEW, citation="First review", doi="10.1000/1")
    make_study(title="Unpublished =draft", status=Study.Status.DRAFT)
    # One change time on a whole second, which isoformat() writes without microseconds.
    Study.objects.filter(pk=reviewed_only.pk).update(updated_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))

    assert_same_as_python_path(client)
    assert_same_as_python_path(client, "?condition=androgenetic_alopecia&q=first")
    studies = download(client, "studies").decode()
    assert "'=HYPERLINK" in studies and '"first line\r\nsecond line"' in studies
    assert "first | second | third | fourth | fifth | =sixth" in studies
    assert ",2025-01-02T03:04:05+00:00\r\n" in studies


def test_numbers_and_computed_percent_changes_are_written_as_the_python_path_writes_them(client):
    measure = make_measure(make_study(slug="numbers", title="Growth by 50% in 12 weeks"))
    for position, (baseline, follow_up) in enumerate(
        [
            ("3", "4"),  # 33.333... -> 33.33
            ("8", "9"),  # 12.5
            ("200", "201.01"),  # 0.505 exactly: half away from zero -> 0.51
            ("200", "198.99"),  # -0.505 -> -0.51
            ("1000", "999.99999"),  # -0.000001 rounds to minus zero, written 0
            ("1.50", "3.00"),  # 100, without trailing zeros
            ("0.000001", "9999999999.999999"),  # the largest change the fields can hold
            ("-4", "-2"),  # -50
            ("0", "5"),  # no percent change of a zero baseline
            ("0.00", "5"),
            ("-0", "5"),
            (None, "5"),
            ("5", None),
        ]
    ):
        make_result(measure, position=position, statistic="mean", value="0.10", baseline=baseline, follow_up=follow_up)
    make_result(measure, position=20, statistic="percent_change", value="12.50", baseline="8", follow_up="9")
    make_result(measure, position=21, value="1E+2", dispersion_value="-0", dispersion_lower="1.5E-3", n_analysed=0)
    make_comparison(measure, value="1E+2", dispersion_lower="-0.000", dispersion_upper="0.10", timepoint_value="0")
    # Text the application would have stored plainly, written into the database past it: a result's
    # numbers are written as the driver returns them, a comparison's and the ages as the ORM reads them.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE studies_outcomeresult SET value = '1E+2', dispersion_value = '-0', timepoint_value = '2.50E+1',"
            " baseline = '1E+1', follow_up = '1.5E+1' WHERE position = 21"
        )
        cursor.execute(
            "UPDATE studies_armcomparison SET value = '1E+2', dispersion_lower = '-0.000', timepoint_value = '1.0E-7'"
        )
        cursor.execute(
            "UPDATE studies_study SET age_min = '1E+1', age_max = '1.0E+2', age_mean = '-0', age_median = '.5'"
        )

    assert_same_as_python_path(client, tables=["studies", "outcomes"])
    assert_same_as_python_path(client, "?q=50%25", tables=["studies", "outcomes"])
    outcomes = download(client, "outcomes").decode().splitlines()
    computed = [line.split(",")[20] for line in outcomes if "-percent-change," in line]
    assert computed == ["33.33", "12.5", "0.51", "-0.51", "0", "100", "999999999999999800", "-50", "50"]


def test_the_header_arrives_before_any_query_and_the_rows_follow_in_pieces(client, monkeypatch):
    monkeypatch.setattr(copy, "PIECE_SIZE", 1000)
    for _ in range(5):
        make_study_with_everything()
    response = client.get(reverse("studies:export", args=["outcomes"]))
    assert response.streaming
    pieces = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(pieces)
    assert first == (",".join(exports.TABLES["outcomes"].header) + "\r\n").encode()
    assert len(queries) == 0
    rest = list(pieces)
    assert len(rest) > 3
    assert first + b"".join(rest) == python_download("outcomes")


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_each_table_is_one_query_for_few_or_many_studies(client, django_assert_num_queries, table):
    # The content version, then the COPY.
    make_study_with_everything()
    with django_assert_num_queries(2):
        download(client, table)
    for _ in range(10):
        make_study_with_everything()
    with django_assert_num_queries(2):
        assert download(client, table).count(b"\r\n") > 11


def test_the_zip_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # The content version, one COPY per table about studies, 7 for the appraisals, the evidence and
    # the claims.
    make_study_with_everything()
    with django_assert_num_queries(13):
        body(client.get(reverse("studies:export-zip")))
    for _ in range(10):
        make_study_with_everything()
    with django_assert_num_queries(13):
        body(client.get(reverse("studies:export-zip")))


def test_a_selection_of_no_studies_is_the_header_alone(client):
    make_study_with_everything()
    for table in TABLE_NAMES:
        downloaded = download(client, table, "?year_min=2100")
        assert downloaded == python_download(table, "?year_min=2100")
        assert downloaded.count(b"\r\n") == 1
        assert b"".join(copy.csv_pieces(exports.TABLES[table], Study.objects.none(), "")) == downloaded


@pytest.mark.django_db(transaction=True)
def test_a_download_abandoned_part_way_leaves_the_next_one_whole(client, monkeypatch):
    monkeypatch.setattr(copy, "PIECE_SIZE", 200)
    for _ in range(30):
        make_study_with_everything()
    response = client.get(reverse("studies:export", args=["outcomes"]))
    pieces = iter(response.streaming_content)
    next(pieces)
    assert b"result-" in next(pieces)
    response.close()  # as when the client goes away
    assert download(client, "outcomes") == python_download("outcomes")


def test_the_whitespace_and_line_breaks_the_queries_strip_are_pythons():
    characters = [chr(code) for code in range(sys.maxunicode + 1)]
    whitespace = "".join(character for character in characters if character.isspace())
    line_breaks = "".join(character for character in characters if len(f"a{character}b".splitlines()) == 2)
    assert (whitespace, line_breaks) == (copy.PYTHON_WHITESPACE, copy.PYTHON_LINE_BREAKS)
