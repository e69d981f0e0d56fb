"""Charts drawn on the server as SVG that needs no script and no inline style.

forest: forest plots of change from baseline (study pages, /compare/, outcome pages).
traffic_lights: risk-of-bias judgements (and checklist answers) per study and domain.
downloads: a chart as a standalone SVG file.
axis, text, boxes: the round ticks, text widths and boxes their layouts are computed from.
"""

from studies.charts.forest import comparison_panels, forest_panels, measure_panel, results_in_words
from studies.charts.traffic_lights import appraisal_lights

__all__ = ["appraisal_lights", "comparison_panels", "forest_panels", "measure_panel", "results_in_words"]
