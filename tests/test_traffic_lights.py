"""Risk-of-bias traffic lights: a symbol and a letter in every cell, the overall judgement, a legend."""

import re

import pytest
from django.template.loader import render_to_string

from studies.charts.traffic_lights import Domain, StudyJudgements, traffic_lights

ROB2_DOMAINS = [
    Domain("D1", "Bias arising from the randomisation process"),
    Domain("D2", "Bias due to deviations from intended interventions"),
    Domain("D3", "Bias due to missing outcome data"),
]


def made_up_trials():
    return traffic_lights(
        "Risk of bias (RoB 2)",
        ROB2_DOMAINS,
        [
            StudyJudgements(
                "Trial A 2024", "/studies/trial-a/", {"D1": "low", "D2": "some_concerns", "D3": "low"}, "some_concerns"
            ),
            {
                "label": "Trial B 2025",
                "url": "/studies/trial-b/",
                "judgements": {"D1": "high", "D2": "low"},
                "overall": "high",
            },
        ],
    )


def test_each_study_is_a_row_with_one_cell_per_domain_and_the_overall_judgement_last():
    lights = made_up_trials()
    assert [column.short for column in lights.columns] == ["D1", "D2", "D3", "Overall"]
    first, second = lights.rows
    assert [(cell.judgement.symbol, cell.judgement.letter) for cell in first.cells] == [
        ("+", "L"), ("\u2212", "S"), ("+", "L"), ("\u2212", "S"),
    ]  # fmt: skip
    assert [cell.judgement.code for cell in second.cells] == ["high", "low", "not_assessed", "high"]


def test_a_domain_without_a_judgement_is_not_assessed_never_low_risk():
    lights = made_up_trials()
    missing = lights.rows[1].cells[2]
    assert missing.judgement.letter == "NR"
    assert missing.judgement.word == "Not assessed: full text not read"


def test_the_legend_lists_only_the_judgements_shown_in_the_tools_order():
    assert [judgement.code for judgement in made_up_trials().legend] == ["low", "some_concerns", "high", "not_assessed"]


def test_robins_i_has_its_own_judgements_each_with_a_distinct_symbol_and_letter():
    codes = ["low", "moderate", "serious", "critical", "no_information", "not_assessed"]
    lights = traffic_lights(
        "Risk of bias (ROBINS-I)",
        [("D1", "Bias due to confounding")],
        [{"label": f"Cohort {code}", "url": "", "judgements": {"D1": code}, "overall": code} for code in codes],
        tool="robins_i",
    )
    shown = [(row.cells[0].judgement.symbol, row.cells[0].judgement.letter) for row in lights.rows]
    assert len(set(shown)) == len(codes)
    assert len({letter for _, letter in shown}) == len(codes)
    assert [judgement.code for judgement in lights.legend] == codes


@pytest.mark.parametrize(("tool", "code"), [("rob_2", "moderate"), ("robins_i", "some_concerns"), ("rob_2", "green")])
def test_a_judgement_the_tool_does_not_have_is_refused(tool, code):
    with pytest.raises(ValueError, match=code):
        traffic_lights(
            "Risk of bias", [("D1", "Domain")], [{"label": "S", "url": "", "judgements": {"D1": code}}], tool
        )


def test_the_template_shows_symbol_and_letter_and_reads_the_word_with_its_domain():
    page = render_to_string("studies/includes/traffic_lights.html", {"lights": made_up_trials()})
    assert "<caption>Risk of bias (RoB 2)</caption>" in page
    assert '<a href="/studies/trial-a/">Trial A 2024</a>' in page
    assert '<abbr title="Bias due to missing outcome data">D3</abbr>' in page
    cell = re.search(r'<td class="rob rob-high">.*?</td>', page, flags=re.S).group(0)
    assert '<span class="rob-symbol">\u00d7</span><span class="rob-letter">H</span>' in cell
    assert "Bias arising from the randomisation process: High risk of bias" in cell
    assert page.count('<td class="rob ') == 8
    assert "Not assessed: full text not read" in page and "<dt>D1</dt>" in page
    assert "style=" not in page and "<script" not in page
