"""The chart module: round ticks, text that fits, and forest plots whose computed pieces never overlap."""

import html
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from studies.charts import forest_panels, results_in_words
from studies.charts.axis import ticks_for
from studies.charts.boxes import Text
from studies.charts.forest import NARROW, WIDE
from studies.charts.text import text_width, wrap
from studies.models import Arm, OutcomeMeasure, OutcomeResult, Study
from tests.factories import make_measure, make_result, make_study

LONG_TITLE = "Microneedling followed by topical exosome product in male androgenetic alopecia (12 months)"


def result(study=None, measure=None, arm_label="Treated", participants=20, **fields):
    """An unsaved result of a mean change in hair density, with its measure, study and arm."""
    study = study or Study(pk=1, title=LONG_TITLE, design=Study.Design.PROSPECTIVE_SINGLE_ARM)
    measure = measure or OutcomeMeasure(
        pk=1, study=study, name="hair density", category=OutcomeMeasure.Category.HAIR_DENSITY, unit="hairs/cm2"
    )
    arm = Arm(pk=hash(arm_label) % 1000, study=study, label=arm_label, participants=participants)
    values = {"statistic": OutcomeResult.Statistic.MEAN_CHANGE, "value": Decimal("12"), "timepoint_value": 12}
    values.update(fields)
    return OutcomeResult(measure=measure, arm=arm, timepoint_unit="weeks", **values)


def figures(panels):
    return [figure for panel in panels for figure in panel.figures]


def texts(figure):
    return [text.content for text in figure.texts]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([Decimal("35"), Decimal("67")], ["0", "10", "20", "30", "40", "50", "60", "70"]),
        ([Decimal("-20"), Decimal("-11.6")], ["-20", "-15", "-10", "-5", "0"]),
        ([Decimal("0.003"), Decimal("0.006")], ["0", "0.001", "0.002", "0.003", "0.004", "0.005", "0.006"]),
        ([Decimal("-3"), Decimal("4")], ["-3", "-2", "-1", "0", "1", "2", "3", "4"]),
    ],
)
def test_ticks_are_round_numbers_that_include_zero_and_every_value(values, expected):
    _, ticks = ticks_for(values, 0, 400, 12)
    assert [label for _, label in ticks] == expected


def test_tick_labels_never_touch_even_on_a_narrow_axis():
    scale, ticks = ticks_for([Decimal("-1234.5"), Decimal("9876")], 0, 150, 12)
    boxes = [Text(x, 20, label, 12, "middle").box for x, label in ticks]
    assert all(not one.overlaps(other) for one, other in zip(boxes, boxes[1:], strict=False))
    assert len(ticks) >= 2 and scale(Decimal("9876")) <= 150


def test_a_single_value_of_zero_still_gets_an_axis():
    scale, ticks = ticks_for([Decimal(0)], 0, 100, 12)
    assert [label for _, label in ticks][0] == "0" and len(ticks) >= 2


def test_wrapped_lines_fit_their_width_and_keep_every_word():
    lines = wrap(LONG_TITLE, 180, 13, bold=True)
    assert len(lines) > 1
    assert all(text_width(line, 13, bold=True) <= 180 for line in lines)
    assert " ".join(lines) == LONG_TITLE


def test_a_word_longer_than_the_width_is_broken_rather_than_overflowing():
    lines = wrap("Hairs" * 20, 60, 12)
    assert all(text_width(line, 12) <= 60 for line in lines) and "".join(lines) == "Hairs" * 20


def test_no_piece_of_a_forest_plot_overlaps_text_or_leaves_the_drawing_at_either_width():
    study = Study(pk=1, title=LONG_TITLE, design=Study.Design.RANDOMIZED_CONTROLLED)
    rows = [
        result(study, arm_label="Exosome serum with a long arm label that wraps", value=Decimal("35"),
               dispersion_type="sd", dispersion_value=Decimal("6.5"), participants=120),
        result(study, arm_label="Placebo", value=Decimal("-4"), dispersion_type="ci95",
               dispersion_lower=Decimal("-9.5"), dispersion_upper=Decimal("1.5"), participants=3),
        result(study, arm_label="PRP", value=Decimal("9.5"), dispersion_type="iqr", dispersion_value=Decimal("16.88")),
        result(study, arm_label="Minoxidil", statistic="mean", value=None, baseline=Decimal("100"),
               follow_up=Decimal("180"), participants=None),
    ]  # fmt: skip
    panels = forest_panels(rows)
    assert [figure.width for figure in figures(panels)] == [WIDE, NARROW]
    for figure in figures(panels):
        assert figure.collisions() == []
        assert figure.outside() == []


def test_every_whisker_kind_is_drawn_in_its_own_style_and_named_in_the_legend():
    kinds = {
        "sd": {"dispersion_value": Decimal("2")},
        "se": {"dispersion_value": Decimal("1")},
        "ci95": {"dispersion_lower": Decimal("8"), "dispersion_upper": Decimal("16")},
        "iqr": {"dispersion_lower": Decimal("9"), "dispersion_upper": Decimal("14")},
        "range": {"dispersion_lower": Decimal("2"), "dispersion_upper": Decimal("20")},
    }
    rows = [result(arm_label=kind, dispersion_type=kind, **bounds) for kind, bounds in kinds.items()]
    (panel,) = forest_panels(rows)
    legend = " ".join(texts(panel.wide))
    for words in ("SD:", "SE:", "95% CI:", "IQR:", "Range:"):
        assert words in legend
    bars = [line for line in panel.wide.lines if line.kind == "whisker" and line.y1 == line.y2]
    styles = {(line.dash, line.width) for line in bars}
    assert len(styles) == 4  # SD, SE, CI and range lines differ; the IQR is a box
    assert [mark.shape for mark in panel.wide.marks if mark.kind == "whisker" and mark.width > 5] == ["rect"]
    assert panel.wide.collisions() == [] and panel.narrow.collisions() == []


def test_controlled_designs_are_squares_and_uncontrolled_designs_circles():
    trial = Study(pk=1, title="Trial", design=Study.Design.RANDOMIZED_CONTROLLED)
    cohort = Study(pk=2, title="Cohort", design=Study.Design.CASE_SERIES)
    (panel,) = forest_panels([result(trial), result(cohort)])
    assert [mark.shape for mark in panel.wide.marks if mark.kind == "mark"] == ["rect", "circle"]
    assert "controlled design" in texts(panel.wide) and "uncontrolled design" in texts(panel.wide)


def test_marker_area_grows_with_participants_and_the_legend_names_the_sizes():
    (panel,) = forest_panels([result(arm_label="Small", participants=9), result(arm_label="Large", participants=49)])
    small, large = (mark for mark in panel.wide.marks if mark.kind == "mark")
    assert large.width**2 / small.width**2 == pytest.approx(49 / 9, rel=0.01)
    assert "9 participants (marker area)" in texts(panel.wide) and "49 participants (marker area)" in texts(panel.wide)


@pytest.mark.parametrize(
    ("category", "benefit"),
    [
        (OutcomeMeasure.Category.HAIR_DENSITY, "more hair \u2192"),
        (OutcomeMeasure.Category.HAIR_COUNT, "more hair \u2192"),
        (OutcomeMeasure.Category.HAIR_THICKNESS, "thicker hair \u2192"),
        (OutcomeMeasure.Category.SALT_SCORE, "\u2190 lower SALT is better"),
        (OutcomeMeasure.Category.PATIENT_SATISFACTION, "which way is better depends on the study's scale"),
    ],
)
def test_each_chart_states_which_direction_is_better(category, benefit):
    study = Study(pk=1, title="A study", design="")
    measure = OutcomeMeasure(pk=1, study=study, name="outcome", category=category, unit="points")
    (panel,) = forest_panels([result(study, measure)])
    assert benefit in texts(panel.wide) and benefit in texts(panel.narrow)
    assert "no change" in texts(panel.wide)
    assert "Change from baseline (points)" in texts(panel.wide)


def test_values_in_different_units_get_separate_panels():
    study = Study(pk=1, title="A study", design="")
    per_cm2 = OutcomeMeasure(pk=1, study=study, name="a", category="hair_density", unit="hairs/cm2")
    per_field = OutcomeMeasure(pk=2, study=study, name="b", category="hair_density", unit="hairs/0.65 cm2")
    panels = forest_panels([result(study, per_cm2), result(study, per_field), result(study, per_cm2)])
    assert [(panel.unit, len(panel.rows)) for panel in panels] == [("hairs/cm2", 2), ("hairs/0.65 cm2", 1)]
    assert [panel.id for panel in panels] == ["forest-1", "forest-2"]


def test_the_value_column_gives_the_number_and_its_spread_as_text():
    (panel,) = forest_panels([result(value=Decimal("35"), dispersion_type="sd", dispersion_value=Decimal("6.5"))])
    assert "+35 (SD 6.5)" in texts(panel.wide)
    assert panel.rows[0].change.text == "+35 (SD 6.5)"


def test_results_in_words_are_not_drawn_but_listed():
    words = result(statistic="", value=None, result_text="significant increase")
    numbers = result()
    (panel,) = forest_panels([words, numbers])
    assert len(panel.rows) == 1
    assert results_in_words([words, numbers]) == [words]
    assert forest_panels([words]) == []


def test_the_label_column_names_study_arm_design_and_size_when_several_studies_share_a_chart():
    (panel,) = forest_panels([result(arm_label="Exosome serum", participants=24)])
    label = " ".join(texts(panel.wide))
    assert "Microneedling followed by topical exosome" in label
    assert "Exosome serum \u00b7 Prospective single-arm \u00b7 n = 24 \u00b7 12 weeks" in label.replace(
        " \u00b7\n", " \u00b7 "
    )


def download_link(page):
    return html.unescape(re.search(r'<a href="([^"]+)" download>Download this chart \(SVG\)</a>', page).group(1))


def parsed_svg(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    drawing = ElementTree.fromstring(response.content)
    assert drawing.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"style" not in response.content and b"<script" not in response.content
    return drawing


def drawn_texts(drawing):
    return [text.text for text in drawing.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.django_db
def test_a_study_pages_chart_downloads_as_a_standalone_svg_file(client, reference_studies):
    page = client.get(reverse("studies:detail", args=["wan-2025-microneedling-topical-exosome"])).text
    response = client.get(download_link(page))
    assert "wan-2025-microneedling-topical-exosome-hair-density.svg" in response["Content-Disposition"]
    texts = drawn_texts(parsed_svg(response))
    assert "+35 (SD 6.5)" in texts and "more hair \u2192" in texts


@pytest.mark.django_db
def test_a_comparison_chart_downloads_with_the_pages_choices(client, reference_studies):
    page = client.get(reverse("studies:compare"), {"category": "salt_score"}).text
    link = download_link(page)
    assert link == "/compare/chart-1.svg?category=salt_score"
    texts = drawn_texts(parsed_svg(client.get(link)))
    assert "\u2190 lower SALT is better" in texts
    assert client.get("/compare/chart-2.svg?category=salt_score").status_code == 404
    assert client.get("/compare/chart-1.svg?category=eyebrows").status_code == 400


@pytest.mark.django_db
def test_an_unpublished_studys_chart_cannot_be_downloaded(client):
    study = make_study(slug="draft", status=Study.Status.DRAFT)
    measure = make_measure(study=study)
    make_result(measure=measure)
    assert client.get(reverse("studies:measure-chart", args=["draft", measure.pk])).status_code == 404


@pytest.mark.django_db
def test_a_curator_previewing_a_draft_downloads_its_chart_and_no_cache_keeps_it(curator_client):
    study = make_study(slug="draft", status=Study.Status.DRAFT)
    measure = make_measure(study=study)
    make_result(measure=measure)
    response = curator_client.get(reverse("studies:measure-chart", args=["draft", measure.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("value", ["-9999999999.999999", "9999999999.999999", "0.000001"])
def test_an_axis_for_the_largest_and_smallest_numbers_kept_is_drawn_with_ticks_that_fit(value):
    for width in (330, 760):
        scale, ticks = ticks_for([Decimal(value)], 0, width * 0.4, 12)
        assert ("0" in [label for _, label in ticks]) and len(ticks) >= 1
        for (x1, label1), (x2, label2) in zip(ticks, ticks[1:], strict=False):
            assert x2 - x1 >= (text_width(label1, 12) + text_width(label2, 12)) / 2
