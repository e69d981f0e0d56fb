"""The read-only JSON API: the published studies, filtered exactly as on the study list.

Every view starts from `study_filter()`, the one path from a query string to published studies, so
an invalid filter is refused with the explanation the pages give, and a draft never appears.
"""

import re

from csp.constants import NONCE
from csp.decorators import csp_update
from django import forms
from django.conf import settings
from django.utils.decorators import method_decorator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api import tables
from api.conditional import Version
from api.pagination import cursor_page
from api.serializers import StudySerializer, StudySummarySerializer
from studies.filters import StudyFilter, study_filter
from studies.models import Study
from studies.site import site_address
from studies.views import StudyDetailView as StudyPage

READ_ONLY = ["get", "head", "options"]
# Any text reaches the study view, so that every missing study is a 404 in JSON; only a slug's
# characters are looked up (PostgreSQL refuses a NUL in text).
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class InvalidFilterError(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_filter"


def selected_studies(request, studies=None):
    """The published studies the query selects; 400 with the pages' explanation when a value is invalid."""
    filterset = study_filter(request.query_params, studies, request=request)
    if not filterset.is_valid():
        raise InvalidFilterError(filterset.explanation)
    return filterset.qs


def filter_parameters():
    """The study list's filters as query parameters, described from the FilterSet's own form fields.

    Built when the schema is generated, not at import: the country filter offers the countries of
    the published studies, read from the database.
    """
    parameters = []
    for name, field in StudyFilter().form.fields.items():
        description = " ".join(str(part) for part in (field.label, field.help_text) if part)
        schema = {"type": "string"}
        if isinstance(field, forms.ChoiceField):
            codes = [(code, label) for code, label in field.choices if code != ""]
            schema["enum"] = [code for code, _label in codes]
            description += " " + "; ".join(f"`{code}`: {label}" for code, label in codes) + "."
        elif isinstance(field, forms.IntegerField):
            schema = {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
        elif getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length
        parameters.append(OpenApiParameter(name, schema, description=description))
    return parameters


PAGE_PARAMETERS = [
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
        description=f"Items per page (studies, for the flat tables); {settings.API_PAGE_SIZE} when not given.",
    ),
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        description="Where a page starts: take it from the previous page's `next` address, never make one.",
    ),
]


class FilteredSchema(AutoSchema):
    def get_override_parameters(self):
        return [*filter_parameters(), *PAGE_PARAMETERS, *super().get_override_parameters()]


Problem = inline_serializer("Problem", {"detail": serializers.CharField()})
PROBLEMS = {
    304: OpenApiResponse(description="Not modified: the copy named by If-None-Match or If-Modified-Since is current."),
    400: OpenApiResponse(Problem, description="An invalid filter, page size or cursor, explained."),
    429: OpenApiResponse(Problem, description="Too many requests from this address; retry after Retry-After seconds."),
}


def page_of(item_serializer, name):
    return inline_serializer(
        name,
        {
            "next": serializers.URLField(allow_null=True, help_text="The next page; null on the last page."),
            "results": item_serializer(many=True),
        },
    )


class ApiView(GenericAPIView):
    http_method_names = READ_ONLY
    # Every list is built from study_filter(), not from a filter backend.
    filter_backends = []
    pagination_class = None

    def answer(self, request, build):
        """The response `build()` makes, unless the client's copy of this address is current."""
        version = Version(request.get_full_path())
        unchanged = version.unchanged_response(request)
        if unchanged is not None:
            return unchanged
        return version.stamp(Response(build()))

    def context(self, request):
        return {"request": request, "site": site_address(request)}


class StudyList(ApiView):
    """Published studies, filtered and sorted exactly as on the study list."""

    schema = FilteredSchema()
    serializer_class = StudySummarySerializer

    @extend_schema(
        operation_id="studies_list",
        responses={200: page_of(StudySummarySerializer, "StudyPage"), **PROBLEMS},
    )
    def get(self, request):
        studies = selected_studies(request, Study.objects.published().with_numeric_results())

        def build():
            page, next_address = cursor_page(request, studies)
            items = StudySummarySerializer(page, many=True, context=self.context(request)).data
            return {"next": next_address, "results": items}

        return self.answer(request, build)


class StudyDetail(ApiView):
    """Everything public about one published study."""

    serializer_class = StudySerializer

    @extend_schema(
        operation_id="studies_retrieve",
        responses={
            200: StudySerializer,
            304: PROBLEMS[304],
            404: OpenApiResponse(Problem, description="No published study has this slug."),
            429: PROBLEMS[429],
        },
    )
    def get(self, request, slug):
        if not SLUG.fullmatch(slug):
            raise NotFound(f"No published study has the slug '{slug[:120]}'.")
        study = Study.objects.published().filter(slug=slug)

        def build():
            # The study page's own prefetches: the same few queries however large the study.
            found = StudyPage().get_queryset().with_numeric_results().filter(slug=slug).first()
            return StudySerializer(found, context=self.context(request)).data

        if not study.exists():
            raise NotFound(f"No published study has the slug '{slug}'.")
        return self.answer(request, build)


class FlatTable(ApiView):
    """Rows of a flat table for the studies the filters select, a page of studies at a time."""

    schema = FilteredSchema()
    table = None

    def get(self, request):
        studies = selected_studies(request)

        def build():
            # Studies in id order, as the CSV files read them; `sort` does not change the rows.
            page, next_address = cursor_page(request, studies.order_by("pk").only("pk"))
            writer = tables.RowWriter(self.table)
            rows = [writer.row(row) for row in self.table.rows([study.pk for study in page])]
            return {"next": next_address, "results": rows}

        return self.answer(request, build)


OutcomeRow = tables.row_serializer(tables.OUTCOMES)
AdverseEventRow = tables.row_serializer(tables.ADVERSE_EVENTS)


class OutcomeRows(FlatTable):
    """outcomes.csv as JSON: one row per study, measure, arm, time point and statistic."""

    table = tables.OUTCOMES
    serializer_class = OutcomeRow

    @extend_schema(operation_id="outcomes_list", responses={200: page_of(OutcomeRow, "OutcomePage"), **PROBLEMS})
    def get(self, request):
        return super().get(request)


class AdverseEventRows(FlatTable):
    """adverse-events.csv as JSON: a reporting-status row per study, then one row per event and arm."""

    table = tables.ADVERSE_EVENTS
    serializer_class = AdverseEventRow

    @extend_schema(
        operation_id="adverse_events_list", responses={200: page_of(AdverseEventRow, "AdverseEventPage"), **PROBLEMS}
    )
    def get(self, request):
        return super().get(request)


@extend_schema(exclude=True)
class NoSuchAddress(ApiView):
    def get(self, request):
        raise NotFound("No such address in the API; see /api/docs/.")


@method_decorator(csp_update({"script-src": NONCE, "style-src": NONCE}), name="dispatch")
class Docs(SpectacularSwaggerView):
    """Swagger UI from the project's own static files; its two inline blocks carry the page's nonce."""

    template_name = "api/docs.html"
    url_name = "api:schema"
