import hashlib
from functools import wraps

from django import forms
from django.core.paginator import InvalidPage, Paginator
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, Sum
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView
from django_filters.views import FilterView

from serving import content
from serving.pages import keep, kept
from studies import charts, citations, exports
from studies.charts.downloads import svg_download
from studies.evidence_views import public_appraisal, published_summaries
from studies.facets import facet_counts, show_counts
from studies.filters import InvalidFilter, StudyFilter, invalid_filter_response, select_studies, study_filter
from studies.models import (
    TOOLS,
    AdverseEvent,
    AppraisalJudgement,
    Arm,
    Certainty,
    OutcomeMeasure,
    OutcomeResult,
    Study,
    limitations,
)
from studies.models.evidence import DOMAINS as GRADE_DOMAINS
from studies.models.limitations import results_overdue_condition
from studies.models.outcomes import PERCENT_DECIMALS
from studies.site import site_address


def export_links():
    """(label, address) of each download offered under the study list."""
    tables = [(table.title, reverse("studies:export", args=[table.name])) for table in exports.TABLES.values()]
    return [*tables, ("All tables (zip)", reverse("studies:export-zip"))]


# The public site only reads: GET and HEAD are answered, any other method is refused with 405.
READ_ONLY = ["get", "head"]


@require_safe
def home(request):
    counts = (
        Study.objects.published()
        .with_numeric_results()
        # Annotated first: the aggregate then reads it from the subquery the other annotations need.
        .annotate(is_results_overdue=ExpressionWrapper(results_overdue_condition(), output_field=BooleanField()))
        .aggregate(
            studies=Count("pk"),
            with_results=Count("pk", filter=Q(results_status=Study.ResultsStatus.REPORTED)),
            registered=Count("pk", filter=Q(results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)),
            participants=Sum("sample_size", filter=Q(results_status=Study.ResultsStatus.REPORTED)),
            numeric=Count("pk", filter=Q(has_numeric_results=True)),
            results_overdue=Count("pk", filter=Q(is_results_overdue=True)),
        )
    )
    return render(request, "studies/home.html", {"counts": counts, "summaries": published_summaries()})


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
    paginate_by = 25
    template_name = "studies/study_list.html"
    http_method_names = READ_ONLY

    def get_filterset(self, filterset_class):
        studies = Study.objects.published().with_numeric_results().with_limitation_facts()
        return study_filter(self.request.GET, studies)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.filterset.is_valid():
            # The page explains the mistake; the status tells programs that nothing was listed.
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exports"] = export_links()
        if self.filterset.is_valid():
            context["filter_fields"] = filter_fields(self.request, self.filterset)
        return context


def filter_fields(request, filterset):
    """The filter form's fields with their counts, as HTML. They change with the content and the
    filters, never with the page, so they are counted and rendered once per content version and
    query: turning the pages of a list, or a second server, reuses them."""
    query = filterset.query_without_page.urlencode()
    key = f"filter-fields:{content.of_request(request).number}:{hashlib.sha256(query.encode()).hexdigest()[:32]}"
    html = kept(key)
    if html is None:
        show_counts(filterset.form, facet_counts(filterset))
        html = render_to_string("studies/includes/filter_fields.html", {"form": filterset.form}, request=request)
        keep(key, str(html))
    return mark_safe(html)


class StudyDetailView(DetailView):
    template_name = "studies/study_detail.html"
    context_object_name = "study"
    http_method_names = READ_ONLY

    def studies(self):
        """The studies this page may show: the public sees published studies only."""
        return Study.objects.published()

    def get_queryset(self):
        judgements = AppraisalJudgement.objects.select_related("outcome", "source")
        return (
            self.studies()
            .select_related("appraisal")
            .prefetch_related(
                Prefetch("appraisal__judgements", queryset=judgements),
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
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        study = self.object
        context["measures"] = []
        for measure in study.measures.all():
            panel = charts.measure_panel(measure, measure.results.all())
            # The file is as public as the page: a curator previewing a draft can download it too.
            if panel:
                panel.download = reverse("studies:measure-chart", args=[study.slug, measure.pk])
            context["measures"].append((measure, panel, charts.results_in_words(measure.results.all())))
        context["adverse_events_by_arm"] = adverse_events_by_arm(study)
        context["appraisal"] = public_appraisal(study) if study.is_public else getattr(study, "appraisal", None)
        return context


def may_preview(user):
    """Curators and publishers: staff who may see studies in the admin."""
    may_see_studies = user.has_perm("studies.view_study") or user.has_perm("studies.change_study")
    return user.is_active and user.is_staff and may_see_studies


@method_decorator(never_cache, name="dispatch")
class StudyPreviewView(StudyDetailView):
    """A draft or a study in review, exactly as the public will see it once published, for curators.

    To anyone else it does not exist (404, as on the public page). Search engines are told not to
    index it and browsers and proxies not to keep it, so an unpublished study cannot escape through
    a shared link or a cache; lists, counts, the feed and the downloads never read it.
    """

    def dispatch(self, request, *args, **kwargs):
        if not may_preview(request.user):
            raise Http404("No published study has this address.")
        return super().dispatch(request, *args, **kwargs)

    def studies(self):
        return Study.objects.all()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_public:
            # The public page is the preview of a published study.
            return redirect(self.object)
        response = self.render_to_response(self.get_context_data(object=self.object))
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "preview": True}


def adverse_events_by_arm(study):
    """Events grouped under the arm they were seen in, never added up across arms."""
    groups = {}
    for event in study.adverse_events.all():
        groups.setdefault(event.arm, []).append(event)
    return list(groups.items())


class CompareForm(forms.Form):
    EXOSOME_ARMS = "exosome"
    ARMS_WITHOUT_EXOSOMES = "without_exosomes"

    category = forms.ChoiceField(label="Outcome", choices=OutcomeMeasure.Category.choices)
    # A comparator's result drawn beside exosome arms reads as exosome evidence, so the two are shown apart.
    arms = forms.ChoiceField(
        label="Arms",
        choices=[
            (EXOSOME_ARMS, "Arms given exosomes"),
            (ARMS_WITHOUT_EXOSOMES, "Arms without exosomes (PRP, microneedling alone, placebo and others)"),
        ],
        widget=forms.RadioSelect,
    )


# Measures of one outcome per comparison page: the page costs the same with 10 studies or 100,000.
COMPARE_PAGE_SIZE = 50


def comparison(request):
    """The compare page's form and, when it is valid, its page of measures, panels and words-only reports."""
    form = CompareForm(
        {
            "category": request.GET.get("category", OutcomeMeasure.Category.HAIR_DENSITY),
            "arms": request.GET.get("arms", CompareForm.EXOSOME_ARMS),
        }
    )
    context = {"form": form, "charts": [], "words_only": []}
    if not form.is_valid():
        return context
    category, arms = form.cleaned_data["category"], form.cleaned_data["arms"]
    if arms == CompareForm.EXOSOME_ARMS:
        results = OutcomeResult.objects.of_exosome_arms()
    else:
        results = OutcomeResult.objects.of_arms_without_exosomes()
    measures = (
        OutcomeMeasure.objects.filter(study__status=Study.Status.PUBLISHED, category=category)
        .filter(Exists(results.filter(measure=OuterRef("pk"))))
        .select_related("study")
        .prefetch_related(Prefetch("results", queryset=results.select_related("arm")))
        .order_by("study__title", "study_id", "position", "id")
    )
    try:
        # Deciding which arms were given exosomes costs a look at each report's interventions, so
        # the count stops at the cap, as the study list's does, and the page costs the same at any size.
        page = CappedPaginator(measures, COMPARE_PAGE_SIZE).page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(f"No such page of the comparison: {error}") from error
    context["charts"], context["words_only"] = charts.comparison_panels(page.object_list)
    query = request.GET.urlencode()
    for number, panel in enumerate(context["charts"], start=1):
        panel.download = reverse("studies:compare-chart", args=[number]) + (f"?{query}" if query else "")
    context["category_label"] = OutcomeMeasure.Category(category).label
    context["exosome_arms"] = arms == CompareForm.EXOSOME_ARMS
    context["page_obj"] = page
    return context


@require_safe
def compare(request):
    context = comparison(request)
    return render(request, "studies/compare.html", context, status=200 if context["form"].is_valid() else 400)


@require_safe
def measure_chart(request, slug, measure_id):
    studies = Study.objects.all() if may_preview(request.user) else Study.objects.published()
    measures = OutcomeMeasure.objects.filter(study__in=studies, study__slug=slug)
    measure = get_object_or_404(
        measures.select_related("study").prefetch_related(
            Prefetch("results", queryset=OutcomeResult.objects.select_related("arm"))
        ),
        pk=measure_id,
    )
    panel = charts.measure_panel(measure, measure.results.all())
    if panel is None:
        raise Http404("This outcome reports no change from baseline to draw.")
    response = svg_download(request, panel, f"{slug}-{slugify(measure.name)}")
    if not measure.study.is_public:
        # An unpublished study's chart must not be kept by a shared cache.
        add_never_cache_headers(response)
    return response


@require_safe
def compare_chart(request, number):
    context = comparison(request)
    form = context["form"]
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a known outcome and arms.\n", content_type="text/plain; charset=utf-8")
    if not 1 <= number <= len(context["charts"]):
        raise Http404("This comparison has no chart of that number.")
    data = form.cleaned_data
    name = f"compare-{data['category']}-{data['arms']}-{number}"
    return svg_download(request, context["charts"][number - 1], name)


def public_export(view):
    """Give an export view the published studies the list page's query string selects (every page
    of them), or answer 400 naming the invalid filter: never a silently unfiltered download."""

    @wraps(view)
    @require_safe
    def export(request, *args, **kwargs):
        try:
            studies = select_studies(request.GET)
        except InvalidFilter as invalid:
            return invalid_filter_response(str(invalid))
        return view(request, studies, *args, **kwargs)

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
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the site's icon."""
    # Not permanent: the icon's address changes with its content once static files are collected.
    return redirect(static("studies/favicon.svg"))


@require_safe
def data_dictionary(request):
    context = {
        "tables": exports.TABLES.values(),
        "list_separator": exports.LIST_SEPARATOR,
        "license": exports.LICENSE,
        "how_to_cite": exports.how_to_cite(site_address(request), exports.download_time().date()),
    }
    return render(request, "studies/data_dictionary.html", context)


@require_safe
def methods(request):
    context = {
        "reading_depths": list(Study.Verification),
        "adverse_event_statuses": list(Study.AdverseEventStatus),
        "percent_decimals": PERCENT_DECIMALS,
        "limitation_rules": limitations.RULES,
        "tools": [tool for tool in TOOLS.values() if tool.domains],
        "certainty_levels": list(Certainty),
        "grade_domains": GRADE_DOMAINS,
    }
    return render(request, "studies/methods.html", context)
