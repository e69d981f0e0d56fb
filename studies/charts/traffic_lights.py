"""Risk-of-bias traffic lights: studies as rows, bias domains as columns, the overall judgement last.

Built from plain data, so that any appraisal model can feed it:

    traffic_lights(
        title="Risk of bias (RoB 2)",
        domains=[Domain("D1", "Randomisation process"), ...],
        rows=[StudyJudgements("Wan 2025", "/studies/wan-2025/", {"D1": "low", ...}, overall="high")],
    )

Every cell shows a symbol and a letter, so that no judgement is told by its colour alone; the
symbols are those of robvis, the figures reviews in the field already print. A domain with no
judgement is "not assessed", never low risk.
"""

from dataclasses import dataclass, field

from studies.models.appraisal import SYMBOLS
from studies.models.appraisal import TOOLS as APPRAISAL_TOOLS


@dataclass(frozen=True)
class Judgement:
    code: str
    symbol: str
    letter: str
    word: str

    @property
    def css_class(self):
        return f"rob-{self.code.replace('_', '-')}"


# What each judgement is called in a chart's legend and read out with its cell.
WORDS = {
    "low": "Low risk of bias",
    "some_concerns": "Some concerns",
    "moderate": "Moderate risk of bias",
    "high": "High risk of bias",
    "serious": "Serious risk of bias",
    "critical": "Critical risk of bias",
    "no_information": "No information",
    "yes": "Yes",
    "no": "No",
    "unclear": "Unclear",
    "not_applicable": "Not applicable",
    "not_assessed": "Not assessed: full text not read",
}
JUDGEMENTS = {code: Judgement(code, *SYMBOLS[code], word) for code, word in WORDS.items()}
# The judgements each tool allows, best first: a legend lists them in this order.
TOOLS = {code: tool.answers for code, tool in APPRAISAL_TOOLS.items() if tool.domains}


@dataclass(frozen=True)
class Domain:
    short: str
    name: str


@dataclass
class StudyJudgements:
    label: str
    url: str
    judgements: dict
    overall: str = "not_assessed"


@dataclass
class Cell:
    column: str
    column_name: str
    judgement: Judgement


@dataclass
class LightRow:
    label: str
    url: str
    cells: list = field(default_factory=list)


@dataclass
class TrafficLights:
    title: str
    tool: str
    domains: list
    rows: list
    legend: list

    @property
    def nothing_assessed(self):
        return all(cell.judgement.code == "not_assessed" for row in self.rows for cell in row.cells)

    @property
    def has_overall(self):
        return APPRAISAL_TOOLS[self.tool].has_overall

    @property
    def columns(self):
        overall = [Domain("Overall", "Overall judgement")] if self.has_overall else []
        return [*self.domains, *overall]


def judgement(code, tool):
    if code not in TOOLS[tool]:
        raise ValueError(f"'{code}' is not a {tool} judgement; expected one of {', '.join(TOOLS[tool])}.")
    return JUDGEMENTS[code]


def traffic_lights(title, domains, rows, tool="rob_2"):
    """The chart's rows of cells and its legend. `domains` are `Domain`s (or (short, name) pairs),
    `rows` `StudyJudgements` (or dicts with label, url, judgements and overall). A judgement code
    the tool does not allow raises ValueError; a domain missing from a row is not assessed.
    """
    if tool not in TOOLS:
        raise ValueError(f"Unknown risk-of-bias tool '{tool}'; expected one of {', '.join(TOOLS)}.")
    domains = [domain if isinstance(domain, Domain) else Domain(*domain) for domain in domains]
    built, used = [], set()
    for row in rows:
        row = row if isinstance(row, StudyJudgements) else StudyJudgements(**row)
        light = LightRow(row.label, row.url)
        for domain in domains:
            code = row.judgements.get(domain.short, "not_assessed")
            light.cells.append(Cell(domain.short, domain.name, judgement(code, tool)))
        if APPRAISAL_TOOLS[tool].has_overall:
            light.cells.append(Cell("Overall", "Overall judgement", judgement(row.overall, tool)))
        used |= {cell.judgement.code for cell in light.cells}
        built.append(light)
    legend = [JUDGEMENTS[code] for code in TOOLS[tool] if code in used]
    return TrafficLights(title, tool, domains, built, legend)


def appraisal_lights(studies, outcome_category=""):
    """One chart per appraisal tool among `studies`, each study a row, from their published appraisals.

    Each study needs `public_appraisal` (an Appraisal with its judgements and their outcomes
    prefetched, or None); studies without one, or not appraisable, are left out. With an
    `outcome_category`, a judgement a study made for its measures of that outcome replaces the
    whole-study one, the overall included.
    """
    charts = []
    for code, tool in APPRAISAL_TOOLS.items():
        appraised = [study for study in studies if study.public_appraisal and study.public_appraisal.tool == code]
        if not appraised or not tool.domains:
            continue
        prefix = "D" if tool.has_overall else "Q"
        domains = [Domain(f"{prefix}{number}", domain.name) for number, domain in enumerate(tool.domains, start=1)]
        shorts = {domain.code: short.short for domain, short in zip(tool.domains, domains, strict=True)}
        rows = []
        for study in appraised:
            judged, overall = study.public_appraisal.for_outcome(outcome_category)
            judgements = {shorts[domain]: judgement for domain, judgement in judged.items() if domain in shorts}
            rows.append(StudyJudgements(study.title, study.get_absolute_url(), judgements, overall or "not_assessed"))
        kind = "Risk of bias" if tool.has_overall else "Checklist answers"
        charts.append(traffic_lights(f"{kind} ({tool.short_name})", domains, rows, tool=code))
    return charts
