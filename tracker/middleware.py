from django.http import HttpResponseBadRequest


def refuse_nul_in_query(get_response):
    """A NUL character in the address is refused with 400. No page, filter or search means one, and
    PostgreSQL refuses it in text, so letting it reach a query would end in a server error."""

    def middleware(request):
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest(
                "The address contains a NUL character (%00), which no page accepts.\n",
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware
