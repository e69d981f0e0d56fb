"""A chart as a file of its own, for readers who want to reuse the figure."""

from django.http import HttpResponse

from studies.charts.svg import forest_svg


def svg_download(request, panel, name):
    """A chart as a standalone SVG file, drawn at its wide layout."""
    drawing = forest_svg(panel, panel.wide, "forest-wide", standalone=True).strip()
    response = HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?>\n{drawing}\n', content_type="image/svg+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
    return response
