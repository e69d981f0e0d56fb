"""The public claim pages: /claims/, /claims/<key>/, the feed, and the claims on study and methods pages."""

import datetime
import json
import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse
from django.utils.html import escape

from claims.models import Claim, EvidenceLink
from studies.models import Study
from tests.admin_helpers import make_user
from tests.claim_factories import make_appearance, make_claim
from tests.factories import make_study, make_study_of_size

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
ATOM = "{http://www.w3.org/2005/Atom}"


def words(text):
    return " ".join(text.split())


def claim_page(client, key):
    response = client.get(reverse("claims:detail", args=[key]))
    assert response.status_code == 200
    return response.text


def claim_review(page):
    (block,) = JSON_LD.findall(page)
    return json.loads(block)


def test_every_reference_quote_is_shown_exactly_on_its_page_and_in_the_list(client, reference_studies):
    listing = words(client.get(reverse("claims:list")).text)
    for claim in Claim.objects.all():
        quote = words(escape(claim.quote))
        assert quote in words(claim_page(client, claim.key))
        assert quote in listing


def test_a_claim_page_shows_where_it_appeared_the_verdict_and_its_definition_and_the_evidence_table(
    client, reference_studies
):
    page = words(claim_page(client, "no-rct-as-of-2025"))
    assert "Seen in: consumer information website." in page
    assert 'href="https://www.consumersadvisory.org/hair-restoration/exosome-therapy/' in page
    assert "Verdict: <span" in page and "Contradicted</span>" in page
    assert escape(Claim.Verdict.CONTRADICTED.meaning) in page
    assert "A pilot randomized, placebo-controlled trial" in page
    assert "Assessed on 21 November 2026." in page
    amini = Study.objects.get(slug="amini-2025-exosome-plant-extract-rct")
    row = re.search(r'<a href="/studies/amini-2025-exosome-plant-extract-rct/">.*?</tr>', page).group(0)
    assert escape(amini.title) in row
    assert amini.get_design_display() in row
    assert f'<td data-label="Participants">{amini.enrolment_text}</td>' in row
    assert amini.get_verification_display().lower() in row
    assert "Contradicts" in row


def test_a_claim_whose_address_was_not_recorded_says_so(client, reference_studies):
    page = claim_page(client, "calecim-mechanisms")
    assert "Its address was not recorded." in page
    assert "No study in the tracker bears on this claim." in page


@pytest.mark.parametrize(
    "verdict,rating",
    [("accurate", 5), ("accurate_but_outdated", 4), ("overstated", 3), ("unsupported", 2), ("contradicted", 1)],
)
def test_the_claim_review_rates_each_verdict_on_a_five_point_scale_named_by_the_verdict(client, verdict, rating):
    claim = make_claim(verdict=verdict)
    review = claim_review(claim_page(client, claim.key))["reviewRating"]
    assert review == {
        "@type": "Rating",
        "ratingValue": rating,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": Claim.Verdict(verdict).label,
    }


def test_every_claim_page_carries_a_claim_review_that_parses_with_every_field(client, reference_studies, settings):
    for claim in Claim.objects.select_related("appearance"):
        review = claim_review(claim_page(client, claim.key))
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["url"] == f"http://testserver/claims/{claim.key}/"
        assert review["claimReviewed"] == claim.quote
        assert review["datePublished"] == "2026-11-21"
        assert review["author"] == {"@type": "Organization", "name": settings.SITE_NAME, "url": "http://testserver/"}
        assert review["reviewRating"]["ratingValue"] == claim.rating
        assert review["reviewRating"]["alternateName"] == claim.get_verdict_display()
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["appearance"]["@type"] == "CreativeWork"
        assert item["appearance"]["description"] == words(claim.appearance.description)
        assert item["appearance"].get("url") == (claim.appearance.url or None)


def test_the_claim_review_names_the_author_and_publisher_where_known(client):
    appearance = make_appearance(
        publisher="Example Clinic", author="Dr A. Writer", url="https://clinic.example/exosomes"
    )
    claim = make_claim(appearance=appearance)
    item = claim_review(claim_page(client, claim.key))["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Dr A. Writer"}
    assert item["appearance"]["publisher"] == {"@type": "Organization", "name": "Example Clinic"}
    assert item["appearance"]["url"] == "https://clinic.example/exosomes"


def test_a_quote_that_tries_to_close_the_script_stays_inside_the_data_block(client):
    quote = 'Proven </script><script>alert("x")</script> & <!-- safe'
    claim = make_claim(quote=quote)
    page = claim_page(client, claim.key)
    assert "<script>alert" not in page
    assert claim_review(page)["claimReviewed"] == quote


def test_the_data_block_needs_no_exception_in_the_content_security_policy(client):
    claim = make_claim()
    response = client.get(reverse("claims:detail", args=[claim.key]))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "nonce-" not in policy and "sha256-" not in policy
    # Every script on the page is the data block: nothing for the policy to allow.
    assert re.findall(r"<script[^>]*>", response.text) == ['<script type="application/ld+json">']


def test_the_verdict_filter_shows_only_that_verdict_and_the_counts_cover_every_verdict(client):
    make_claim(verdict="unsupported", quote="Unsupported one.")
    make_claim(verdict="unsupported", quote="Unsupported two.")
    make_claim(verdict="accurate", quote="Accurate one.")
    everything = client.get(reverse("claims:list")).text
    assert "3 claims match" in everything
    counts = re.findall(r"<strong>(\d+)</strong> ([A-Za-z ]+)</a>", everything)
    assert counts == [
        ("1", "Accurate"),
        ("0", "Accurate but outdated"),
        ("0", "Overstated"),
        ("2", "Unsupported"),
        ("0", "Contradicted"),
    ]

    filtered = client.get(reverse("claims:list"), {"verdict": "unsupported"}).text
    assert "2 claims match" in filtered
    assert "Unsupported one." in filtered and "Unsupported two." in filtered
    assert "Accurate one." not in filtered
    # The counts still show every verdict, so a reader can switch.
    assert "<strong>1</strong> Accurate</a>" in filtered


def test_the_counts_follow_the_topic_and_kind_filters(client):
    make_claim(verdict="unsupported", topic=Claim.Topic.SAFETY)
    make_claim(verdict="unsupported", topic=Claim.Topic.EFFICACY)
    page = client.get(reverse("claims:list"), {"topic": "safety"}).text
    assert "<strong>1</strong> Unsupported</a>" in page
    assert "1 claim match" in page


def test_claims_can_be_filtered_by_the_kind_of_place_they_appeared(client):
    make_claim(quote="From the news.", appearance=make_appearance(kind="news"))
    make_claim(quote="From a clinic.", appearance=make_appearance(kind="clinic_page"))
    page = client.get(reverse("claims:list"), {"kind": "news"}).text
    assert "From the news." in page and "From a clinic." not in page


def test_an_invalid_filter_value_is_explained_and_lists_nothing(client):
    make_claim(quote="Any claim.")
    response = client.get(reverse("claims:list"), {"verdict": "true-ish"})
    assert response.status_code == 400
    assert "A filter value is not valid" in response.text
    assert "Any claim." not in response.text


def test_draft_claims_never_leak(client):
    study = make_study(title="A published study")
    draft = make_claim(
        key="draft-claim", quote="Unreviewed draft claim.", status=Claim.Status.DRAFT, evidence=[(study, "supports")]
    )
    in_review = make_claim(key="in-review-claim", quote="Claim in review.", status=Claim.Status.IN_REVIEW)
    assert "Unreviewed draft claim." not in client.get(reverse("claims:list")).text
    assert "Claim in review." not in client.get(reverse("claims:list")).text
    for claim in (draft, in_review):
        assert client.get(reverse("claims:detail", args=[claim.key])).status_code == 404
    assert "draft-claim" not in client.get(reverse("claims:feed")).text
    assert "Unreviewed draft claim." not in client.get(study.get_absolute_url()).text
    for table in ("claims", "claim-evidence"):
        csv_text = b"".join(client.get(reverse("studies:export", args=[table])).streaming_content).decode()
        assert "draft-claim" not in csv_text and "in-review-claim" not in csv_text


def test_a_published_claim_shows_a_draft_study_it_links_to_no_one(client):
    draft_study = make_study(title="Secret draft study", slug="secret-draft", status=Study.Status.DRAFT)
    published_study = make_study(title="Open published study")
    claim = make_claim(evidence=[(draft_study, "supports"), (published_study, "context")])
    for viewer in (None, make_user("Publisher")):
        if viewer:
            client.force_login(viewer)
        page = claim_page(client, claim.key)
        assert "Open published study" in page
        assert "Secret draft study" not in page and "secret-draft" not in page
    csv_text = b"".join(client.get(reverse("studies:export", args=["claim-evidence"])).streaming_content).decode()
    assert "secret-draft" not in csv_text


def test_the_feed_lists_published_claims_newest_assessment_first(client):
    make_claim(key="older", assessed_on=datetime.date(2024, 5, 1), verdict="accurate")
    make_claim(key="newer", assessed_on=datetime.date(2025, 6, 1), verdict="contradicted")
    response = client.get(reverse("claims:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links == ["http://testserver/claims/newer/", "http://testserver/claims/older/"]
    assert entries[0].find(f"{ATOM}title").text.startswith("Contradicted: “")
    assert entries[0].find(f"{ATOM}published").text.startswith("2025-06-01")
    assert entries[0].find(f"{ATOM}summary").get("type") == "text"


def test_a_study_page_lists_the_claims_that_cite_it_with_their_verdicts(client, reference_studies):
    page = words(client.get(reverse("studies:detail", args=["amini-2025-exosome-plant-extract-rct"])).text)
    assert "Claims that cite this study" in page
    assert 'href="/claims/no-rct-as-of-2025/"' in page
    assert "Verdict: contradicted" in page and "this study: contradicts" in page
    assert 'href="/claims/single-study-39-patients/"' in page and "Verdict: accurate but outdated" in page


def test_a_study_no_claim_cites_says_nothing_about_claims(client):
    study = make_study()
    assert "Claims that cite this study" not in client.get(study.get_absolute_url()).text


def test_the_study_page_costs_one_query_more_for_its_claims_however_many(client, django_assert_num_queries):
    # A study with every part costs 9 queries (tests/test_study_page.py); the claims citing it, one more.
    study = make_study_of_size(2)
    make_claim(evidence=[(study, "supports")])
    with django_assert_num_queries(11):
        client.get(study.get_absolute_url())
    for _ in range(5):
        make_claim(evidence=[(study, "context")])
    with django_assert_num_queries(11):
        assert client.get(study.get_absolute_url()).text.count("Verdict: overstated") == 6


def test_the_claim_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    def build(count):
        for _ in range(count):
            studies = [make_study() for _ in range(3)]
            make_claim(evidence=[(study, "supports") for study in studies])

    for count in (2, 20):
        build(count)
        key = Claim.objects.first().key
        with django_assert_max_num_queries(4):
            assert client.get(reverse("claims:list")).status_code == 200
        # The claim, its evidence with the studies, its outcome summaries.
        with django_assert_max_num_queries(4):
            assert client.get(reverse("claims:detail", args=[key])).status_code == 200
        with django_assert_max_num_queries(2):
            assert client.get(reverse("claims:feed")).status_code == 200


def test_the_methods_page_defines_every_verdict_and_role(client):
    page = client.get(reverse("studies:methods")).text
    assert '<section id="verdicts"' in page
    for verdict in Claim.Verdict:
        assert f"<dt>{verdict.label}</dt><dd>{escape(verdict.meaning)}</dd>" in page
    for role in EvidenceLink.Role:
        assert f"<dt>{role.label}</dt><dd>{escape(role.meaning)}</dd>" in page


def test_every_page_leads_to_the_claims(client):
    page = client.get(reverse("studies:home")).text
    assert '<a href="/claims/">Claims</a>' in page
    assert '<a href="/claims/" aria-current="page">Claims</a>' in client.get(reverse("claims:list")).text
