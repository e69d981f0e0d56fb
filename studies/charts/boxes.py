"""What a chart draws, each piece with the box it takes up, so that overlaps can be computed."""

from dataclasses import dataclass

from studies.charts.text import FONT_FAMILY, text_width

# Where Arial's (and DejaVu's) glyphs reach above and below the baseline, as parts of the font size.
ASCENT, DESCENT = 0.93, 0.24


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other):
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )


@dataclass
class Text:
    x: float
    y: float
    content: str
    size: int
    anchor: str = "start"
    bold: bool = False
    fill: str = "#1d2433"
    kind: str = "label"

    @property
    def width(self):
        return text_width(self.content, self.size, self.bold)

    @property
    def box(self):
        left = {"start": self.x, "middle": self.x - self.width / 2, "end": self.x - self.width}[self.anchor]
        return Box(left, self.y - ASCENT * self.size, left + self.width, self.y + DESCENT * self.size)


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = "#1d2433"
    width: float = 1
    dash: str = ""
    kind: str = "axis"

    @property
    def box(self):
        half = self.width / 2
        return Box(min(self.x1, self.x2) - half, min(self.y1, self.y2) - half, max(self.x1, self.x2) + half,
                   max(self.y1, self.y2) + half)  # fmt: skip


@dataclass
class Mark:
    """A marker: a circle, a square or a box (an interquartile range), centred on x, y."""

    shape: str
    x: float
    y: float
    half_width: float
    half_height: float
    fill: str
    stroke: str
    stroke_width: float = 1.5
    kind: str = "mark"

    @property
    def box(self):
        reach = self.stroke_width / 2
        return Box(self.x - self.half_width - reach, self.y - self.half_height - reach,
                   self.x + self.half_width + reach, self.y + self.half_height + reach)  # fmt: skip

    @property
    def left(self):
        return self.x - self.half_width

    @property
    def top(self):
        return self.y - self.half_height

    @property
    def width(self):
        return 2 * self.half_width

    @property
    def height(self):
        return 2 * self.half_height


@dataclass
class Figure:
    """One drawing of a chart at one width: its pieces in drawing order."""

    font_family = FONT_FAMILY
    id: str
    width: float
    height: float = 0
    lines: list = None
    marks: list = None
    texts: list = None

    def __post_init__(self):
        self.lines, self.marks, self.texts = self.lines or [], self.marks or [], self.texts or []

    def collisions(self):
        """Pairs of pieces that overlap and must not: two texts, or a text and a line or marker."""
        found = []
        for index, text in enumerate(self.texts):
            found += [(text, other) for other in self.texts[index + 1 :] if text.box.overlaps(other.box)]
            found += [(text, other) for other in self.lines + self.marks if text.box.overlaps(other.box)]
        return found

    def outside(self):
        """Pieces that reach beyond the drawing's edges."""
        return [
            piece
            for piece in self.texts + self.lines + self.marks
            if piece.box.left < 0 or piece.box.top < 0 or piece.box.right > self.width or piece.box.bottom > self.height
        ]
