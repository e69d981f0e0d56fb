"""A chart as a file of its own, for readers who want to reuse the figure."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def svg_download(request, panel, name):
    """A chart as a standalone SVG file, drawn at its wide layout."""
    context = {"panel": panel, "figure": panel.wide, "standalone": True, "class": "forest-wide"}
    drawing = render_to_string("studies/includes/forest_plot.html", context, request=request).strip()
    response = HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?>\n{drawing}\n', content_type="image/svg+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
    return response
