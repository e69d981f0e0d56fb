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


@dataclass(frozen=True)
class Judgement:
    code: str
    symbol: str
    letter: str
    word: str

    @property
    def css_class(self):
        return f"rob-{self.code.replace('_', '-')}"


JUDGEMENTS = {
    judgement.code: judgement
    for judgement in [
        Judgement("low", "+", "L", "Low risk of bias"),
        Judgement("some_concerns", "\u2212", "S", "Some concerns"),
        Judgement("moderate", "\u2212", "M", "Moderate risk of bias"),
        Judgement("high", "\u00d7", "H", "High risk of bias"),
        Judgement("serious", "\u00d7", "S", "Serious risk of bias"),
        Judgement("critical", "!", "C", "Critical risk of bias"),
        Judgement("no_information", "?", "NI", "No information"),
        Judgement("not_assessed", "\u25cb", "NA", "Not assessed: full text not read"),
    ]
}
# The judgements each tool allows, best first: a legend lists them in this order.
TOOLS = {
    "rob2": ["low", "some_concerns", "high", "not_assessed"],
    "robins_i": ["low", "moderate", "serious", "critical", "no_information", "not_assessed"],
}


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
    def columns(self):
        return [*self.domains, Domain("Overall", "Overall judgement")]


def judgement(code, tool):
    if code not in TOOLS[tool]:
        raise ValueError(f"'{code}' is not a {tool} judgement; expected one of {', '.join(TOOLS[tool])}.")
    return JUDGEMENTS[code]


def traffic_lights(title, domains, rows, tool="rob2"):
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
        light.cells.append(Cell("Overall", "Overall judgement", judgement(row.overall, tool)))
        used |= {cell.judgement.code for cell in light.cells}
        built.append(light)
    legend = [JUDGEMENTS[code] for code in TOOLS[tool] if code in used]
    return TrafficLights(title, tool, domains, built, legend)
