from django.urls import path, register_converter
from django.urls.converters import StringConverter
from django.views.decorators.http import require_safe

from studies import citations, exports, views


# Only known names match, so an unknown table or citation format is a 404, not an error.
class TableConverter(StringConverter):
    regex = "|".join(exports.TABLES)


class CitationFormatConverter(StringConverter):
    regex = "|".join(citations.FORMATS)


register_converter(TableConverter, "table")
register_converter(CitationFormatConverter, "citation_format")

app_name = "studies"

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("studies/", views.StudyListView.as_view(), name="list"),
    # Before the detail route, so that "export" is never taken for a study's slug.
    path("studies/export.zip", views.export_zip, name="export-zip"),
    path("studies/export/citations.<citation_format:citation_format>", views.export_citations, name="citations"),
    path("studies/export/<table:table>.csv", views.export_csv, name="export"),
    path("studies/<slug:slug>/cite.<citation_format:citation_format>", views.cite_study, name="cite"),
    path("data/", views.data_dictionary, name="data"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Before the detail route, which would otherwise read "feed" as a slug.
    path("studies/feed/", require_safe(views.StudyFeed()), name="feed"),
    path("studies/<slug:slug>/", views.StudyDetailView.as_view(), name="detail"),
    path("studies/<slug:slug>/preview/", views.StudyPreviewView.as_view(), name="preview"),
]
