"""The downloads: CSV tables of any set of studies, streamed a chunk of studies at a time (on PostgreSQL
the tables about studies are written by the database itself, see copy.py), and a zip of them with its
Frictionless Data Package description."""

import csv
import io
import json
import time
import zipfile
from operator import itemgetter

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone

from studies.exports import copy
from studies.exports.evidence import EVIDENCE_TABLES
from studies.exports.rows import FORMULA_TRIGGERS, LIST_SEPARATOR
from studies.exports.tables import STUDY_TABLES
from studies.models import plain_number
from studies.site import site_address

__all__ = [
    "FORMULA_TRIGGERS",
    "LIST_SEPARATOR",
    "TABLES",
    "csv_response",
    "register_tables",
    "table_rows",
    "zip_response",
]

TABLES = {table.name: table for table in (*STUDY_TABLES, *EVIDENCE_TABLES)}


def register_tables(*tables):
    """Add another app's tables to the downloads, datapackage.json and /data/, after these; the claims
    app does so from its AppConfig.ready(), so that studies imports nothing of it."""
    for table in tables:
        TABLES[table.name] = table


# Studies fetched per round of queries: every table costs a fixed number of queries per chunk,
# so memory and query count stay bounded whatever the number of studies.
CHUNK_SIZE = 500
_TRIGGER_CHARACTERS = frozenset(FORMULA_TRIGGERS)
PACKAGE_NAME = "hair-loss-evidence"
PACKAGE_TITLE = "Clinical evidence on exosome therapy for hair loss"
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


def boolean_cell(value):
    return "" if value is None or value == "" else ("true" if value else "false")


def datetime_cell(value):
    return "" if value is None or value == "" else value.isoformat()


class CellWriter:
    """Turns a table's row dicts into CSV cells.

    The csv module already writes None as an empty cell and integers plainly, so only text
    (formula neutralising), numbers (plain notation) and the rare booleans and datetimes need
    work. Columns are sorted into those groups once per table, not once per cell: the outcomes
    table has millions of cells.
    """

    def __init__(self, columns):
        self.names = [column.name for column in columns]
        self.getter = itemgetter(*self.names)
        self.text = [i for i, column in enumerate(columns) if column.type == "string"]
        self.numbers = [i for i, column in enumerate(columns) if column.type == "number"]
        converters = {"boolean": boolean_cell, "datetime": datetime_cell}
        self.others = [(i, converters[column.type]) for i, column in enumerate(columns) if column.type in converters]

    def cells(self, row):
        try:
            cells = list(self.getter(row))
        except KeyError:  # a row that leaves some columns empty
            cells = [row.get(name) for name in self.names]
        for i in self.text:
            value = cells[i]
            if value:  # None and "" are written as empty cells as they are
                if not isinstance(value, str):
                    value = cells[i] = str(value)
                # Choices members are str already, and written as their code.
                if value[0] in _TRIGGER_CHARACTERS:
                    cells[i] = "'" + value
        for i in self.numbers:
            value = cells[i]
            # Stored numbers arrive from the driver as the plain text they were saved as, and the
            # csv module writes integers itself: only computed Decimals (a percent change) need it.
            if value is not None and value.__class__ is not str and value.__class__ is not int:
                cells[i] = plain_number(value)
        for i, convert in self.others:
            cells[i] = convert(cells[i])
        return cells


def chunks_of(studies):
    """The ids of the given studies, in id order, a chunk at a time (keyset pagination)."""
    last_id = 0
    while True:
        ids = list(studies.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:CHUNK_SIZE])
        if ids:
            yield ids
        if len(ids) < CHUNK_SIZE:
            return
        last_id = ids[-1]


def with_addresses(table, rows, base_url):
    """Addresses on this site are made absolute: a downloaded file is read away from the site, so a
    bare path would lead nowhere."""
    addresses = table.site_addresses
    if not addresses:
        return rows
    return (row | {name: base_url + row[name] for name in addresses} for row in rows)


def chunk_rows(table, study_ids, base_url):
    return with_addresses(table, table.rows(study_ids), base_url)


def batches(table, studies, base_url):
    """The table's rows a chunk of studies at a time; a table about all published studies together
    (not per_study) is one batch, the same whatever studies are selected."""
    if not table.per_study:
        yield with_addresses(table, table.rows(), base_url)
        return
    for study_ids in chunks_of(studies):
        yield chunk_rows(table, study_ids, base_url)


def table_rows(table, studies, base_url):
    for rows in batches(table, studies, base_url):
        yield from rows


def csv_text(table, studies, base_url):
    """The table as CSV text, one piece per chunk of studies."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    cell_writer = CellWriter(table.columns)
    for rows in batches(table, studies, base_url):
        writer.writerows(map(cell_writer.cells, rows))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def csv_bytes(table, studies, base_url):
    """The table as CSV, in pieces: written by PostgreSQL itself for the large tables about studies
    (studies/exports/copy.py), by csv_text otherwise."""
    if copy.writes(table, studies):
        return copy.csv_pieces(table, studies, base_url)
    return (text.encode() for text in csv_text(table, studies, base_url))


def download_time():
    return timezone.now()  # UTC: a file's date does not depend on where the server or reader is


def download_name(*parts, day):
    """A download's file name, dated: two downloads of a changing record are told apart on disk."""
    return "-".join([PACKAGE_NAME, *parts, day.isoformat()])


def how_to_cite(base_url, day):
    downloaded = day.isoformat()
    return f"{settings.SITE_NAME}. {PACKAGE_TITLE}. {base_url}/ (data downloaded {downloaded}). Licence: CC BY 4.0."


def data_package(base_url, downloaded_at):
    """The Frictionless Data Package describing the tables, their keys and their joins, the data's
    licence and how to cite it."""
    citation = how_to_cite(base_url, downloaded_at.date())
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": settings.SITE_NAME,
        "description": (
            f"{PACKAGE_TITLE}, as recorded by the {settings.SITE_NAME}; downloaded on "
            f"{downloaded_at.date().isoformat()} (UTC). Shared under the Creative Commons Attribution 4.0 "
            f"licence. Cite as: {citation} Please cite the studies you use as well; their citations are in "
            "studies.csv and sources.csv."
        ),
        "citation": citation,
        "homepage": f"{base_url}/",
        "created": downloaded_at.isoformat(timespec="seconds"),
        "licenses": [LICENSE],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name,
                "path": table.filename,
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True},
                "schema": {
                    "fields": [
                        {
                            "name": column.name,
                            "type": column.type,
                            "description": column.description,
                            **({"unit": column.unit} if column.unit else {}),
                            **column.constraints,
                        }
                        for column in table.columns
                    ],
                    "missingValues": [""],
                    "primaryKey": [table.primary_key],
                    "foreignKeys": [
                        {"fields": [key.column], "reference": {"resource": key.table, "fields": [key.reference]}}
                        for key in table.foreign_keys
                    ],
                },
            }
            for table in TABLES.values()
        ],
    }


class _Pipe(io.RawIOBase):
    """A write-only stream the zip is written into and emptied from as it grows.

    Not seekable, so zipfile writes each member's sizes after its data and never goes back:
    the archive streams out without being held in memory or on disk.
    """

    def __init__(self):
        super().__init__()
        self.pieces = []

    def writable(self):
        return True

    def write(self, data):
        self.pieces.append(bytes(data))
        return len(data)

    def take(self):
        data = b"".join(self.pieces)
        self.pieces.clear()
        return data


def zip_bytes(studies, base_url, downloaded_at):
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES.values():
            member_info = zipfile.ZipInfo(table.filename, date_time=time.localtime()[:6])
            member_info.compress_type = zipfile.ZIP_DEFLATED
            # force_zip64: a member's size is unknown when its header is written.
            with archive.open(member_info, "w", force_zip64=True) as member:
                for piece in csv_bytes(table, studies, base_url):
                    member.write(piece)
                    yield pipe.take()
        package = data_package(base_url, downloaded_at)
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
    yield pipe.take()


def csv_response(table, studies, request):
    response = StreamingHttpResponse(
        csv_bytes(table, studies, site_address(request)), content_type="text/csv; charset=utf-8"
    )
    name = download_name(table.name, day=download_time().date())
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def zip_response(studies, request):
    downloaded_at = download_time()
    response = StreamingHttpResponse(
        zip_bytes(studies, site_address(request), downloaded_at), content_type="application/zip"
    )
    # Inside the zip the tables keep their plain names, which datapackage.json refers to.
    response["Content-Disposition"] = f'attachment; filename="{download_name(day=downloaded_at.date())}.zip"'
    return response
