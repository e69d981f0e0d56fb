from django.urls import path, register_converter
from django.urls.converters import StringConverter
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from serving.pages import cached_page
from studies import citations, evidence_views, exports, feeds, views


# Only known names match, so an unknown table or citation format is a 404, not an error.
class TableConverter(StringConverter):
    regex = "|".join(exports.TABLES)


class CitationFormatConverter(StringConverter):
    regex = "|".join(citations.FORMATS)


register_converter(TableConverter, "table")
register_converter(CitationFormatConverter, "citation_format")


def public(view):
    """A public address only reads, and no form posts to it: without a CSRF check, a method that
    would change something gets 405 from the view (GET and HEAD only) rather than 403. What it
    answers comes from the page cache when the content has not changed (serving/pages.py)."""
    return csrf_exempt(cached_page(view))


app_name = "studies"

urlpatterns = [
    path("", public(views.home), name="home"),
    path("compare/", public(views.compare), name="compare"),
    path("compare/chart-<int:number>.svg", public(views.compare_chart), name="compare-chart"),
    path("studies/", public(views.StudyListView.as_view()), name="list"),
    # Before the detail route, so that "export" is never taken for a study's slug.
    path("studies/export.zip", public(views.export_zip), name="export-zip"),
    path(
        "studies/export/citations.<citation_format:citation_format>", public(views.export_citations), name="citations"
    ),
    path("studies/export/<table:table>.csv", public(views.export_csv), name="export"),
    path("studies/<slug:slug>/cite.<citation_format:citation_format>", public(views.cite_study), name="cite"),
    path("evidence/", public(evidence_views.evidence_list), name="evidence-list"),
    path("evidence/<slug:key>/", public(evidence_views.outcome_summary), name="evidence"),
    path("evidence/<slug:key>/chart-<int:number>.svg", public(evidence_views.outcome_chart), name="evidence-chart"),
    path("data/", public(views.data_dictionary), name="data"),
    path("methods/", public(views.methods), name="methods"),
    # A redirect to the icon among the static files: nothing to cache, no database to read.
    path("favicon.ico", csrf_exempt(views.favicon), name="favicon"),
    # Before the detail route, which would otherwise read "feed" as a slug.
    path("studies/feed/", public(require_safe(feeds.StudyFeed())), name="feed"),
    path(
        "studies/results-overdue/feed/",
        public(require_safe(feeds.ResultsOverdueFeed())),
        name="results-overdue-feed",
    ),
    path("studies/<slug:slug>/", public(views.StudyDetailView.as_view()), name="detail"),
    path("studies/<slug:slug>/outcomes/<int:measure_id>.svg", public(views.measure_chart), name="measure-chart"),
    path("studies/<slug:slug>/preview/", views.StudyPreviewView.as_view(), name="preview"),
]
