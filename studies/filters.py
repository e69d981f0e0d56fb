"""Which studies a visitor asked for, and in what order.

The study list, its pagination, the feed and every export read the same `StudyFilter` through
`study_filter()`, so what a visitor sees is what they download, and an invalid value is explained
in the same words everywhere.
"""

import functools

import django_filters
from django import forms
from django.db import models
from django.db.models import F, Q
from django.http import HttpResponseBadRequest

from studies.models import Intervention, Registration, Source, Study
from studies.models.limitations import CONTROLLED_DESIGNS, PEER_REVIEWED_PUBLICATIONS, results_overdue_condition
from studies.models.study import numeric_results_exist, results_exist


class Results(models.TextChoices):
    NUMERIC = "numeric", "Numeric results"
    WORDS_ONLY = "words_only", "Results in words only"
    REGISTERED = "registered", "Registered, no results yet"


class ResultsDue(models.TextChoices):
    OVERDUE = "overdue", "No results 12 months after completion"


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
    return [(country, country) for country in Study.objects.published().countries()]


def results_condition(value):
    """The condition on a study for one choice of the results filter (the list's counts use it too)."""
    if value == Results.REGISTERED:
        return Q(results_status=Study.ResultsStatus.REGISTERED_NO_RESULTS)
    numeric = numeric_results_exist()
    in_words_or_numbers = numeric if value == Results.NUMERIC else results_exist() & ~numeric
    return Q(results_status=Study.ResultsStatus.REPORTED) & in_words_or_numbers


def control_group_condition(value):
    controlled = Q(design__in=CONTROLLED_DESIGNS)
    return controlled if value else ~controlled


def peer_reviewed_condition(value):
    reviewed = Q(publication_type__in=PEER_REVIEWED_PUBLICATIONS)
    return reviewed if value else ~reviewed


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class AnyYesNo(forms.NullBooleanSelect):
    """Yes, no, or either: the empty choice reads "Any", since "Unknown" would sound like a value a study has."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "Any"), ("true", "Yes"), ("false", "No")]


class InterventionFilter(django_filters.ChoiceFilter):
    """Studies with at least one intervention, in any arm, whose `field_name` has the chosen value."""

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(pk__in=Intervention.objects.filter(**{self.field_name: value}).values("arm__study"))


class SortFilter(django_filters.ChoiceFilter):
    """Puts the studies in the chosen order; without a choice they keep the default order of `select`."""

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        if value == Sort.DESIGN:
            queryset = queryset.with_design_rank()
        return queryset.order_by(*ORDERINGS[value])


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
    intervention_class = InterventionFilter(
        label="Intervention", choices=Intervention.InterventionClass.choices, empty_label="Any intervention"
    )
    exosome_source = InterventionFilter(
        label="Exosome source", choices=Intervention.ExosomeSource.choices, empty_label="Any exosome source"
    )
    route = InterventionFilter(label="Route", choices=Intervention.Route.choices, empty_label="Any route")
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
    results_due = django_filters.ChoiceFilter(
        label="Results due",
        choices=ResultsDue.choices,
        empty_label="Any",
        method="filter_results_due",
        help_text="Registered trials with no results posted or published 12 months after primary completion.",
    )
    adverse_event_status = django_filters.ChoiceFilter(
        label="Adverse-event reporting",
        choices=Study.AdverseEventStatus.choices,
        empty_label="Any adverse-event reporting",
    )
    verification = django_filters.ChoiceFilter(
        label="Facts read from", choices=Study.Verification.choices, empty_label="Any verification level"
    )
    has_control_group = django_filters.BooleanFilter(
        label="Has a control group",
        method="filter_control_group",
        widget=AnyYesNo,
        help_text="Randomised or not: some participants were compared with others not given the treatment.",
    )
    peer_reviewed = django_filters.BooleanFilter(
        label="Peer-reviewed",
        method="filter_peer_reviewed",
        widget=AnyYesNo,
        help_text="Published after independent review.",
    )
    country = django_filters.ChoiceFilter(choices=published_countries, empty_label="Any country")
    sort = SortFilter(label="Sort by", choices=Sort.choices, empty_label=None)

    class Meta:
        model = Study
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The countries are read once per query string, however often its value is checked,
        # counted and shown.
        self.filters["country"].extra["choices"] = functools.cache(published_countries)

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
            | Q(pk__in=Intervention.objects.filter(product__icontains=value).values("arm__study"))
        )

    def filter_control_group(self, queryset, name, value):
        return queryset.filter(control_group_condition(value))

    def filter_peer_reviewed(self, queryset, name, value):
        return queryset.filter(peer_reviewed_condition(value))

    def filter_results_due(self, queryset, name, value):
        return queryset.filter(results_overdue_condition())

    def filter_results(self, queryset, name, value):
        return queryset.filter(results_condition(value))

    @property
    def query_without_page(self):
        """The query string without its page: downloads, the feed and removing a filter cover every
        matching study, not one page of them."""
        query = self.data.copy()
        query.pop("page", None)
        return query

    @property
    def explanation(self):
        """What is wrong with the query, in the words the list page, the feed and every download use."""
        problems = "; ".join(
            f"{self.form.fields[name].label} ({name}): {' '.join(errors)}" for name, errors in self.errors.items()
        )
        return f"Invalid filter, so no studies were selected. {problems}"

    @property
    def active_filters(self):
        """(label, value shown, query without this filter) for each filter in use, to offer its removal."""
        if not self.is_valid():
            return []
        active = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if name == "sort" or value in (None, ""):
                continue
            remaining = self.query_without_page
            remaining.pop(name, None)
            if isinstance(value, bool):
                shown = "yes" if value else "no"
            else:
                shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
            active.append((field.label, shown, remaining))
        return active


class InvalidFilter(Exception):
    """A query string that selects no studies because a value in it is not valid."""


def study_filter(query, studies=None, request=None):
    """The filter of the published studies (or of `studies`, a queryset of published studies with
    annotations a page needs) for a query string, in the default order unless it names a sort.
    The list page, the feed, every download and the API all start here."""
    studies = Study.objects.published() if studies is None else studies
    return StudyFilter(query, queryset=studies.order_by(*ORDERINGS[DEFAULT_SORT]), request=request)


def select_studies(query):
    """The published studies a query string selects, in its order; raises InvalidFilter explaining
    each value that is not valid, so that an invalid filter never yields an unfiltered selection."""
    studies = study_filter(query)
    if not studies.is_valid():
        raise InvalidFilter(studies.explanation)
    return studies.qs


def invalid_filter_response(explanation):
    """The answer to a download or feed asked for with a filter that is not valid: 400, saying why."""
    return HttpResponseBadRequest(f"{explanation}\n", content_type="text/plain; charset=utf-8")
