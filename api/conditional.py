"""ETag and Last-Modified for the API, so that a client that already holds a response can ask
whether it changed and get 304 Not Modified without the data being read again.

A response is described by the address asked for and by when the published studies last changed:
the latest `updated_at` of a published study (editing any part of a study in the admin changes
it; so does publishing or unpublishing) and the latest entry in the studies' history (which also
records a deleted study). Both are read from an index, so the check costs the same with ten
studies or a hundred thousand, whatever the filters select. Any change to any published study
gives every address a new ETag: a client sometimes reads again what had not changed, never an
old copy.
"""

import hashlib

from django.db.models import Max
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from studies.models import Study

# Part of every ETag: a change in what the API writes for the same data changes it too.
REPRESENTATION = "api-v1-1"


class Version:
    def __init__(self, what):
        edited = Study.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        recorded = Study.history.aggregate(latest=Max("history_date"))["latest"]
        changes = [moment for moment in (edited, recorded) if moment is not None]
        self.last_modified = max(changes) if changes else None
        described = f"{REPRESENTATION}:{what}:{edited and edited.isoformat()}:{recorded and recorded.isoformat()}"
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
