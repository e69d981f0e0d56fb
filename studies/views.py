from functools import wraps

from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView
from django_filters.views import FilterView

from studies import citations, exports
from studies.filters import StudyFilter
from studies.models import Arm, OutcomeMeasure, OutcomeResult, Study


def home(request):
    published = Study.objects.published()
    return render(request, "studies/home.html", {"study_count": published.count()})


class StudyListView(FilterView):
    filterset_class = StudyFilter
    queryset = Study.objects.published().prefetch_related("registrations")
    paginate_by = 25
    template_name = "studies/study_list.html"


class StudyDetailView(DetailView):
    template_name = "studies/study_detail.html"
    context_object_name = "study"

    def get_object(self, queryset=None):
        studies = Study.objects.published().prefetch_related(
            "registrations",
            "sources",
            Prefetch("arms", queryset=Arm.objects.prefetch_related("interventions")),
            Prefetch(
                "measures",
                queryset=OutcomeMeasure.objects.prefetch_related(
                    Prefetch("results", queryset=OutcomeResult.objects.select_related("arm")),
                    "comparisons",
                ),
            ),
            "adverse_events__arm",
        )
        return get_object_or_404(studies, slug=self.kwargs["slug"])


def public_export(view):
    """Give an export view the published studies the list page's query string selects (every page
    of them), or answer 400 naming the invalid filter: never a silently unfiltered download."""

    @wraps(view)
    def export(request, *args, **kwargs):
        filterset = StudyFilter(request.GET, queryset=Study.objects.published())
        if not filterset.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            message = f"Invalid filter, nothing was exported. {problems}\n"
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return view(request, filterset.qs, *args, **kwargs)

    return export


@public_export
def export_csv(request, studies, table):
    return exports.csv_response(exports.TABLES[table], studies, request)


@public_export
def export_zip(request, studies):
    return exports.zip_response(studies, request)


@public_export
def export_citations(request, studies, citation_format):
    return citations.citation_response(studies, citation_format, request, "studies")


def cite_study(request, slug, citation_format):
    studies = Study.objects.published().filter(slug=slug)
    if not studies.exists():
        raise Http404(f"No published study is called '{slug}'.")
    return citations.citation_response(studies, citation_format, request, slug)


def data_dictionary(request):
    context = {"tables": exports.TABLES.values(), "list_separator": exports.LIST_SEPARATOR}
    return render(request, "studies/data_dictionary.html", context)
