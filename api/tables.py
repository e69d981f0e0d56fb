"""The flat outcomes and adverse-events tables as JSON rows: the same rows and columns as
outcomes.csv and adverse-events.csv (studies/exports/tables.py), where an empty cell is null."""

from decimal import Decimal

from rest_framework import serializers

from api.serializers import ExactNumberField
from studies.exports import TABLES
from studies.models import plain_number

FIELD_TYPES = {
    "integer": serializers.IntegerField,
    "boolean": serializers.BooleanField,
    "datetime": serializers.DateTimeField,
    "number": ExactNumberField,
}


def column_field(column):
    """The schema of one column, described as in the data dictionary."""
    help_text = column.description + (f" Unit: {column.unit}." if column.unit else "")
    kwargs = {"read_only": True, "allow_null": True, "help_text": help_text}
    if column.choices and not column.listed:
        return serializers.ChoiceField(choices=column.choices.choices, **kwargs)
    return FIELD_TYPES.get(column.type, serializers.CharField)(**kwargs)


def row_serializer(table):
    """A serializer describing one row of `table`, for the schema; rows are written by `RowWriter`."""
    name = "".join(part.capitalize() for part in table.name.split("-")) + "Row"
    fields = {column.name: column_field(column) for column in table.columns}
    return type(name, (serializers.Serializer,), {**fields, "__doc__": table.description})


class RowWriter:
    """Turns a table's row dicts into JSON rows, a column group at a time (a page has thousands of cells)."""

    def __init__(self, table):
        self.names = [column.name for column in table.columns]
        self.text = [column.name for column in table.columns if column.type == "string"]
        self.numbers = [column.name for column in table.columns if column.type == "number"]

    def row(self, row):
        written = {name: row.get(name) for name in self.names}
        for name in self.text:
            if written[name] == "":
                written[name] = None
        for name in self.numbers:
            if written[name] is not None:
                written[name] = Decimal(plain_number(written[name]))
        return written


OUTCOMES = TABLES["outcomes"]
ADVERSE_EVENTS = TABLES["adverse-events"]
