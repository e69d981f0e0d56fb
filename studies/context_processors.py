from django.conf import settings


def site_name(request):
    """The site's name (TRACKER_SITE_NAME) for every page's title and header."""
    return {"site_name": settings.SITE_NAME}
