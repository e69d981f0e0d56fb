from django.utils.cache import patch_cache_control

from serving.replicas import SAFE_METHODS, is_admin, route_reads

__all__ = ["cache_headers", "route_reads"]


def cache_headers(get_response):
    """What browsers and shared caches may keep. The admin: nothing (`private, no-store`). Public
    answers to reads: one minute (`public, max-age=60`), then they ask again, usually getting 304.
    An answer that sets a cookie or depends on one, or whose view already said otherwise (a curator's preview), is
    left as the view made it."""

    def middleware(request):
        response = get_response(request)
        if is_admin(request.path):
            patch_cache_control(response, private=True, no_store=True)
        elif (
            request.method in SAFE_METHODS
            and response.status_code < 500
            and not response.cookies
            and "cookie" not in response.get("Vary", "").lower()
            and not response.has_header("Cache-Control")
        ):
            patch_cache_control(response, public=True, max_age=60)
        return response

    return middleware
