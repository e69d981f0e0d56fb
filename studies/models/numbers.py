"""Numbers kept exactly as a source printed them or a curator typed them.

A trial report that prints an IQR of 3.00 says something 3 does not: it was measured to two
decimals. SQLite stores DECIMAL columns as floating point (about 15 significant digits, and 3.00
becomes 3), and PostgreSQL's numeric(16, 6) pads every value to six places. So these numbers
live in a text column, in plain notation, on both databases alike, and Python sees a Decimal
that remembers its printed places.
"""

from decimal import Decimal, InvalidOperation

from django.db import models
from django.db.models.functions import Cast

MAX_DIGITS = 16
DECIMAL_PLACES = 6


def plain_number(value):
    """A number written plainly, with the places it was printed with: no exponent, no rounding.

    Takes a Decimal, an int, or the text a database holds. Exports call this for every number,
    so the common case (text without an exponent) is returned as it is.
    """
    if value is None or value == "":
        return ""
    text = value if isinstance(value, str) else str(value)
    if "E" in text or "e" in text:
        text = format(Decimal(text), "f")
    # Minus zero is zero: a reader would take "-0" for a tiny decrease.
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text


class ExactDecimalField(models.DecimalField):
    """A decimal number stored as the text it was given in, so that it comes back unchanged.

    Validation is a DecimalField's (at most `max_digits` digits, `decimal_places` places), the
    same on every database. Database rules that compare numbers must compare `as_number(name)`,
    not the column itself, which holds text.
    """

    description = "Decimal number kept exactly as printed"

    def __init__(self, *args, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs):
        super().__init__(*args, max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def db_type(self, connection):
        return "text"

    def get_internal_type(self):
        # Not "DecimalField": the SQLite backend would round every value read to decimal_places.
        return "ExactDecimalField"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        try:
            return Decimal(value if isinstance(value, str) else str(value))
        except InvalidOperation:
            # Text that is not a number can only come from outside the application; show it as
            # unknown rather than fail every page that reads it.
            return None

    def get_db_prep_value(self, value, connection, prepared=False):
        value = self.to_python(value)
        return None if value is None else plain_number(value)

    def get_db_prep_save(self, value, connection):
        return self.get_db_prep_value(value, connection)

    def to_python(self, value):
        if isinstance(value, float):
            # A float has lost the printed places already; its shortest repr is the best guess.
            value = repr(value)
        return super().to_python(value)


def as_number(field_name):
    """The column as a number, for database rules and ordering."""
    return Cast(field_name, output_field=models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES))
