"""Atom feeds of the public records: studies (filtered as the list is), trials with results overdue,
and, from other apps, claims. Every address in a feed is absolute, built from TRACKER_PUBLIC_URL
rather than the request's Host header."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from studies.filters import invalid_filter_response, study_filter
from studies.models import Study, limitations
from studies.models.limitations import results_due
from studies.site import site_address


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose summaries are plain text: Django marks them type="html", and a feed reader would
    then run a stored "<script>" in a curator's summary as markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class RecordFeed(Feed):
    """A feed of the newest of some published records, each linking to its public page.

    Subclasses name the page the feed follows (`page_name`, with an optional `page_query`), the
    feed's own address (`feed_name`) and the records, newest first (`latest()`). One instance serves
    every request: the request travels as the feed's object, never kept on the instance.
    """

    feed_type = PlainTextAtomFeed
    limit = 50
    page_name = ""
    page_query = ""
    feed_name = ""

    def get_object(self, request):
        return request

    def link(self, request):
        return site_address(request) + reverse(self.page_name) + self.page_query

    def feed_url(self, request):
        return site_address(request) + reverse(self.feed_name)

    def latest(self, request):
        """The published records, newest first; the feed takes the first `limit`."""
        raise NotImplementedError(f"{type(self).__name__} must say which records it lists.")

    def request_of(self, feed_object):
        return feed_object

    def items(self, feed_object):
        address = site_address(self.request_of(feed_object))
        records = list(self.latest(feed_object)[: self.limit])
        for record in records:
            record.public_address = address + record.get_absolute_url()
        return records

    def item_link(self, record):
        return record.public_address

    def item_updateddate(self, record):
        return record.updated_at


class StudyFeed(RecordFeed):
    """Atom feed of published studies, newest change first, narrowed by the list's filters."""

    subtitle = "Published and updated studies of exosome therapy for hair loss."

    def title(self):
        return f"{settings.SITE_NAME}: studies"

    # The filter is the feed's object here, so that one visitor's filters never reach another's feed.
    def get_object(self, request):
        return study_filter(request.GET, request=request)

    def __call__(self, request, *args, **kwargs):
        studies = self.get_object(request)
        if not studies.is_valid():
            return invalid_filter_response(studies.explanation)
        return super().__call__(request, *args, **kwargs)

    def link(self, studies):
        query = studies.query_without_page
        return site_address(studies.request) + reverse("studies:list") + (f"?{query.urlencode()}" if query else "")

    def feed_url(self, studies):
        return site_address(studies.request) + studies.request.get_full_path()

    def request_of(self, studies):
        return studies.request

    def latest(self, studies):
        return studies.qs.order_by("-updated_at", "id")

    def item_title(self, study):
        return study.title

    def item_description(self, study):
        return study.summary or study.get_design_display()

    def item_pubdate(self, study):
        return study.created_at


class ResultsOverdueFeed(RecordFeed):
    """Atom feed of the published trials with no results 12 months after completion, the latest to fall due first."""

    subtitle = "Registered trials with no results posted or published 12 months after their primary completion."
    limit = 100
    page_name = "studies:list"
    page_query = "?results_due=overdue"
    feed_name = "studies:results-overdue-feed"

    def title(self):
        return f"{settings.SITE_NAME}: no results 12 months after completion"

    def latest(self, request):
        overdue = Study.objects.published().with_limitation_facts().results_overdue()
        return overdue.order_by(F("results_due_from").desc(), "id")

    def item_title(self, study):
        return study.title

    def item_description(self, study):
        due = results_due(study)
        return f"{due.what} on {due.date:%d %B %Y}; no results posted or published 12 months later."

    def item_pubdate(self, study):
        # The day it became overdue, so that a reader sees each trial once, when it falls due.
        due = results_due(study).date + limitations.RESULTS_DUE_AFTER
        return timezone.make_aware(datetime.combine(due, time.min))
