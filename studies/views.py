from functools import wraps

from django import forms
from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe
from django.views.generic import DetailView
from django_filters.views import FilterView

from studies import charts, citations, exports
from studies.filters import StudyFilter
from studies.models import AdverseEvent, Arm, OutcomeMeasure, OutcomeResult, Study

EXPORTS = [
    ("Studies", "/studies/export/studies.csv"),
    ("Arms and interventions", "/studies/export/arms.csv"),
    ("Outcomes", "/studies/export/outcomes.csv"),
    ("Adverse events", "/studies/export/adverse-events.csv"),
    ("Sources", "/studies/export/sources.csv"),
    ("All tables (zip)", "/studies/export.zip"),
]


# The public site only reads: GET and HEAD are answered, any other method is refused with 405.
READ_ONLY = ["get", "head"]


@require_safe
def home(request):
    counts = (
        Study.objects.published()
        .with_numeric_results()
        .aggregate(
            studies=Count("pk"),
            with_results=Count("pk", filter=Q(results_status=Study.ResultsStatus.REPORTED)),
            registered=Count("pk", filter=Q(results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)),
            participants=Sum("sample_size", filter=Q(results_status=Study.ResultsStatus.REPORTED)),
            numeric=Count("pk", filter=Q(has_numeric_results=True)),
        )
    )
    return render(request, "studies/home.html", {"counts": counts})


class CappedPaginator(Paginator):
    """Counts matching studies up to a cap, so that a page never reads every study to count them.

    Beyond the cap the page says "more than 1,000" and offers the pages up to it; the downloads
    still carry every matching study.
    """

    cap = 1000

    @cached_property
    def count(self):
        # Neither the order nor the per-study annotations change how many there are.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


class StudyListView(FilterView):
    filterset_class = StudyFilter
    paginator_class = CappedPaginator
    queryset = Study.objects.published().with_numeric_results()
    paginate_by = 25
    template_name = "studies/study_list.html"
    http_method_names = READ_ONLY

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.filterset.is_valid():
            # The page explains the mistake; the status tells programs that nothing was listed.
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Downloads and the feed cover every matching study, so they carry the filters but not the page.
        context["query_without_page"] = self.request.GET.copy()
        context["query_without_page"].pop("page", None)
        context["exports"] = EXPORTS
        return context


class StudyDetailView(DetailView):
    template_name = "studies/study_detail.html"
    context_object_name = "study"
    http_method_names = READ_ONLY

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
            Prefetch("adverse_events", queryset=AdverseEvent.objects.select_related("arm")),
        )
        return get_object_or_404(studies, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        study = self.object
        context["measures"] = [
            (measure, charts.measure_chart(measure, measure.results.all())) for measure in study.measures.all()
        ]
        context["adverse_events_by_arm"] = adverse_events_by_arm(study)
        return context


def adverse_events_by_arm(study):
    """Events grouped under the arm they were seen in, never added up across arms."""
    groups = {}
    for event in study.adverse_events.all():
        groups.setdefault(event.arm, []).append(event)
    return list(groups.items())


class CompareForm(forms.Form):
    category = forms.ChoiceField(label="Outcome", choices=OutcomeMeasure.Category.choices)


# Measures of one outcome per comparison page: the page costs the same with 10 studies or 100,000.
COMPARE_PAGE_SIZE = 50


@require_safe
def compare(request):
    form = CompareForm({"category": request.GET.get("category", OutcomeMeasure.Category.HAIR_DENSITY)})
    context = {"form": form, "charts": [], "words_only": []}
    if not form.is_valid():
        return render(request, "studies/compare.html", context, status=400)
    category = form.cleaned_data["category"]
    measures = (
        OutcomeMeasure.objects.filter(study__status=Study.Status.PUBLISHED, category=category)
        .select_related("study")
        .prefetch_related(Prefetch("results", queryset=OutcomeResult.objects.select_related("arm")))
        .order_by("study__title", "study_id", "position", "id")
    )
    try:
        page = Paginator(measures, COMPARE_PAGE_SIZE).page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(f"No such page of the comparison: {error}") from error
    context["charts"], context["words_only"] = charts.comparison_charts(page.object_list)
    context["category_label"] = OutcomeMeasure.Category(category).label
    context["page_obj"] = page
    return render(request, "studies/compare.html", context)


class StudyFeed(Feed):
    """Atom feed of published studies, newest change first, narrowed by the list's filters."""

    feed_type = Atom1Feed
    title = "Hair-loss evidence tracker: studies"
    subtitle = "Published and updated studies of exosome therapy for hair loss."
    limit = 50

    def get_object(self, request):
        self.request = request
        studies = StudyFilter(request.GET, queryset=Study.objects.published())
        if not studies.is_valid():
            raise BadRequest(
                "Invalid filter: "
                + "; ".join(
                    f"{studies.form.fields[name].label}: {' '.join(errors)}" for name, errors in studies.errors.items()
                )
            )
        return studies

    def link(self, studies):
        query = studies.data.copy()
        query.pop("page", None)
        suffix = f"?{query.urlencode()}" if query else ""
        return reverse("studies:list") + suffix

    def items(self, studies):
        return studies.qs.order_by("-updated_at", "id")[: self.limit]

    def item_title(self, study):
        return study.title

    def item_description(self, study):
        return study.summary or study.get_design_display()

    def item_pubdate(self, study):
        return study.created_at

    def item_updateddate(self, study):
        return study.updated_at


def public_export(view):
    """Give an export view the published studies the list page's query string selects (every page
    of them), or answer 400 naming the invalid filter: never a silently unfiltered download."""

    @wraps(view)
    @require_safe
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
    name = exports.download_name(day=exports.download_time().date())
    return citations.citation_response(studies, citation_format, request, name)


@require_safe
def cite_study(request, slug, citation_format):
    studies = Study.objects.published().filter(slug=slug)
    if not studies.exists():
        raise Http404(f"No published study is called '{slug}'.")
    return citations.citation_response(studies, citation_format, request, slug)


@require_safe
def data_dictionary(request):
    context = {
        "tables": exports.TABLES.values(),
        "list_separator": exports.LIST_SEPARATOR,
        "license": exports.LICENSE,
        "how_to_cite": exports.how_to_cite(exports.base_url_of(request), exports.download_time().date()),
    }
    return render(request, "studies/data_dictionary.html", context)
