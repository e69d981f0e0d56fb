from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView
from django_filters.views import FilterView

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
