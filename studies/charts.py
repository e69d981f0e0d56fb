"""Server-drawn dot-and-whisker charts of change from baseline.

Geometry is computed here and drawn by templates/studies/includes/change_chart.html. Horizontal
positions are percentages of the chart's width, so the SVG stretches from a phone to a desktop
while its text keeps its real size and stays readable.
"""

import math
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from studies.models import OutcomeResult, plain_number
from studies.models.limitations import CONTROLLED_DESIGNS

PLOT_LEFT, PLOT_RIGHT = 3.0, 97.0
LINE_HEIGHT, DOT_SPACE, ROW_GAP, AXIS_SPACE = 18, 28, 12, 34
# Characters per label line: about what fits beside nothing else on a 360 px phone.
WRAP_AT = 40


@dataclass
class Change:
    """A change from baseline in the measure's unit, as reported or computed from baseline and follow-up."""

    value: Decimal
    computed: bool
    lower: Decimal | None = None
    upper: Decimal | None = None
    spread: str = ""

    @property
    def text(self):
        words = signed(self.value)
        if self.spread:
            words = f"{words} ({self.spread})"
        return f"{words}, computed from baseline and follow-up" if self.computed else words


def signed(number):
    """A change written with its sign, so that +5 and -5 cannot be confused."""
    return f"+{plain_number(number)}" if number > 0 else plain_number(number)


def change_of(result):
    """The change a result reports or allows computing, or None when there is none in the measure's unit."""
    value = result.change_from_baseline
    if value is None:
        return None
    if result.reports_change_in_unit:
        lower, upper, spread = whisker(result)
        return Change(value, computed=False, lower=lower, upper=upper, spread=spread)
    return Change(value, computed=True)


def whisker(result):
    """Lower and upper ends of the dispersion around a reported value, where the source allows drawing them."""
    kind, value = result.dispersion_type, result.value
    name = result.get_dispersion_type_display()
    Dispersion = OutcomeResult.Dispersion
    if kind in (Dispersion.SD, Dispersion.SE) and result.dispersion_value is not None:
        spread = result.dispersion_value
        return value - spread, value + spread, f"± {name} {plain_number(spread)}"
    if result.dispersion_lower is not None and result.dispersion_upper is not None:
        bounds = f"{plain_number(result.dispersion_lower)} to {plain_number(result.dispersion_upper)}"
        return result.dispersion_lower, result.dispersion_upper, f"{name} {bounds}"
    if kind and result.dispersion_value is not None:
        # An IQR given only as its width cannot be placed around a median: say it, draw nothing.
        return None, None, f"{name} {plain_number(result.dispersion_value)}, not drawn"
    return None, None, ""


@dataclass
class Row:
    lines: list
    change: Change
    participants: int | None = None
    controlled: bool = True
    text: list = field(default_factory=list)
    y_top: int = 0
    y_dot: int = 0
    x: float = 0.0
    x_lower: float | None = None
    x_upper: float | None = None

    @property
    def radius(self):
        # Area, not radius, grows with the number of participants, so that size is not exaggerated.
        if self.participants is None:
            return 4
        return min(4 + 1.5 * math.sqrt(self.participants), 16)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    unit: str
    rows: list
    ticks: list = field(default_factory=list)
    zero: float = 0.0
    height: int = 0
    axis_y: int = 0


def nice_step(span):
    rough = span / 4
    magnitude = Decimal(10) ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if rough <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def lay_out(chart):
    """Place every row and tick; returns the chart for use in a template."""
    values = [Decimal(0)]
    for row in chart.rows:
        values += [v for v in (row.change.value, row.change.lower, row.change.upper) if v is not None]
    low, high = min(values), max(values)
    if low == high:
        high = low + 1
    step = nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step

    def position(value):
        return round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * float((value - low) / (high - low)), 2)

    y = 4
    for row in chart.rows:
        row.y_top = y - ROW_GAP // 2
        row.text = [(y + LINE_HEIGHT * (index + 1) - 4, line, style) for index, (line, style) in enumerate(row.lines)]
        y += LINE_HEIGHT * len(row.lines)
        row.y_dot = y + DOT_SPACE // 2
        y += DOT_SPACE + ROW_GAP
        row.x = position(row.change.value)
        if row.change.lower is not None:
            row.x_lower, row.x_upper = position(row.change.lower), position(row.change.upper)
    chart.axis_y = y + 4
    chart.height = chart.axis_y + AXIS_SPACE
    chart.zero = position(Decimal(0))
    tick, chart.ticks = low, []
    while tick <= high:
        chart.ticks.append((position(tick), plain_number(tick)))
        tick += step
    return chart


def measure_chart(measure, results):
    """A chart of every change one measure reports, one row per arm and time point; None if there is none."""
    rows = []
    for result in results:
        change = change_of(result)
        if change is None:
            continue
        arm = result.arm.label if result.arm else "Whole study"
        when = result.timepoint_display or "time not stated"
        participants = result.n_analysed if result.n_analysed is not None else getattr(result.arm, "participants", None)
        rows.append(Row(lines=wrapped(f"{arm}, {when}: {change.text}"), change=change, participants=participants))
    if not rows:
        return None
    unit = measure.unit or "unit not reported"
    return lay_out(
        Chart(
            id=f"measure-{measure.pk}-chart",
            title=f"Change in {measure.name} from baseline ({unit})",
            description=f"{len(rows)} change{'s' if len(rows) != 1 else ''} from baseline in {measure.name}, "
            f"in {unit}, one per arm and time point, with dispersion where the source reports it. "
            "The same numbers are in the table above.",
            unit=unit,
            rows=rows,
        )
    )


def wrapped(text, style="row-label"):
    """Label lines short enough for a phone, each with its CSS class."""
    return [(line, style) for line in textwrap.wrap(text, WRAP_AT)]


def comparison_charts(measures):
    """Charts of one outcome category across studies, one per unit, and the studies that report only words.

    Each arm contributes its latest change in stored order. Values in different units are never
    drawn on one axis.
    """
    rows_by_unit, words_only = defaultdict(list), []
    for measure in measures:
        study = measure.study
        latest = {}
        for result in measure.results.all():
            change = change_of(result)
            if change is not None:
                latest[result.arm_id] = (result, change)
        if not latest:
            words = [result.result_text for result in measure.results.all() if result.result_text]
            words_only.append({"study": study, "measure": measure, "words": words})
            continue
        for result, change in latest.values():
            arm = result.arm
            participants = result.n_analysed if result.n_analysed is not None else getattr(arm, "participants", None)
            size = f"n = {participants}" if participants is not None else "n not reported"
            when = result.timepoint_display or "time not stated"
            row = Row(
                lines=wrapped(study.title, "row-label row-title")
                + wrapped(f"{arm.label if arm else 'Whole study'} ({size})")
                + wrapped(f"{study.get_design_display() or 'Design not entered'}; {when}: {change.text}"),
                change=change,
                participants=participants,
                controlled=study.design in CONTROLLED_DESIGNS,
            )
            row.study, row.measure, row.result = study, measure, result
            rows_by_unit[measure.unit or "unit not reported"].append(row)
    charts = []
    for number, (unit, rows) in enumerate(rows_by_unit.items(), start=1):
        studies = len({row.study.pk for row in rows})
        charts.append(
            lay_out(
                Chart(
                    id=f"comparison-chart-{number}",
                    title=f"Change from baseline in {unit}",
                    description=f"{len(rows)} arms from {studies} stud{'y' if studies == 1 else 'ies'}, each at its "
                    "latest reported time point. Filled dots are controlled designs, hollow dots uncontrolled; "
                    "dot area grows with the number of participants. The same numbers are in the table below.",
                    unit=unit,
                    rows=rows,
                )
            )
        )
    return charts, words_only
