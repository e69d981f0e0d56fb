"""Which studies a visitor asked for, and in what order.

The study list, its pagination, the feed and every export read the same `StudyFilter`, so
what a visitor sees is what they download.
"""

import django_filters
from django import forms
from django.db import models
from django.db.models import F, Q
from django.http import QueryDict

from studies.models import Intervention, Registration, Source, Study
from studies.models.study import numeric_results_exist, results_exist


class Results(models.TextChoices):
    NUMERIC = "numeric", "Numeric results"
    WORDS_ONLY = "words_only", "Results in words only"
    REGISTERED = "registered", "Registered, no results yet"


class Sort(models.TextChoices):
    NEWEST = "newest", "Newest first"
    LARGEST = "largest", "Largest sample first"
    TITLE = "title", "Title"
    DESIGN = "design", "Strongest design first"


# Every ordering ends on title and id so that pages never overlap or skip a study. Unknown
# years and sample sizes go last: they are not smaller or older, only unknown.
ORDERINGS = {
    Sort.NEWEST: [F("year").desc(nulls_last=True), "title", "id"],
    Sort.LARGEST: [F("sample_size").desc(nulls_last=True), "title", "id"],
    Sort.TITLE: ["title", "id"],
    Sort.DESIGN: ["design_rank", F("sample_size").desc(nulls_last=True), "title", "id"],
}
DEFAULT_SORT = Sort.NEWEST
MAX_SAMPLE_SIZE = 10_000_000


def published_countries(request=None):
    return [(country, country) for country in Study.objects.published_countries()]


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def studies_with_interventions(**lookups):
    return Q(pk__in=Intervention.objects.filter(**lookups).values("arm__study"))


class StudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=200,
        help_text="Title, summary, citation, DOI, PMID, registry ID or product.",
    )
    condition = django_filters.ChoiceFilter(choices=Study.Condition.choices, empty_label="Any condition")
    design = django_filters.ChoiceFilter(choices=Study.Design.choices, empty_label="Any design")
    publication_type = django_filters.ChoiceFilter(
        label="Publication type", choices=Study.PublicationType.choices, empty_label="Any publication type"
    )
    intervention_class = django_filters.ChoiceFilter(
        label="Intervention",
        choices=Intervention.InterventionClass.choices,
        empty_label="Any intervention",
        method="filter_intervention_class",
    )
    exosome_source = django_filters.ChoiceFilter(
        label="Exosome source",
        choices=Intervention.ExosomeSource.choices,
        empty_label="Any exosome source",
        method="filter_exosome_source",
    )
    route = django_filters.ChoiceFilter(
        label="Route", choices=Intervention.Route.choices, empty_label="Any route", method="filter_route"
    )
    # Bounded so that no number typed into the address can overflow a database integer.
    sample_size_min = WholeNumberFilter(
        field_name="sample_size",
        lookup_expr="gte",
        label="Sample size from",
        min_value=0,
        max_value=MAX_SAMPLE_SIZE,
        help_text="Sets aside studies of unreported size.",
    )
    sample_size_max = WholeNumberFilter(
        field_name="sample_size", lookup_expr="lte", label="Sample size to", min_value=0, max_value=MAX_SAMPLE_SIZE
    )
    year_min = WholeNumberFilter(
        field_name="year", lookup_expr="gte", label="Published from (year)", min_value=1000, max_value=9999
    )
    year_max = WholeNumberFilter(
        field_name="year", lookup_expr="lte", label="Published to (year)", min_value=1000, max_value=9999
    )
    results = django_filters.ChoiceFilter(
        label="Results", choices=Results.choices, empty_label="Any results", method="filter_results"
    )
    adverse_event_status = django_filters.ChoiceFilter(
        label="Adverse-event reporting",
        choices=Study.AdverseEventStatus.choices,
        empty_label="Any adverse-event reporting",
    )
    verification = django_filters.ChoiceFilter(
        label="Facts read from", choices=Study.Verification.choices, empty_label="Any verification level"
    )
    country = django_filters.ChoiceFilter(choices=published_countries, empty_label="Any country")
    sort = django_filters.ChoiceFilter(label="Sort by", choices=Sort.choices, empty_label=None, method="keep_queryset")

    class Meta:
        model = Study
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        # An empty query is still a request: bound, so that the default sort applies to it too.
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset).with_design_rank()
        sort = self.form.cleaned_data.get("sort") or DEFAULT_SORT
        return queryset.order_by(*ORDERINGS[sort])

    def keep_queryset(self, queryset, name, value):
        # Ordering is applied last, in filter_queryset, so that the default sort applies too.
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        in_sources = Source.objects.filter(
            Q(citation__icontains=value)
            | Q(doi__iexact=value)
            | Q(pmid=value)
            | Q(pmcid__iexact=value)
            | Q(registry_id__iexact=value)
        )
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(pk__in=in_sources.values("study"))
            | Q(pk__in=Registration.objects.filter(identifier__iexact=value).values("study"))
            | studies_with_interventions(product__icontains=value)
        )

    def filter_intervention_class(self, queryset, name, value):
        return queryset.filter(studies_with_interventions(intervention_class=value))

    def filter_exosome_source(self, queryset, name, value):
        return queryset.filter(studies_with_interventions(exosome_source=value))

    def filter_route(self, queryset, name, value):
        return queryset.filter(studies_with_interventions(route=value))

    def filter_results(self, queryset, name, value):
        if value == Results.REGISTERED:
            return queryset.filter(results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
        reported = queryset.filter(results_status=Study.ResultsStatus.REPORTED)
        numeric = numeric_results_exist()
        return reported.filter(numeric if value == Results.NUMERIC else results_exist() & ~numeric)

    @property
    def active_filters(self):
        """(label, value shown, query without this filter) for each filter in use, to offer its removal."""
        if not self.is_bound or not self.is_valid():
            return []
        active = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if name == "sort" or value in (None, ""):
                continue
            remaining = self.data.copy()
            remaining.pop(name, None)
            remaining.pop("page", None)
            shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
            active.append((field.label, shown, remaining))
        return active
