"""How wide a line of chart text is, estimated without a browser.

Charts name their font (Arial, or Liberation Sans, which has the same widths) so that these widths
hold; a fallback font such as DejaVu Sans is up to a tenth wider, and the margin covers it.
"""

# Helvetica/Arial advance widths in thousandths of the font size, for printable ASCII.
_WIDTHS = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        [
            278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
            556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
            1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
            667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
            333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
            556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
        ],
        strict=True,
    )
)  # fmt: skip
# Arrows, minus, multiplication and other symbols: about as wide as a digit or a little wider.
_OTHER = 1000
MARGIN = 1.12
BOLD = 1.08

FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"


def text_width(text, size, bold=False):
    """Width in pixels of `text` set at `size` pixels, rounded up by the safety margin."""
    thousandths = sum(_WIDTHS.get(character, _OTHER) for character in text)
    return thousandths * size / 1000 * MARGIN * (BOLD if bold else 1)


def wrap(text, width, size, bold=False):
    """Lines of `text` no wider than `width`, broken between words (inside a word only if it must)."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current, size, bold) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and text_width(current[:cut], size, bold) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines or [""]
