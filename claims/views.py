from datetime import UTC, datetime, time

from django.conf import settings
from django.db.models import Prefetch
from django.views.generic import DetailView
from django_filters.views import FilterView

from claims.filters import ClaimFilter, claim_filter, verdict_counts
from claims.models import Claim, EvidenceLink
from claims.structured_data import claim_review, json_ld_script
from studies.feeds import RecordFeed
from studies.models import Study
from studies.models.evidence import OutcomeSummary
from studies.site import site_address
from studies.views import READ_ONLY


class ClaimListView(FilterView):
    filterset_class = ClaimFilter
    paginate_by = 50
    template_name = "claims/claim_list.html"
    http_method_names = READ_ONLY

    def get_filterset(self, filterset_class):
        return claim_filter(self.request.GET)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verdict_counts"] = verdict_counts(self.request.GET)
        return context


def public_evidence():
    """Evidence links as the public may see them: a link to an unpublished study is shown to no one."""
    links = EvidenceLink.objects.filter(study__status=Study.Status.PUBLISHED).select_related("study")
    return Prefetch("evidence_links", queryset=links, to_attr="public_evidence")


def public_summaries():
    """The outcome summaries the claim is about, published ones only."""
    return Prefetch("outcome_summaries", queryset=OutcomeSummary.objects.published(), to_attr="public_summaries")


class ClaimDetailView(DetailView):
    template_name = "claims/claim_detail.html"
    context_object_name = "claim"
    slug_field = "key"
    slug_url_kwarg = "key"
    http_method_names = READ_ONLY

    def get_queryset(self):
        claims = Claim.objects.published().select_related("appearance")
        return claims.prefetch_related(public_evidence(), public_summaries())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["claim_review"] = json_ld_script(claim_review(self.object, site_address(self.request)))
        return context


def assessment_time(claim):
    return datetime.combine(claim.assessed_on, time.min, tzinfo=UTC)


class ClaimFeed(RecordFeed):
    """Atom feed of the published claims, newest assessment first."""

    subtitle = "Claims made for exosome therapy for hair loss, checked against the evidence."
    page_name = "claims:list"
    feed_name = "claims:feed"

    def title(self):
        return f"{settings.SITE_NAME}: claims checked"

    def latest(self, request):
        return Claim.objects.published().select_related("appearance").order_by("-assessed_on", "-updated_at", "key")

    def item_title(self, claim):
        quote = " ".join(claim.quote.split())
        return f"{claim.get_verdict_display()}: “{quote[:120]}{'…' if len(quote) > 120 else ''}”"

    def item_description(self, claim):
        return claim.rationale

    def item_pubdate(self, claim):
        return assessment_time(claim)
