import django_filters
from django.db.models import Q

from studies.models import Intervention, Study


class StudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    condition = django_filters.ChoiceFilter(choices=Study.Condition.choices)
    design = django_filters.ChoiceFilter(choices=Study.Design.choices)
    intervention_class = django_filters.ChoiceFilter(
        label="Intervention",
        choices=Intervention.InterventionClass.choices,
        method="filter_intervention_class",
    )
    exosome_source = django_filters.ChoiceFilter(
        label="Exosome source",
        choices=Intervention.ExosomeSource.choices,
        method="filter_exosome_source",
    )

    class Meta:
        model = Study
        fields = ["q", "condition", "design", "intervention_class", "exosome_source"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(sources__citation__icontains=value)
            | Q(sources__doi__iexact=value)
            | Q(sources__pmid=value)
            | Q(registrations__identifier__iexact=value)
            | Q(arms__interventions__product__icontains=value)
        ).distinct()

    def filter_intervention_class(self, queryset, name, value):
        return queryset.filter(arms__interventions__intervention_class=value).distinct()

    def filter_exosome_source(self, queryset, name, value):
        return queryset.filter(arms__interventions__exosome_source=value).distinct()
