"""Forest plots of change from baseline: one row per arm, a label column, the plot and the value.

Everything is placed here, in pixels of the drawing, and drawn by
studies/charts/svg.py from plain lines, markers and texts. Each chart is
laid out twice: wide, with the three columns side by side, and narrow (phones), with each row's
label above its marker. The page shows the one that fits; each layout's pieces carry the boxes
they take up, so that tests can check that no text touches another text, a marker or a line.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from studies.charts.axis import ticks_for
from studies.charts.boxes import ASCENT, DESCENT, Figure, Line, Mark, Text
from studies.charts.text import text_width, wrap
from studies.models import OutcomeMeasure, OutcomeResult, plain_number
from studies.models.limitations import CONTROLLED_DESIGNS

# Okabe-Ito colours, told apart with every common colour-vision deficiency; shapes say the same.
CONTROLLED_COLOUR, CONTROLLED_EDGE = "#0072B2", "#00466e"
UNCONTROLLED_COLOUR = "#D55E00"
INK, MUTED, GRID, PAPER = "#1d2433", "#4a5468", "#d5dae3", "#ffffff"

SIZE, SMALL = 13, 12
LINE, SMALL_LINE = 18, 16
GAP, ROW_GAP = 14, 10
WIDE, NARROW = 760, 330
SYMBOL = 26

Category = OutcomeMeasure.Category
# Which way is better, per outcome: hair measures should rise, the SALT score (scalp hair lost) fall.
BENEFIT = {
    Category.HAIR_DENSITY: ("more hair \u2192", "right"),
    Category.HAIR_COUNT: ("more hair \u2192", "right"),
    Category.HAIR_THICKNESS: ("thicker hair \u2192", "right"),
    Category.SALT_SCORE: ("\u2190 lower SALT is better", "left"),
}
NO_DIRECTION = ("which way is better depends on the study's scale", "middle")

Dispersion = OutcomeResult.Dispersion


@dataclass(frozen=True)
class WhiskerStyle:
    dash: str
    width: float
    ends: str  # "caps", "dots" or "box"
    legend: str


# Each kind of spread looks different, so that an SD is never read as a confidence interval.
WHISKERS = {
    Dispersion.CI95: WhiskerStyle("", 2, "caps", "95% CI: confidence interval"),
    Dispersion.SD: WhiskerStyle("6 3", 1.5, "caps", "SD: change \u00b1 1 standard deviation"),
    Dispersion.SE: WhiskerStyle("2 2", 1.5, "caps", "SE: change \u00b1 1 standard error"),
    Dispersion.IQR: WhiskerStyle("", 1.5, "box", "IQR: interquartile range (box)"),
    Dispersion.RANGE: WhiskerStyle("", 1, "dots", "Range: lowest to highest"),
}


def signed(number):
    """A change written with its sign, so that +5 and -5 cannot be confused."""
    return f"+{plain_number(number)}" if number > 0 else plain_number(number)


@dataclass
class Change:
    """A change from baseline in the measure's unit, as reported or computed from baseline and follow-up."""

    value: Decimal
    computed: bool
    lower: Decimal | None = None
    upper: Decimal | None = None
    kind: str = ""
    spread: str = ""

    @property
    def short(self):
        """The value column's text: "+35 (SD 6.5)"."""
        if self.computed:
            return f"{signed(self.value)} (computed)"
        return f"{signed(self.value)} ({self.spread})" if self.spread else signed(self.value)

    @property
    def text(self):
        if self.computed:
            return f"{signed(self.value)}, computed from baseline and follow-up"
        return self.short


def change_of(result):
    """The change a result reports or allows computing, or None when there is none in the measure's unit."""
    value = result.change_from_baseline
    if value is None:
        return None
    if not result.reports_change_in_unit:
        return Change(value, computed=True)
    kind, name = result.dispersion_type, result.get_dispersion_type_display()
    if kind in (Dispersion.SD, Dispersion.SE) and result.dispersion_value is not None:
        spread = result.dispersion_value
        return Change(value, False, value - spread, value + spread, kind, f"{name} {plain_number(spread)}")
    if kind and result.dispersion_lower is not None and result.dispersion_upper is not None:
        lower, upper = result.dispersion_lower, result.dispersion_upper
        return Change(value, False, lower, upper, kind, f"{name} {plain_number(lower)} to {plain_number(upper)}")
    if kind and result.dispersion_value is not None:
        # An IQR given only as its width cannot be placed around a median: say it, draw nothing.
        return Change(value, False, spread=f"{name} {plain_number(result.dispersion_value)}, not drawn")
    return Change(value, computed=False)


def participants_of(result):
    """Participants behind a result: as analysed, else the arm's, else the whole study's; None if unknown."""
    if result.n_analysed is not None:
        return result.n_analysed
    if result.arm is not None:
        return result.arm.participants
    return result.measure.study.sample_size


def marker_radius(participants):
    # Area, not radius, grows with the number of participants, so that size is not exaggerated.
    if participants is None:
        return 3.5
    return min(max(1.5 * math.sqrt(participants), 3.5), 12.0)


@dataclass
class ForestRow:
    result: OutcomeResult
    change: Change
    title: str
    details: str
    participants: int | None
    controlled: bool

    @property
    def study(self):
        return self.result.measure.study

    @property
    def radius(self):
        return marker_radius(self.participants)


@dataclass
class Panel:
    """One forest plot: rows of one outcome category in one unit, drawn wide and narrow."""

    id: str
    title: str
    unit: str
    category: str
    rows: list
    label_heading: str
    description: str = ""
    benefit: tuple = NO_DIRECTION
    figures: list = field(default_factory=list)

    @property
    def wide(self):
        return self.figures[0]

    @property
    def narrow(self):
        return self.figures[1]

    @property
    def kinds(self):
        """Kinds of whisker drawn, in the legend's order."""
        drawn = {row.change.kind for row in self.rows if row.change.lower is not None}
        return [kind for kind in WHISKERS if kind in drawn]


def row_of(result, change, show_study):
    study = result.measure.study
    participants = participants_of(result)
    arm = result.arm.label if result.arm else "Whole study"
    size = f"n = {participants}" if participants is not None else "n not reported"
    when = result.timepoint_display or "time not stated"
    if show_study:
        title, details = (
            study.title,
            f"{arm} \u00b7 {study.get_design_display() or 'design not entered'} \u00b7 {size} \u00b7 {when}",
        )
    else:
        title, details = arm, f"{size} \u00b7 {when}"
    return ForestRow(result, change, title, details, participants, study.design in CONTROLLED_DESIGNS)


def forest_panels(results, *, show_study=True, title=None, id_prefix="forest"):
    """Forest plots of the changes from baseline in `results`, one panel per outcome category and unit.

    `results` are OutcomeResult rows with `measure`, `measure.study` and `arm` loaded (select or
    prefetch them: nothing here queries). Each result that reports or allows computing a change in
    its measure's unit becomes one row, in the order given; the others are left out (see
    `results_in_words`). Values in different units, or of categories whose better direction
    differs, never share an axis. `show_study` puts each row's study title and design in its label
    (pages about several studies); a study's own page leaves them out. `title` replaces the
    default "Change from baseline in <unit>"; panel ids are `<id_prefix>-1`, `-2`, ...

    Returns a list of `Panel`: `.title`, `.description`, `.unit`, `.rows` (ForestRow: `.result`,
    `.study`, `.change.text`, `.participants`) for the table beside the chart, and `.wide` and
    `.narrow` layouts for studies/charts/svg.py.
    """
    groups = defaultdict(list)
    for result in results:
        change = change_of(result)
        if change is not None:
            measure = result.measure
            groups[measure.category, measure.unit or "unit not reported"].append(row_of(result, change, show_study))
    panels = []
    for number, ((category, unit), rows) in enumerate(groups.items(), start=1):
        panel = Panel(
            id=f"{id_prefix}-{number}",
            title=title or f"Change from baseline in {unit}",
            unit=unit,
            category=category,
            rows=rows,
            label_heading="Study, arm, design, n" if show_study else "Arm, n, time point",
            benefit=BENEFIT.get(category, NO_DIRECTION),
        )
        panel.description = describe(panel)
        panel.figures = [draw(panel, WIDE, stacked=False), draw(panel, NARROW, stacked=True)]
        panels.append(panel)
    return panels


def results_in_words(results):
    """The results that give no change to draw but say something in words, to list under the chart."""
    return [result for result in results if change_of(result) is None and result.result_text]


def describe(panel):
    studies = len({row.study.pk for row in panel.rows})
    count = len(panel.rows)
    benefit = panel.benefit[0].strip("\u2190\u2192 ")
    whiskers = "; ".join(WHISKERS[kind].legend for kind in panel.kinds) or "no whiskers"
    return (
        f"Forest plot of {count} change{'s' if count != 1 else ''} from baseline in {panel.unit} from "
        f"{studies} stud{'y' if studies == 1 else 'ies'}; {benefit}. Squares are controlled designs, circles "
        f"uncontrolled; marker area grows with the number of participants. Whiskers: {whiskers}. "
        "The same numbers are in the table."
    )


def baseline_in(slot_top, slot_height, size):
    """The baseline that centres a line of text of `size` in a slot."""
    return slot_top + (slot_height - (ASCENT + DESCENT) * size) / 2 + ASCENT * size


def text_block(lines, x, top, anchor="start"):
    """Texts for (content, size, bold, fill) lines stacked from `top`; returns the texts and their height."""
    texts, y = [], top
    for content, size, bold, fill in lines:
        height = LINE if size == SIZE else SMALL_LINE
        texts.append(Text(x, baseline_in(y, height, size), content, size, anchor, bold, fill))
        y += height
    return texts, y - top


def block_height(lines):
    return sum(LINE if size == SIZE else SMALL_LINE for _, size, _, _ in lines)


def columns(panel, width, stacked):
    """Left edges and widths of the label, plot and value columns."""
    value_width = max(
        text_width("Change", SMALL, bold=True), *(text_width(row.change.short, SIZE) for row in panel.rows)
    )
    if stacked:
        value_width = min(value_width, width * 0.42)
        return (0, width), (0, width - value_width - GAP), (width - value_width, value_width)
    value_width = min(value_width, width * 0.26)
    label_width = max(
        text_width(panel.label_heading, SMALL, bold=True),
        *(max(text_width(row.title, SIZE, bold=True), text_width(row.details, SMALL)) for row in panel.rows),
    )
    label_width = min(label_width, width * 0.36)
    plot_left = label_width + GAP
    return (0, label_width), (plot_left, width - value_width - GAP - plot_left), (width - value_width, value_width)


def scale_for(panel, plot_left, plot_width):
    """The axis's scale and ticks, pulled in from the plot's edges until the markers and tick labels fit."""
    values = [v for row in panel.rows for v in (row.change.value, row.change.lower, row.change.upper) if v is not None]
    inset = max(row.radius for row in panel.rows) + 2
    left_inset = right_inset = inset
    for _ in range(3):
        scale, ticks = ticks_for(values, plot_left + left_inset, plot_left + plot_width - right_inset, SMALL)
        first, last = ticks[0], ticks[-1]
        over_left = plot_left - (first[0] - text_width(first[1], SMALL) / 2)
        over_right = last[0] + text_width(last[1], SMALL) / 2 - (plot_left + plot_width)
        if over_left <= 0 and over_right <= 0:
            break
        left_inset += max(over_left, 0) + 1
        right_inset += max(over_right, 0) + 1
    return scale, ticks


def draw(panel, width, stacked):
    """Lay out one panel at `width` pixels: rows of label, marker and value, then the axis and the legend."""
    figure = Figure(id=f"{panel.id}-{'narrow' if stacked else 'wide'}", width=width)
    (label_left, label_width), (plot_left, plot_width), (value_left, value_width) = columns(panel, width, stacked)
    plot_right = plot_left + plot_width
    scale, ticks = scale_for(panel, plot_left, plot_width)
    zero = scale(0)

    # Heading row: what the label and value columns hold, and the no-change line's name above it.
    if not stacked:
        figure.texts += text_block([(panel.label_heading, SMALL, True, MUTED)], label_left, 0)[0]
    figure.texts += text_block([("Change", SMALL, True, MUTED)], value_left, 0)[0]
    no_change = text_width("no change", SMALL)
    centre = min(max(zero, plot_left + no_change / 2), plot_right - no_change / 2)
    figure.texts += text_block([("no change", SMALL, False, INK)], centre, 0, "middle")[0]
    plot_top = SMALL_LINE + 4

    y = plot_top + ROW_GAP / 2
    bands = []
    for row in panel.rows:
        label = [(line, SIZE, True, INK) for line in wrap(row.title, label_width, SIZE, bold=True)]
        label += [(line, SMALL, False, MUTED) for line in wrap(row.details, label_width, SMALL)]
        value = [(line, SIZE, False, INK) for line in wrap(row.change.short, value_width, SIZE)]
        if stacked:
            figure.texts += text_block(label, label_left, y)[0]
            y += block_height(label) + 2
            band = max(block_height(value), 2 * row.radius + 8)
        else:
            band = max(block_height(label), block_height(value), 2 * row.radius + 8)
            figure.texts += text_block(label, label_left, y + (band - block_height(label)) / 2)[0]
        middle = y + band / 2
        bands.append((y, y + band))
        figure.texts += text_block(value, value_left, middle - block_height(value) / 2)[0]
        draw_whisker(figure, row.change, scale, middle)
        draw_marker(figure, scale(row.change.value), middle, row.radius, row.controlled)
        y += band + ROW_GAP
    axis_y = y - ROW_GAP / 2 + 2

    # Grid and no-change lines go under the markers: inserted first. On a phone the labels cross the
    # plot column, so the lines run only beside the markers, from row to row.
    spans = [(top, bottom) for top, bottom in bands] if stacked else [(plot_top, axis_y)]
    spans = [*spans[:-1], (spans[-1][0], axis_y)]
    under = [
        Line(x, top, x, bottom, GRID, 1, kind="grid") for x, _ in ticks if abs(x - zero) > 0.5 for top, bottom in spans
    ]
    under += [Line(zero, top, zero, bottom, INK, 1.5, "4 3", kind="zero") for top, bottom in spans]
    figure.lines[:0] = under
    figure.lines.append(Line(plot_left + 0.5, axis_y, plot_right - 0.5, axis_y, INK, 1, kind="axis"))
    for x, label in ticks:
        figure.lines.append(Line(x, axis_y, x, axis_y + 5, INK, 1, kind="axis"))
        figure.texts.append(Text(x, baseline_in(axis_y + 6, SMALL_LINE, SMALL), label, SMALL, "middle", fill=INK))
    y = axis_y + 6 + SMALL_LINE

    # Axis title and the direction of benefit: under the plot column, or the whole width on a phone.
    region_left, region_width = (0, width) if stacked else (plot_left, plot_width)
    title_lines = [
        (line, SMALL, True, INK) for line in wrap(f"Change from baseline ({panel.unit})", region_width, SMALL, True)
    ]
    texts, height = text_block(title_lines, region_left + region_width / 2, y, "middle")
    figure.texts += texts
    y += height
    words, side = panel.benefit
    x, anchor = {"right": (plot_right, "end"), "left": (plot_left, "start")}.get(
        side, (region_left + region_width / 2, "middle")
    )
    benefit_lines = [(line, SMALL, False, INK) for line in wrap(words, region_width, SMALL)]
    texts, height = text_block(benefit_lines, x, y, anchor)
    figure.texts += texts
    y += height + 10

    figure.height = draw_legend(figure, panel, y, width) + 4
    return figure


def draw_whisker(figure, change, scale, y, left=None, right=None, kind="whisker"):
    """The dispersion around a change in its kind's style; `left`/`right` override the ends (legend)."""
    if change.lower is None and left is None:
        return
    style = WHISKERS[change.kind]
    left = scale(change.lower) if left is None else left
    right = scale(change.upper) if right is None else right
    if style.ends == "box":
        middle = (left + right) / 2
        figure.marks.append(Mark("rect", middle, y, (right - left) / 2, 5, PAPER, INK, style.width, kind))
        return
    figure.lines.append(Line(left, y, right, y, INK, style.width, style.dash, kind=kind))
    for end in (left, right):
        if style.ends == "caps":
            figure.lines.append(Line(end, y - 5, end, y + 5, INK, style.width, kind=kind))
        else:
            figure.marks.append(Mark("circle", end, y, 2, 2, INK, INK, 0, kind))


def draw_marker(figure, x, y, radius, controlled, kind="mark"):
    if controlled:
        # A square of the same area as the circle the same number of participants would get.
        half = radius * math.sqrt(math.pi) / 2
        figure.marks.append(Mark("rect", x, y, half, half, CONTROLLED_COLOUR, CONTROLLED_EDGE, 1, kind))
    else:
        figure.marks.append(Mark("circle", x, y, radius, radius, PAPER, UNCONTROLLED_COLOUR, 2.5, kind))


def size_sample(radius):
    return lambda figure, x, y: figure.marks.append(Mark("circle", x, y, radius, radius, PAPER, MUTED, 1.5, "legend"))


def whisker_sample(kind):
    sample = Change(Decimal(0), False, kind=kind)
    return lambda figure, x, y: draw_whisker(figure, sample, None, y, x - SYMBOL / 2 + 1, x + SYMBOL / 2 - 1, "legend")


def legend_items(panel):
    """(drawer, symbol height, words) for each legend entry; a drawer draws its symbol centred at (x, y)."""
    items = []
    designs = {row.controlled for row in panel.rows}
    if True in designs:
        items.append((lambda figure, x, y: draw_marker(figure, x, y, 6, True, "legend"), 12, "controlled design"))
    if False in designs:
        items.append((lambda figure, x, y: draw_marker(figure, x, y, 6, False, "legend"), 12, "uncontrolled design"))
    known = sorted({row.participants for row in panel.rows if row.participants is not None})
    for participants in dict.fromkeys(known[:1] + known[-1:]):
        radius = marker_radius(participants)
        words = f"{participants} participant{'s' if participants != 1 else ''} (marker area)"
        items.append((size_sample(radius), 2 * radius + 3, words))
    if any(row.participants is None for row in panel.rows):
        items.append((size_sample(marker_radius(None)), 10, "n not reported: smallest marker"))
    items += [(whisker_sample(kind), 12, WHISKERS[kind].legend) for kind in panel.kinds]
    if any(row.change.computed for row in panel.rows):
        items.append((None, 0, "computed: follow-up minus baseline, no whisker"))
    if any(row.change.lower is None and "not drawn" in row.change.spread for row in panel.rows):
        items.append((None, 0, "not drawn: a spread given without its ends"))
    return items


def draw_legend(figure, panel, top, width):
    """Legend entries flowed left to right, wrapping to new lines; returns the bottom edge."""
    x, y, line_height = 0.0, top, 0.0
    for drawer, symbol_height, words in legend_items(panel):
        symbol = SYMBOL + 6 if drawer else 0
        lines = wrap(words, width - symbol, SMALL)
        entry_width = symbol + max(text_width(line, SMALL) for line in lines)
        entry_height = max(len(lines) * SMALL_LINE, symbol_height + 2)
        if x > 0 and x + entry_width > width:
            x, y, line_height = 0.0, y + line_height + 4, 0.0
        if drawer:
            drawer(figure, x + SYMBOL / 2, y + entry_height / 2)
        lines = [(line, SMALL, False, INK) for line in lines]
        figure.texts += text_block(lines, x + symbol, y + (entry_height - block_height(lines)) / 2)[0]
        x += entry_width + 16
        line_height = max(line_height, entry_height)
    return y + line_height


def comparison_panels(measures):
    """Forest plots of one outcome category across studies, and the studies that report it only in words.

    Each arm contributes its latest change in stored order; values in different units get
    separate panels. Returns (panels, words_only), words_only being dicts of study, measure and
    the words reported.
    """
    latest, words_only = [], []
    for measure in measures:
        by_arm = {}
        for result in measure.results.all():
            if change_of(result) is not None:
                by_arm[result.arm_id] = result
        if by_arm:
            latest += by_arm.values()
        else:
            words = [result.result_text for result in measure.results.all() if result.result_text]
            words_only.append({"study": measure.study, "measure": measure, "words": words})
    return forest_panels(latest, id_prefix="comparison-chart"), words_only


def measure_panel(measure, results):
    """The forest plot of one measure on its study's page, one row per arm and time point; None if nothing to draw."""
    panels = forest_panels(
        results,
        show_study=False,
        title=f"Change in {measure.name} from baseline ({measure.unit or 'unit not reported'})",
        id_prefix=f"measure-{measure.pk}-chart",
    )
    return panels[0] if panels else None
