"""ETag and Last-Modified for the API, so that a client that already holds a response can ask
whether it changed and get 304 Not Modified without the data being read again.

A response is described by the studies it is built from: how many there are and when the latest of
them changed (editing any part of a study in the admin changes the study's `updated_at`). One
aggregate query answers both.
"""

import hashlib

from django.db.models import Count, Max
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

# Part of every ETag: a change in what the API writes for the same data changes it too.
REPRESENTATION = "api-v1-1"


class Version:
    def __init__(self, studies, what):
        facts = studies.order_by().aggregate(latest=Max("updated_at"), count=Count("pk"))
        self.last_modified = facts["latest"]
        described = f"{REPRESENTATION}:{what}:{facts['count']}:{self.last_modified and self.last_modified.isoformat()}"
        self.etag = quote_etag(hashlib.sha256(described.encode()).hexdigest()[:32])

    @property
    def timestamp(self):
        # Whole seconds, as HTTP dates are: a change later in the same second is caught by the ETag.
        return int(self.last_modified.timestamp()) if self.last_modified else None

    def unchanged_response(self, request):
        """304 (or 412 for a failed If-Match) when the client's copy is current, else None."""
        return get_conditional_response(request, etag=self.etag, last_modified=self.timestamp)

    def stamp(self, response):
        response["ETag"] = self.etag
        if self.last_modified:
            response["Last-Modified"] = http_date(self.timestamp)
        return response
