"""The public addresses of the site, for tests that visit every one of them."""

from django.urls import reverse


def public_urls(study):
    """Every public address: pages, feed, downloads and citations (`study` for the study's own)."""
    return [
        reverse("studies:home"),
        reverse("studies:list"),
        study.get_absolute_url(),
        reverse("studies:compare"),
        reverse("studies:feed"),
        reverse("studies:data"),
        reverse("studies:methods"),
        *(reverse("studies:export", args=[table]) for table in ("studies", "arms", "outcomes", "sources")),
        reverse("studies:export", args=["adverse-events"]),
        reverse("studies:export-zip"),
        reverse("studies:citations", args=["ris"]),
        reverse("studies:citations", args=["bib"]),
        reverse("studies:cite", args=[study.slug, "ris"]),
        reverse("studies:cite", args=[study.slug, "bib"]),
    ]
