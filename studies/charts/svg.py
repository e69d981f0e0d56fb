"""A forest plot's layout written out as SVG: presentation attributes only, no style, so that it
passes the site's Content-Security-Policy inline and stands alone as a downloaded file.

Written in Python rather than a template: a study page holds a few hundred lines, markers and
texts, and a template's lookups for each of their attributes were most of the page's cost. Values
are written as the templates write them (localized, escaped), decimals with one place.
"""

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _value(value):
    return conditional_escape(localize(value))


def _place(number):
    return format(float(number), ".1f")


def _line(line):
    dash = f' stroke-dasharray="{_value(line.dash)}"' if line.dash else ""
    return (
        f'<line class="{_value(line.kind)}" x1="{_place(line.x1)}" y1="{_place(line.y1)}" x2="{_place(line.x2)}" '
        f'y2="{_place(line.y2)}" stroke="{_value(line.stroke)}" stroke-width="{_value(line.width)}"{dash}></line>'
    )


def _mark(mark):
    paint = f'fill="{_value(mark.fill)}" stroke="{_value(mark.stroke)}" stroke-width="{_value(mark.stroke_width)}"'
    if mark.shape == "circle":
        return (
            f'<circle class="{_value(mark.kind)}" cx="{_place(mark.x)}" cy="{_place(mark.y)}" '
            f'r="{_place(mark.half_width)}" {paint}></circle>'
        )
    return (
        f'<rect class="{_value(mark.kind)}" x="{_place(mark.left)}" y="{_place(mark.top)}" '
        f'width="{_place(mark.width)}" height="{_place(mark.height)}" {paint}></rect>'
    )


def _text(text):
    bold = ' font-weight="bold"' if text.bold else ""
    anchor = f' text-anchor="{_value(text.anchor)}"' if text.anchor != "start" else ""
    return (
        f'<text class="{_value(text.kind)}" x="{_place(text.x)}" y="{_place(text.y)}" '
        f'font-size="{_value(text.size)}"{bold}{anchor} fill="{_value(text.fill)}">{_value(text.content)}</text>'
    )


def forest_svg(panel, figure, css_class, standalone=False):
    """One layout (`panel.wide` or `panel.narrow`) of a forest plot as an <svg> element."""
    height = format(float(figure.height), ".0f")
    labels = f"{_value(figure.id)}-title {_value(figure.id)}-desc"
    parts = [
        f'\n<svg xmlns="http://www.w3.org/2000/svg" class="forest {_value(css_class)}" width="{_value(figure.width)}" '
        f'height="{height}" viewBox="0 0 {_value(figure.width)} {height}" role="img" aria-labelledby="{labels}" '
        f'font-family="{_value(figure.font_family)}">\n',
        f'  <title id="{_value(figure.id)}-title">{_value(panel.title)}</title>\n',
        f'  <desc id="{_value(figure.id)}-desc">{_value(panel.description)}</desc>\n',
        '  <rect class="background" width="100%" height="100%" fill="#ffffff"></rect>\n' if standalone else "  \n",
        "  ",
    ]
    parts.extend(f"{_line(line)}\n  " for line in figure.lines)
    parts.extend(f"{_mark(mark)}\n  " for mark in figure.marks)
    parts.extend(f"{_text(text)}\n  " for text in figure.texts)
    parts.append("\n</svg>\n")
    return mark_safe("".join(parts))
