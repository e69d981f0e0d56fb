"""Public pages, feeds and downloads served from Django's cache, with ETag and Last-Modified.

Each response is filed under the content version and the address asked for. A conditional request
whose ETag (or date) is current gets 304 before anything is read but the version. A change to the
public content raises the version, so the next request of every address is made afresh: a cached
copy can be unused, never stale.

Only complete answers meant for everyone are kept: status 200, no cookie set, no `Vary` (a page
that read the visitor's session), no `Cache-Control` of the view's own (a curator's preview of a
draft). A download is kept when it is small enough (`PAGE_CACHE_MAX_DOWNLOAD_BYTES`); a larger one
streams from the database every time.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from redis import RedisError

from serving import content

# Part of every key and ETag: a change in how pages are written changes both.
REPRESENTATION = "pages-1"
CACHE_ERRORS = (RedisError, OSError)
logger = logging.getLogger(__name__)


def kept(key):
    """What was kept under `key` (a response, or a part of a page), or None. A cache that cannot be
    reached is logged and treated as empty:
    the page is made from the database, more slowly, never refused."""
    try:
        return cache.get(key)
    except CACHE_ERRORS as error:
        logger.warning("The page cache could not be read: %s", error)
        return None


def keep(key, response):
    try:
        cache.set(key, response)
    except CACHE_ERRORS as error:
        logger.warning("The page cache could not be written: %s", error)


def _digest(*parts):
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()[:32]


def cache_key(request, version):
    # The whole address, host included (feeds and downloads hold absolute links); and the day, which a
    # download's file name carries.
    address = request.build_absolute_uri()
    return f"page:{version.number}:{_digest(REPRESENTATION, timezone.now().date(), address)}"


def etag(request, version):
    return quote_etag(_digest(REPRESENTATION, version.number, request.build_absolute_uri()))


def may_keep(response):
    return (
        response.status_code == 200
        and not response.cookies
        and not response.has_header("Vary")
        and not response.has_header("Cache-Control")
    )


def stamp(response, request, version):
    response["ETag"] = etag(request, version)
    if version.timestamp is not None:
        response["Last-Modified"] = http_date(version.timestamp)
    return response


def kept_stream(response, key):
    """Stream the download as it is made, keeping a copy as it goes; once complete and no larger than
    the limit, the copy is filed so the next request is a plain read."""
    limit = settings.PAGE_CACHE_MAX_DOWNLOAD_BYTES
    stream = response.streaming_content
    headers = dict(response.headers)

    def teed():
        pieces, size = [], 0
        for piece in stream:
            if pieces is not None:
                size += len(piece)
                if size <= limit:
                    pieces.append(piece)
                else:
                    pieces = None  # too large to keep: it streams from the database every time
            yield piece
        if pieces is not None:
            copy = HttpResponse(b"".join(pieces), status=response.status_code)
            for name, value in headers.items():
                copy[name] = value
            keep(key, copy)

    return teed()


def cached_page(view):
    """Serve a public view from the cache, answer conditional requests, and keep what it renders."""

    @wraps(view)
    def serve(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)  # the view refuses other methods itself
        version = content.of_request(request)
        unchanged = get_conditional_response(request, etag=etag(request, version), last_modified=version.timestamp)
        if unchanged is not None:
            return stamp(unchanged, request, version)
        key = cache_key(request, version)
        response = kept(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if not may_keep(response):
            return response
        stamp(response, request, version)
        if response.streaming:
            response.streaming_content = kept_stream(response, key)
            return response
        if hasattr(response, "render"):
            response.render()
        keep(key, response)
        return response

    return serve
