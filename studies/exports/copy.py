"""The five tables about studies and their parts, written by PostgreSQL: one
`COPY (SELECT ...) TO STDOUT (FORMAT csv)` per table, streamed on as the rows arrive.

The files are byte for byte those the Python path writes (csv_text, CellWriter and the row functions
of rows.py) for the same studies: the queries select the studies the same queryset selects, order
the rows the same way and write every cell as CellWriter does. PostgreSQL's CSV and Python's csv
module quote the same characters (comma, double quote, carriage return, line feed) the same way; what
differs is bridged here: PostgreSQL writes an empty string as "" where Python writes an empty cell (so
empty text is written as NULL), booleans as t/f, and ends a row with \\n instead of \\r\\n.

The appraisals, the evidence and the claims tables keep the Python path on every database: their rows
are few (a handful per study at most, or one per outcome summary or claim) and their order and labels
come from the tools and codes defined in Python. SQLite keeps the Python path for every table.
"""

import csv
import io

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.urls import reverse

from studies.exports.rows import (
    FORMULA_TRIGGERS,
    INTERVENTION_LISTS,
    LIST_SEPARATOR,
    OWN_SOURCE_PREFERENCE,
    AdverseEventRowType,
    Scope,
    ValueOrigin,
)
from studies.exports.tables import ADVERSE_EVENTS, ARMS, OUTCOMES, SOURCES, STUDIES
from studies.models import OutcomeResult, Source

# Rows are passed on in pieces of about this many bytes: few writes to the client, flat memory.
PIECE_SIZE = 64 * 1024


def select(table, cells, order_by, source):
    """SELECT the keys the rows are sorted by, then the table's columns, in its order (NULL for those this
    part of the table leaves empty)."""
    keys = [f"{expression} AS {name}" for name, expression in order_by.items()]
    columns = [f'{cells.get(column.name, "NULL")} AS "{column.name}"' for column in table.columns]
    return "SELECT " + ",\n       ".join(keys + columns) + "\n" + source


def stripped_lines(text, separator):
    """Python's `separator.join(line.strip() for line in text.splitlines() if line.strip())`. Every line
    break splitlines() knows is whitespace too, so splitting on each one alone gives the same lines."""
    return f"""(
        SELECT string_agg(btrim(line, %(whitespace)s), {separator} ORDER BY number)
        FROM regexp_split_to_table({text}, %(line_break)s) WITH ORDINALITY AS lines (line, number)
        WHERE btrim(line, %(whitespace)s) <> ''
    )"""


def as_decimal_text(number):
    """A stored number as the ORM reads it (a Decimal) and plain_number writes it: numeric's own text
    is the same plain notation, and it has no minus zero."""
    return f"{number}::numeric::text"


def cell(column):
    """One CSV cell as CellWriter writes it."""
    value = f'data."{column.name}"'
    if column.type == "string":
        # An empty text is written as an empty cell, as an unknown one is: PostgreSQL would write "".
        return (
            f"CASE WHEN {value} = '' THEN NULL "
            f"WHEN ascii({value}) <= %(last_formula_trigger_code)s AND ascii({value}) = ANY(%(formula_trigger_codes)s) "
            f"THEN '''' || {value} ELSE {value} END"
        )
    if column.type == "number":
        return f"NULLIF({value}, '')"
    if column.type == "boolean":
        return f"CASE WHEN {value} THEN 'true' WHEN NOT {value} THEN 'false' END"
    if column.type == "datetime":
        # Python's isoformat() of a UTC time: the microseconds only when there are any.
        return (
            f"""replace(to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '.000000', '')"""
            " || '+00:00'"
        )
    return value


def copy_query(table, source, order_by):
    """SELECT the table's cells, written as CellWriter writes them, from `source`: rows named `data` that
    hold the table's columns."""
    cells = ",\n       ".join(cell(column) for column in table.columns)
    return f"SELECT {cells}\n{source}\nORDER BY {', '.join(order_by)}"


def subquery(rows):
    return f"FROM (\n{rows}\n) AS data"


SELECTED = "(SELECT id FROM selected_studies)"


def studies_query():
    cells = {column.name: f's."{column.name}"' for column in STUDIES.columns}
    cells |= {column.name: as_decimal_text(cells[column.name]) for column in STUDIES.columns if column.type == "number"}
    cells |= {
        "study_slug": "s.slug",
        "public_url": "%(study_address_start)s || s.slug || %(study_address_end)s",
        "citation": "own.citation",
        "doi": "own.doi",
        "pmid": "own.pmid",
        "pmcid": "own.pmcid",
        "secondary_source": "review.citation",
        "secondary_source_doi": "review.doi",
        "registry_ids": """(
            SELECT string_agg(registration.identifier, %(list_separator)s ORDER BY registration.identifier)
            FROM studies_registration AS registration
            WHERE registration.study_id = s.id
        )""",
        "discrepancies": stripped_lines("s.discrepancies", "%(list_separator)s"),
        "workflow_status": "s.status",
    }
    # The study's own source is the first of its most preferred relation; a review names a study
    # only when it has no source of its own.
    source = f"""FROM studies_study AS s
LEFT JOIN LATERAL (
    SELECT own.id, own.citation, own.doi, own.pmid, own.pmcid
    FROM studies_source AS own
    WHERE own.study_id = s.id AND own.relation = ANY(%(own_source_preference)s)
    ORDER BY array_position(%(own_source_preference)s, own.relation::text), own.position, own.id
    LIMIT 1
) AS own ON true
LEFT JOIN LATERAL (
    SELECT review.citation, review.doi
    FROM studies_source AS review
    WHERE review.study_id = s.id AND review.relation = %(secondary_review)s AND own.id IS NULL
    ORDER BY review.position, review.id
    LIMIT 1
) AS review ON true
WHERE s.id IN {SELECTED}"""
    rows = select(STUDIES, cells, {"order_study": "s.id"}, source)
    return copy_query(STUDIES, subquery(rows), ["data.order_study"])


def arms_query():
    lists = ",\n        ".join(
        f"string_agg(part.{field}, %(list_separator)s ORDER BY part.position, part.id) AS {column}"
        for column, field in INTERVENTION_LISTS.items()
    )
    cells = {
        "arm_id": "a.id",
        "study_slug": "s.slug",
        "arm_label": "a.label",
        "role": "a.role",
        "participants": "a.participants",
        "description": "a.description",
        "intervention_count": "parts.intervention_count",
        **{column: f"parts.{column}" for column in INTERVENTION_LISTS},
    }
    source = f"""FROM studies_arm AS a
JOIN studies_study AS s ON s.id = a.study_id
CROSS JOIN LATERAL (
    SELECT count(*) AS intervention_count,
        {lists}
    FROM studies_intervention AS part
    WHERE part.arm_id = a.id
) AS parts
WHERE a.study_id IN {SELECTED}"""
    order_by = {"order_study": "a.study_id", "order_position": "a.position", "order_id": "a.id"}
    rows = select(ARMS, cells, order_by, source)
    return copy_query(ARMS, subquery(rows), ["data.order_study", "data.order_position", "data.order_id"])


MEASURE_CELLS = {
    "study_slug": "s.slug",
    "measure_id": "m.id",
    "measure_name": "m.name",
    "category": "m.category",
    "measure_role": "m.role",
    "method": "m.method",
    "unit": "m.unit",
    "measure_timepoints": "m.timepoints",
}
# A measure's results, each with its arm.
RESULTS = """FROM studies_outcomeresult AS r
LEFT JOIN studies_arm AS a ON a.id = r.arm_id"""
# (follow-up - baseline) / baseline x 100, rounded to 2 places with halves away from zero and written
# without trailing zeros, as percent_change_between and rounded_percent compute it. Python's decimal
# rounds the quotient to 28 significant digits first; for numbers of at most 16 digits (all the fields
# allow) that never moves a result across a half, so the quotient is taken here to 30 places, far
# closer than any half it could be near.
PERCENT_CHANGE = "trim_scale(round(change.percent, 2))::text"
CHANGE = """CROSS JOIN LATERAL (
    SELECT round((r.follow_up::numeric - r.baseline::numeric) * 100, 30) / NULLIF(r.baseline::numeric, 0) AS percent
) AS change"""


def outcomes_query():
    # A result's numbers are written as the database driver returns them (see driver_rows), a
    # comparison's as the ORM reads them.
    result = {
        **MEASURE_CELLS,
        "row_id": "'result-' || r.id",
        "scope": "CASE WHEN r.arm_id IS NULL THEN %(scope_whole_study)s ELSE %(scope_arm)s END",
        "arm_id": "r.arm_id",
        "arm_label": "a.label",
        "result_id": "r.id",
        **{field: f"r.{field}" for field in OutcomeResult.REPORTED_FIELDS},
        "value_origin": "%(reported)s",
    }
    computed = result | {
        "row_id": "'result-' || r.id || '-percent-change'",
        "statistic": "%(percent_change)s",
        "value": PERCENT_CHANGE,
        "dispersion_type": "''",
        "dispersion_value": "NULL",
        "dispersion_lower": "NULL",
        "dispersion_upper": "NULL",
        "p_value": "''",
        "significance": "''",
        "result_text": "''",
        "value_origin": "%(computed)s",
    }
    comparison = {
        **MEASURE_CELLS,
        "row_id": "'comparison-' || c.id",
        "scope": "%(scope_between_arms)s",
        "timepoint_value": as_decimal_text("c.timepoint_value"),
        "timepoint_unit": "c.timepoint_unit",
        "timepoint_label": "c.timepoint_label",
        "statistic_detail": "c.estimate_type",
        "value": as_decimal_text("c.value"),
        "dispersion_type": "c.dispersion_type",
        "dispersion_detail": "c.dispersion_detail",
        "dispersion_lower": as_decimal_text("c.dispersion_lower"),
        "dispersion_upper": as_decimal_text("c.dispersion_upper"),
        "p_value": "c.p_value",
        "direction": "c.direction",
        "significance": "c.significance",
        "result_text": "c.result_text",
        "comparison": "c.description",
        "value_origin": "%(reported)s",
    }
    # Per measure: its results, each followed by its computed percent change, then its comparisons.
    result_order = {
        "order_part": "0",
        "order_position": "r.position",
        "order_timepoint": "r.timepoint_value",
        "order_id": "r.id",
        "order_computed": "0",
    }
    comparison_order = {
        "order_part": "1",
        "order_position": "0",
        "order_timepoint": "c.timepoint_value",
        "order_id": "c.id",
        "order_computed": "0",
    }
    rows = "\nUNION ALL\n".join(
        [
            select(OUTCOMES, result, result_order, f"{RESULTS}\nWHERE r.measure_id = m.id"),
            select(
                OUTCOMES,
                computed,
                result_order | {"order_computed": "1"},
                f"""{RESULTS}
{CHANGE}
WHERE r.measure_id = m.id
    AND r.statistic <> %(percent_change)s
    AND r.baseline IS NOT NULL AND r.follow_up IS NOT NULL AND r.baseline::numeric <> 0""",
            ),
            select(
                OUTCOMES, comparison, comparison_order, "FROM studies_armcomparison AS c\nWHERE c.measure_id = m.id"
            ),
        ]
    )
    # Read measure by measure in their order, the rows need sorting only within each study, and they
    # stream out from the first study on; one sort of the whole table would come before the first row.
    # They are sorted before their cells are written, with the sort keys first: quicker to compare.
    order_by = [
        "order_study",
        "order_measure_position",
        "order_measure",
        "order_part",
        "order_position",
        "order_timepoint NULLS LAST",
        "order_id",
        "order_computed",
    ]
    measures = f"""SELECT m.study_id AS order_study, m.position AS order_measure_position, m.id AS order_measure, data.*
FROM studies_outcomemeasure AS m
JOIN studies_study AS s ON s.id = m.study_id
CROSS JOIN LATERAL (
{rows}
) AS data
WHERE m.study_id IN {SELECTED}
ORDER BY {", ".join(order_by)}"""
    # PostgreSQL knows these rows come sorted and does not sort them again.
    return copy_query(OUTCOMES, subquery(measures), [f"data.{key}" for key in order_by])


def adverse_events_query():
    status = {
        "row_id": "'status-' || s.slug",
        "row_type": "%(reporting_status)s",
        "study_slug": "s.slug",
        "reporting_status": "s.adverse_event_status",
        "note": "s.adverse_event_note",
    }
    event = {
        "row_id": "'event-' || e.id",
        "row_type": "%(event)s",
        "study_slug": "s.slug",
        "adverse_event_id": "e.id",
        "arm_id": "e.arm_id",
        "arm_label": "a.label",
        "term": "e.term",
        "serious": "e.serious",
        "participants_affected": "e.participants_affected",
        "participants_at_risk": "e.participants_at_risk",
        "number_of_events": "e.number_of_events",
        "severity": "e.severity",
        "note": "e.note",
    }
    # Per study: its reporting status, then its events: those of no arm first, then by arm.
    status_order = {
        "order_study": "s.id",
        "order_part": "0",
        "order_arm_position": "NULL::integer",
        "order_arm": "NULL::bigint",
        "order_term": "NULL",
        "order_id": "NULL::bigint",
    }
    event_order = {
        "order_study": "s.id",
        "order_part": "1",
        "order_arm_position": "a.position",
        "order_arm": "e.arm_id",
        "order_term": "e.term",
        "order_id": "e.id",
    }
    rows = "\nUNION ALL\n".join(
        [
            select(ADVERSE_EVENTS, status, status_order, f"FROM studies_study AS s\nWHERE s.id IN {SELECTED}"),
            select(
                ADVERSE_EVENTS,
                event,
                event_order,
                f"""FROM studies_adverseevent AS e
JOIN studies_study AS s ON s.id = e.study_id
LEFT JOIN studies_arm AS a ON a.id = e.arm_id
WHERE e.study_id IN {SELECTED}""",
            ),
        ]
    )
    order_by = [
        "data.order_study",
        "data.order_part",
        "data.order_arm_position NULLS FIRST",
        "data.order_arm NULLS FIRST",
        "data.order_term",
        "data.order_id",
    ]
    return copy_query(ADVERSE_EVENTS, subquery(rows), order_by)


def sources_query():
    cells = {column.name: f'source."{column.name}"' for column in SOURCES.columns}
    cells |= {
        "source_id": "source.id",
        "study_slug": "s.slug",
        "article_title": "source.title",
        "urls": stripped_lines("source.urls", "' '"),
    }
    source = f"""FROM studies_source AS source
JOIN studies_study AS s ON s.id = source.study_id
WHERE source.study_id IN {SELECTED}"""
    order_by = {"order_study": "source.study_id", "order_position": "source.position", "order_id": "source.id"}
    rows = select(SOURCES, cells, order_by, source)
    return copy_query(SOURCES, subquery(rows), ["data.order_study", "data.order_position", "data.order_id"])


QUERIES = {
    STUDIES.name: studies_query(),
    ARMS.name: arms_query(),
    OUTCOMES.name: outcomes_query(),
    ADVERSE_EVENTS.name: adverse_events_query(),
    SOURCES.name: sources_query(),
}


# What Python's str.strip() removes and where str.splitlines() breaks a line (a test checks both
# against Python itself).
PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
PYTHON_LINE_BREAKS = "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"


def parameters(base_url):
    # The study's address on this site, around its slug (reverse() gives the script prefix, if any).
    address_start, address_end = reverse("studies:detail", args=["-"]).rsplit("-", 1)
    return {
        "study_address_start": base_url + address_start,
        "study_address_end": address_end,
        "formula_trigger_codes": [ord(character) for character in FORMULA_TRIGGERS],
        # Every trigger comes before the letters: text starting with a letter, as most does, is told
        # apart with one comparison.
        "last_formula_trigger_code": max(ord(character) for character in FORMULA_TRIGGERS),
        "whitespace": PYTHON_WHITESPACE,
        "line_break": f"[{PYTHON_LINE_BREAKS}]",
        "list_separator": LIST_SEPARATOR,
        "own_source_preference": [str(relation) for relation in OWN_SOURCE_PREFERENCE],
        "secondary_review": Source.Relation.SECONDARY_REVIEW.value,
        "percent_change": OutcomeResult.Statistic.PERCENT_CHANGE.value,
        "scope_arm": Scope.ARM.value,
        "scope_whole_study": Scope.WHOLE_STUDY.value,
        "scope_between_arms": Scope.BETWEEN_ARMS.value,
        "reported": ValueOrigin.REPORTED.value,
        "computed": ValueOrigin.COMPUTED.value,
        "reporting_status": AdverseEventRowType.REPORTING_STATUS.value,
        "event": AdverseEventRowType.EVENT.value,
    }


def writes(table, studies):
    """Whether PostgreSQL writes this table for these studies."""
    return table.name in QUERIES and connections[studies.db].vendor == "postgresql"


def header(table):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(table.header)
    return buffer.getvalue().encode()


def crlf_pieces(rows):
    """PostgreSQL sends each row as one message ending in \\n; Python's csv ends a row with \\r\\n. Only
    that last \\n is the row's end: a line break inside a quoted cell stays as Python writes it."""
    piece, size = [], 0
    for row in rows:
        piece.append(row[:-1])
        size += len(row)
        if size >= PIECE_SIZE:
            piece.append(b"")
            yield b"\r\n".join(piece)
            piece, size = [], 0
    if piece:
        piece.append(b"")
        yield b"\r\n".join(piece)


def csv_pieces(table, studies, base_url):
    """The table as CSV bytes: the header at once, then the rows as PostgreSQL sends them."""
    yield header(table)
    try:
        query = table_query(table, studies, base_url)
    except EmptyResultSet:  # no studies can match: no query to make
        return
    with connections[studies.db].cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        yield from crlf_pieces(copy)


def table_query(table, studies, base_url):
    """The query of the table's rows for the given studies, with its parameters merged in."""
    connection = connections[studies.db]
    selection, selection_parameters = studies.order_by().values("pk").query.get_compiler(studies.db).as_sql()
    # The driver merges parameters into a COPY statement on the client (PostgreSQL takes none), so the
    # selection is merged first and its percent signs kept as they are through the second merge.
    selection = connection.ops.compose_sql(selection, selection_parameters).replace("%", "%%")
    query = f"WITH selected_studies (id) AS NOT MATERIALIZED ({selection})\n{QUERIES[table.name]}"
    return connection.ops.compose_sql(query, parameters(base_url))
