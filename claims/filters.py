"""Which published claims a visitor asked for on /claims/."""

import django_filters
from django.db.models import Count

from claims.models import Appearance, Claim


class ClaimFilter(django_filters.FilterSet):
    verdict = django_filters.ChoiceFilter(choices=Claim.Verdict.choices, empty_label="Any verdict")
    topic = django_filters.ChoiceFilter(choices=Claim.Topic.choices, empty_label="Any topic")
    kind = django_filters.ChoiceFilter(
        field_name="appearance__kind",
        label="Where it appeared",
        choices=Appearance.Kind.choices,
        empty_label="Anywhere",
    )

    class Meta:
        model = Claim
        fields = []


def claim_filter(query):
    return ClaimFilter(query, queryset=Claim.objects.published().select_related("appearance"))


def verdict_counts(query):
    """(verdict, number of claims) for every verdict, among the claims the query's other filters select:
    each count is what choosing that verdict would show. None when a filter is invalid."""
    others = query.copy()
    others.pop("verdict", None)
    others.pop("page", None)
    claims = claim_filter(others)
    if not claims.is_valid():
        return None
    counted = dict(claims.qs.order_by().values_list("verdict").annotate(count=Count("pk")))
    return [(verdict, counted.get(verdict.value, 0)) for verdict in Claim.Verdict]
