"""The site's own address, for links that leave it: in feeds, downloads, citations and structured data."""

from django.conf import settings


def site_address(request):
    """The address the public reaches the site at, without a trailing slash.

    TRACKER_PUBLIC_URL when it is set, as it must be on a server (see tracker/checks.py). Only on a
    development machine does the address come from the request, whose Host header the client sets.
    """
    return settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
