from django import template

from studies.models import plain_number

register = template.Library()


@register.filter
def plain(value):
    """A stored number as the source printed it: 9.5, not 9.500000."""
    return plain_number(value)
