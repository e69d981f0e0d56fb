from django import template
from django.utils.html import format_html

from studies.charts.forest import signed
from studies.models import plain_number, rounded_percent
from studies.models.appraisal import SYMBOLS, Judgement

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


@register.filter(name="signed")
def signed_number(value):
    """A change written with its sign: +5, -5."""
    return "" if value is None else signed(value)


@register.filter
def percent(value):
    """A percent change with its sign, rounded by the rule the downloads use, so both print -25.13%."""
    return "" if value is None else f"{signed(rounded_percent(value))}%"


@register.simple_tag
def dash(reason):
    """A cell with nothing in it: a dash for the eye and the reason for a screen reader.

    Never the word "none", which reads as "the source says none". The words are visually
    hidden text rather than an aria-label, which screen readers ignore on a plain span.
    """
    return format_html(
        '<span class="nothing"><span aria-hidden="true">–</span><span class="visually-hidden">{}</span></span>', reason
    )


@register.filter
def judgement_symbol(code):
    """The symbol that shows an appraisal judgement without relying on colour: + low, × high, ○ not assessed."""
    return SYMBOLS.get(code, ("", ""))[0]


@register.filter
def judgement_label(code):
    """'some_concerns' -> 'Some concerns'."""
    return Judgement(code).label if code in Judgement.values else code
