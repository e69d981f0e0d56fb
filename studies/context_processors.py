from django.conf import settings


def site_name(request):
    """The site's name (TRACKER_SITE_NAME) for every page's title and header, and the sections other
    apps add to the study pages and /methods/ (PAGE_SECTIONS), which studies itself knows nothing of."""
    return {"site_name": settings.SITE_NAME, "page_sections": settings.PAGE_SECTIONS}
