"""Curators preview an unpublished study exactly as the public will see it; nobody else can, and
nothing public ever lists it."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from studies.models import Study
from tests.factories import (
    make_study_of_size,
    make_study_with_everything,
)

pytestmark = pytest.mark.django_db


def preview_url(study):
    return reverse("studies:preview", args=[study.slug])


def article(response):
    """The study itself: what the public page shows between the site's header and footer."""
    return response.text[response.text.index("<article") : response.text.index("</article>")]


@pytest.fixture
def draft():
    return make_study_with_everything(title="Unpublished split-scalp trial", status=Study.Status.DRAFT)


@pytest.mark.parametrize("status", [Study.Status.DRAFT, Study.Status.IN_REVIEW])
def test_a_curator_previews_an_unpublished_study_under_a_draft_preview_banner(curator_client, status):
    study = make_study_with_everything(title="Unpublished split-scalp trial", status=status)
    response = curator_client.get(preview_url(study))
    assert response.status_code == 200
    assert f"<strong>Draft preview</strong> ({study.get_status_display().lower()}): only curators" in response.text
    assert "<title>Draft preview: Unpublished split-scalp trial" in response.text


def test_the_preview_is_kept_out_of_search_engines_and_caches(curator_client, draft):
    response = curator_client.get(preview_url(draft))
    assert '<meta name="robots" content="noindex">' in response.text
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_preview_shows_the_study_exactly_as_its_public_page_will(curator_client, client, draft):
    preview = article(curator_client.get(preview_url(draft)))
    Study.objects.filter(pk=draft.pk).update(status=Study.Status.PUBLISHED)
    public = client.get(draft.get_absolute_url())
    assert article(public) == preview
    assert "Draft preview" not in public.text
    assert "noindex" not in public.text and "X-Robots-Tag" not in public


def test_the_preview_of_a_published_study_is_its_public_page(curator_client):
    study = make_study_with_everything(status=Study.Status.PUBLISHED)
    response = curator_client.get(preview_url(study))
    assert response.status_code == 302
    assert response.url == study.get_absolute_url()


@pytest.mark.parametrize("visitor", ["anonymous", "signed-in reader", "staff without a role"])
def test_nobody_but_curators_can_see_a_preview(client, draft, visitor):
    if visitor == "signed-in reader":
        client.force_login(User.objects.create_user("reader"))
    elif visitor == "staff without a role":
        client.force_login(User.objects.create_user("visitor", is_staff=True))
    assert client.get(preview_url(draft)).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_unknown_study_has_no_preview(curator_client):
    assert curator_client.get(reverse("studies:preview", args=["no-such-study"])).status_code == 404


def test_a_previewed_draft_stays_out_of_lists_counts_the_feed_and_downloads(curator_client, draft):
    assert curator_client.get(preview_url(draft)).status_code == 200
    pages = [
        reverse("studies:home"),
        reverse("studies:list"),
        reverse("studies:feed"),
        reverse("studies:compare"),
        reverse("studies:export", args=["studies"]),
        reverse("studies:citations", args=["ris"]),
    ]
    for page in pages:
        response = curator_client.get(page)
        text = b"".join(response.streaming_content).decode() if response.streaming else response.text
        assert "Unpublished split-scalp trial" not in text and draft.slug not in text, page
    assert "0 studies" in curator_client.get(reverse("studies:list")).text
    assert curator_client.get(reverse("studies:cite", args=[draft.slug, "ris"])).status_code == 404


def test_the_admin_views_an_unpublished_study_on_site_as_its_preview(curator_client, draft):
    page = curator_client.get(reverse("admin:studies_study_change", args=[draft.pk]))
    assert f'href="{preview_url(draft)}" class="viewsitelink"' in page.text
    assert "Preview it as the public will see it" in page.text
    Study.objects.filter(pk=draft.pk).update(status=Study.Status.PUBLISHED)
    page = curator_client.get(reverse("admin:studies_study_change", args=[draft.pk]))
    assert f'href="{draft.get_absolute_url()}" class="viewsitelink"' in page.text


def test_the_preview_runs_the_same_number_of_queries_whatever_the_size_of_the_study(
    curator_client, assert_queries_do_not_grow
):
    def build(size):
        make_study_of_size(size, slug=f"draft-{size}", status=Study.Status.DRAFT)

    def visit(size):
        assert curator_client.get(reverse("studies:preview", args=[f"draft-{size}"])).status_code == 200

    # The public page's 10 (its claims included), and the curator's session, account and two permission lookups.
    assert_queries_do_not_grow(14, build, visit, sizes=(1, 6))
