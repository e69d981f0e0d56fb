from decimal import Decimal

from django import template

from studies.charts import signed
from studies.models import plain_number

register = template.Library()


@register.filter
def plain(value):
    """A stored number as the source printed it: 9.5, not 9.500000."""
    return plain_number(value)


def with_unit(number, unit):
    return f"{plain_number(number)} {unit}".strip()


@register.filter
def reported_value(result, unit=""):
    """The value and its dispersion in one phrase, e.g. 'Mean change from baseline: 35 hairs/cm2 (SD 6.5)'."""
    parts = []
    if result.value is not None:
        parts.append(f"{result.get_statistic_display() or 'Value'}: {with_unit(result.value, unit)}")
    if result.dispersion_type:
        name = result.get_dispersion_type_display()
        if result.dispersion_value is not None:
            spread = f"{name} {plain_number(result.dispersion_value)}"
        elif result.dispersion_lower is not None and result.dispersion_upper is not None:
            spread = f"{name} {plain_number(result.dispersion_lower)} to {plain_number(result.dispersion_upper)}"
            if result.value is None:
                spread = (
                    f"{name}: {plain_number(result.dispersion_lower)} to {with_unit(result.dispersion_upper, unit)}"
                )
        else:
            spread = ""
        if spread:
            parts.append(f"({spread})" if parts else spread)
    return " ".join(parts)


@register.filter
def computed_change(result, unit=""):
    """Follow-up minus baseline, and the percent change where the baseline is not zero.

    Only ever computed from two reported numbers; the page labels it as computed.
    """
    if result.baseline is None or result.follow_up is None:
        return ""
    change = result.follow_up - result.baseline
    text = f"{signed(change)} {unit}".strip()
    if result.baseline != 0:
        percent = (change / result.baseline * 100).quantize(Decimal("0.1"))
        text += f" ({signed(percent)}%)"
    return text
