from django.http import HttpResponseBadRequest, JsonResponse

NUL_REFUSED = "The address contains a NUL character (%00), which no page accepts."


def refuse_nul_in_query(get_response):
    """A NUL character in the address is refused with 400. No page, filter or search means one, and
    PostgreSQL refuses it in text, so letting it reach a query would end in a server error. The API
    answers in JSON, as its every other error does."""

    def middleware(request):
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            return HttpResponseBadRequest(f"{NUL_REFUSED}\n", content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware
