"""Browser safety headers on every kind of response the site gives."""

import pytest
from django.urls import reverse

from tests.addresses import public_urls
from tests.factories import make_study_with_everything


@pytest.fixture
def every_kind_of_page(db):
    study = make_study_with_everything(slug="headers-study")
    return [
        *public_urls(study),
        reverse("studies:list") + "?condition=not-a-condition",
        reverse("studies:export", args=["studies"]) + "?year_min=abc",
        reverse("admin:login"),
        reverse("admin:index"),
        "/studies/no-such-study/",
        "/static/studies/tracker.css",
    ]


def test_every_response_carries_a_strict_content_security_policy(client, every_kind_of_page):
    for url in every_kind_of_page:
        policy = client.get(url).headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy or "default-src 'none'" in policy, url
        assert "frame-ancestors 'none'" in policy, url
        assert "unsafe-inline" not in policy, url
        assert "unsafe-eval" not in policy, url


def test_every_response_forbids_framing_sniffing_and_leaking_full_addresses(client, every_kind_of_page):
    for url in every_kind_of_page:
        response = client.get(url)
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url


def test_every_response_over_https_tells_browsers_to_use_only_https_for_a_year(client, every_kind_of_page):
    for url in every_kind_of_page:
        response = client.get(url, secure=True)
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", url


def test_a_request_for_an_unknown_host_is_refused_with_400(client, db):
    response = client.get(reverse("studies:home"), HTTP_HOST="evil.example.com")
    assert response.status_code == 400
