"""Cursor pagination: each page ends with the address of the next, which continues after the last
item of the page however many studies were added or removed meanwhile.

The cursor holds the sort values of the last item, signed so that only cursors this site made are
accepted: a hand-made one is refused with 400, never read as a filter. Reading the next page is an
indexed range query, so the thousandth page costs what the first does.
"""

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.db.models.expressions import OrderBy
from rest_framework.exceptions import ParseError

from studies.site import site_address

CURSOR_SALT = "api.cursor"
NOTHING = Q(pk__in=[])


def page_size(request):
    """The page_size the client asked for, 1 to API_MAX_PAGE_SIZE, or the default."""
    asked = request.query_params.get("page_size")
    if asked in (None, ""):
        return settings.API_PAGE_SIZE
    maximum = settings.API_MAX_PAGE_SIZE
    if not asked.isdigit() or not 1 <= int(asked) <= maximum:
        raise ParseError(f"Page size (page_size): a page holds 1 to {maximum} items, not '{asked[:20]}'.")
    return int(asked)


def sort_keys(queryset):
    """(name, descending, nulls last) of each term of the queryset's ordering."""
    keys = []
    for term in queryset.query.order_by:
        if isinstance(term, OrderBy):
            keys.append((term.expression.name, term.descending, bool(term.nulls_last)))
        else:
            keys.append((term.lstrip("-"), term.startswith("-"), False))
    return keys


def after(keys, values):
    """Rows that come after `values` in the order of `keys`: the first key that differs decides.

    A key sorted with nulls last puts an unknown after every known value; orderings without
    nulls_last are on columns that are never null (title, id, the design rank).
    """
    condition, equal = NOTHING, Q()
    for (name, descending, nulls_last), value in zip(keys, values, strict=True):
        if value is None:
            beyond, same = NOTHING, Q(**{f"{name}__isnull": True})
        else:
            beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            if nulls_last:
                beyond |= Q(**{f"{name}__isnull": True})
            same = Q(**{name: value})
        condition |= equal & beyond
        equal &= same
    return condition


def read_cursor(request, keys):
    """The sort values a cursor continues after, or None on the first page."""
    token = request.query_params.get("cursor")
    if token in (None, ""):
        return None
    names = [name for name, _descending, _nulls_last in keys]
    try:
        cursor = signing.loads(token, salt=CURSOR_SALT)
    except signing.BadSignature:
        cursor = None
    if not isinstance(cursor, dict) or cursor.get("keys") != names:
        raise ParseError(
            "Cursor (cursor): this cursor was not made by this site for this sort; follow the 'next' address as given."
        )
    return cursor["values"]


def next_address(request, keys, last_values):
    query = request.query_params.copy()
    query["cursor"] = signing.dumps(
        {"keys": [name for name, _descending, _nulls_last in keys], "values": last_values},
        salt=CURSOR_SALT,
        compress=True,
    )
    return f"{site_address(request)}{request.path}?{query.urlencode()}"


def cursor_page(request, queryset):
    """(items of this page, address of the next page or None)."""
    keys = sort_keys(queryset)
    size = page_size(request)
    continue_after = read_cursor(request, keys)
    if continue_after is not None:
        queryset = queryset.filter(after(keys, continue_after))
    items = list(queryset[: size + 1])
    if len(items) <= size:
        return items, None
    items = items[:size]
    last_values = [getattr(items[-1], name) for name, _descending, _nulls_last in keys]
    return items, next_address(request, keys, last_values)
