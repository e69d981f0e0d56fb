"""What the browser tests share: Debian's Chromium, how it is started, and the widths a page is read at."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A phone and a desktop.
WIDTHS = [360, 1440]
# Screenshots of the pages the browser tests visit, for a person to look at (not committed).
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
