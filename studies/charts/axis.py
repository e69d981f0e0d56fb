"""A numeric axis: round ticks whose labels never touch, and the scale that places values on it."""

import math
from dataclasses import dataclass
from decimal import Decimal

from studies.charts.text import text_width
from studies.models import plain_number

# Steps tried for each power of ten, smallest first: 1, 2 and 5 give round labels.
MULTIPLES = (Decimal(1), Decimal(2), Decimal(5))
LABEL_GAP = 8
# Intervals between ticks, at most: more would make the axis busier than the data.
MOST_TICKS = 7


@dataclass
class Scale:
    low: Decimal
    high: Decimal
    left: float
    right: float

    def __call__(self, value):
        return self.left + (self.right - self.left) * float((Decimal(value) - self.low) / (self.high - self.low))


def tick_label(value):
    """A tick's number with no trailing zeros: 10, 2.5, 0."""
    return plain_number(format(Decimal(value).normalize(), "f"))


def steps_from(span):
    """Round steps from about a seventh of the span up to the span itself: beyond it the ticks are
    the range's two ends, and larger steps only make their labels longer."""
    magnitude = Decimal(10) ** math.floor(math.log10(span / MOST_TICKS))
    while magnitude <= span * 10:
        for multiple in MULTIPLES:
            step = multiple * magnitude
            if span / step <= MOST_TICKS:
                yield step
        magnitude *= 10


def ticks_for(values, left, right, size):
    """A scale over `left`-`right` pixels and its ticks [(x, label)], for values that must all be shown.

    The range always includes 0, the no-change line. The step is the smallest round one at which
    every tick label, `size` pixels high, keeps `LABEL_GAP` pixels from the next.
    """
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    if low == high:
        high = low + 1
    for step in steps_from(high - low):
        start, end = math.floor(low / step) * step, math.ceil(high / step) * step
        scale = Scale(Decimal(start), Decimal(end), left, right)
        count = int((end - start) / step)
        ticks = [(scale(start + index * step), tick_label(start + index * step)) for index in range(count + 1)]
        widths = [text_width(label, size) for _, label in ticks]
        if all(
            x2 - x1 >= (w1 + w2) / 2 + LABEL_GAP
            for (x1, _), (x2, _), w1, w2 in zip(ticks, ticks[1:], widths, widths[1:], strict=False)
        ):
            return scale, ticks
    # Labels too long for the width at any step (numbers of ten or more digits on a phone): the
    # range's ends, with the no-change tick labelled and the far end's label only if it fits.
    scale = Scale(low, high, left, right)
    ticks = [(scale(0), tick_label(0))]
    end = high if high != 0 else low
    label = tick_label(end)
    if abs(scale(end) - scale(0)) >= (text_width(label, size) + text_width("0", size)) / 2 + LABEL_GAP:
        ticks.append((scale(end), label))
    return scale, sorted(ticks)
