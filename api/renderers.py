"""JSON whose numbers keep the places they were printed with.

The standard library writes a Decimal only as a string or a float: "3.00" would become a string, or
3.0. simplejson writes it as the number it is, `3.00`, so a client that reads numbers as decimals
gets the places back, and one that reads them as floats gets the same value as from `3`.
"""

import simplejson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class ExactJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        text = simplejson.dumps(
            data,
            use_decimal=True,
            ensure_ascii=False,
            separators=(",", ":"),
            # Dates, times and lazy text; Decimals never reach it.
            default=JSONEncoder().default,
        )
        return text.encode()
