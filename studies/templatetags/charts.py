from django import template

from studies.charts.svg import forest_svg

register = template.Library()


@register.simple_tag
def forest_plot(panel, figure, css_class):
    """One layout of a forest plot (`panel.wide` or `panel.narrow`) as inline SVG."""
    return forest_svg(panel, figure, css_class)
