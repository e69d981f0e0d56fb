"""schema.org ClaimReview for each claim page, read by search engines and fact-check aggregators.

It is sent as a <script type="application/ld+json"> data block: browsers never run it, and the
Content-Security-Policy's script-src does not apply to it, so the strict policy needs no exception.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from claims.models import Claim

# As Django's json_script: inside a <script> element, "</script>" or "<!--" in a quote or rationale
# would end the data block early; escaped, the JSON reads the same.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
BEST_RATING = max(Claim.Verdict.ratings.values())
WORST_RATING = min(Claim.Verdict.ratings.values())


def claim_review(claim, base_url):
    """The ClaimReview of a published claim, with absolute addresses on `base_url`."""
    appearance = claim.appearance
    seen_in = {"@type": "CreativeWork", "description": " ".join(appearance.description.split())}
    if appearance.url:
        seen_in["url"] = appearance.url
    if appearance.archived_url:
        seen_in["archivedAt"] = appearance.archived_url
    if appearance.publisher:
        seen_in["publisher"] = {"@type": "Organization", "name": appearance.publisher}
    item = {"@type": "Claim", "appearance": seen_in}
    if appearance.author:
        item["author"] = {"@type": "Person", "name": appearance.author}
    elif appearance.publisher:
        item["author"] = {"@type": "Organization", "name": appearance.publisher}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": base_url + claim.get_absolute_url(),
        "claimReviewed": claim.quote,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": settings.SITE_NAME, "url": base_url + reverse("studies:home")},
        "datePublished": claim.assessed_on.isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim.rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.get_verdict_display(),
        },
    }


def json_ld_script(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
