"""How well a study was carried out, judged with the appraisal tool that fits its design.

The tools are the ones evidence reviews use: RoB 2 for randomized trials, ROBINS-I for
non-randomized comparisons, and the JBI checklists for case series and case reports. Their
domains and levels are named here in the tracker's own short words, with a link to each tool's
own site for the real guidance (RoB 2's is licensed without derivatives, so none of it is copied).

A judgement is made per domain (or checklist item) for the whole study, and may be overridden
for one outcome: a blinded assessor can make the measurement of one outcome sound and leave
another at risk. "Not assessed: full text not read" is an honest answer on every tool.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from studies.models.outcomes import OutcomeMeasure
from studies.models.sources import Source
from studies.models.study import Study
from studies.models.workflow import ReviewStatus, ReviewWorkflow


class Judgement(models.TextChoices):
    LOW = "low", "Low risk"
    SOME_CONCERNS = "some_concerns", "Some concerns"
    MODERATE = "moderate", "Moderate risk"
    SERIOUS = "serious", "Serious risk"
    HIGH = "high", "High risk"
    CRITICAL = "critical", "Critical risk"
    NO_INFORMATION = "no_information", "No information"
    YES = "yes", "Yes"
    NO = "no", "No"
    UNCLEAR = "unclear", "Unclear"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_ASSESSED = "not_assessed", "Not assessed: full text not read"


# A symbol and a letter for each judgement, so that nothing depends on colour; the symbols are
# those of robvis, the risk-of-bias figures reviews already print.
SYMBOLS = {
    "low": ("+", "L"),
    "some_concerns": ("\u2212", "S"),
    "moderate": ("\u2212", "M"),
    "serious": ("\u00d7", "S"),
    "high": ("\u00d7", "H"),
    "critical": ("!", "C"),
    "no_information": ("?", "NI"),
    "yes": ("\u2713", "Y"),
    "no": ("\u00d7", "N"),
    "unclear": ("?", "U"),
    "not_applicable": ("\u2013", "n/a"),
    "not_assessed": ("\u25cb", "NR"),
}


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    asks: str  # what the domain looks at, in the tracker's words


@dataclass(frozen=True)
class Tool:
    code: str
    short_name: str
    name: str
    url: str
    fits: str  # the designs it is made for
    levels: tuple  # judgements from best to worst, the ones an overall judgement is ranked on
    other_answers: tuple  # judgements allowed that are not a rank ("no information", "not assessed")
    domains: tuple
    has_overall: bool  # JBI advises against adding up a checklist into a score

    @property
    def answers(self):
        return self.levels + self.other_answers

    @property
    def level_labels(self):
        return [Judgement(level).label for level in self.levels]

    @property
    def other_labels(self):
        return [Judgement(answer).label for answer in self.other_answers]

    def domain(self, code):
        return next((domain for domain in self.domains if domain.code == code), None)

    def rank(self, judgement):
        return self.levels.index(judgement) if judgement in self.levels else None


RISK_OF_BIAS_SITE = "https://www.riskofbias.info/"
JBI_SITE = "https://jbi.global/critical-appraisal-tools"

TOOLS = {
    tool.code: tool
    for tool in (
        Tool(
            code="rob_2",
            short_name="RoB 2",
            name="RoB 2 (Cochrane risk-of-bias tool for randomized trials)",
            url=RISK_OF_BIAS_SITE,
            fits="randomized trials",
            levels=("low", "some_concerns", "high"),
            other_answers=("not_assessed",),
            domains=(
                Domain(
                    "randomization", "Randomization", "whether the groups were formed by chance, with the order hidden"
                ),
                Domain(
                    "deviations", "Deviations from the intended treatment", "whether people got what they were assigned"
                ),
                Domain(
                    "missing_data", "Missing outcome data", "whether results are missing for enough people to matter"
                ),
                Domain(
                    "measurement", "Measurement of the outcome", "whether the measurement could lean towards one group"
                ),
                Domain(
                    "reporting", "Selection of the reported result", "whether the result shown was picked from several"
                ),
            ),
            has_overall=True,
        ),
        Tool(
            code="robins_i",
            short_name="ROBINS-I",
            name="ROBINS-I (risk of bias in non-randomized studies of interventions)",
            url=RISK_OF_BIAS_SITE,
            fits="non-randomized comparisons",
            levels=("low", "moderate", "serious", "critical"),
            other_answers=("no_information", "not_assessed"),
            domains=(
                Domain(
                    "confounding", "Confounding", "whether something other than the treatment explains the difference"
                ),
                Domain("selection", "Selection of participants", "whether who was included depended on the outcome"),
                Domain("classification", "Classification of interventions", "whether it is clear who got what"),
                Domain("deviations", "Deviations from the intended treatment", "whether people got what was planned"),
                Domain("missing_data", "Missing data", "whether results are missing for enough people to matter"),
                Domain("measurement", "Measurement of outcomes", "whether assessors knew the treatment and could lean"),
                Domain(
                    "reporting", "Selection of the reported result", "whether the result shown was picked from several"
                ),
            ),
            has_overall=True,
        ),
        Tool(
            code="jbi_case_series",
            short_name="JBI case series checklist",
            name="JBI checklist for case series",
            url=JBI_SITE,
            fits="single-arm studies and case series",
            levels=(),
            other_answers=("yes", "no", "unclear", "not_applicable", "not_assessed"),
            domains=(
                Domain("inclusion_criteria", "Clear inclusion criteria", "who could take part is stated"),
                Domain(
                    "condition_measured",
                    "Condition measured the same way",
                    "the hair loss was measured alike in everyone",
                ),
                Domain("condition_identified", "Condition identified soundly", "the diagnosis used accepted methods"),
                Domain("consecutive", "Consecutive inclusion", "every eligible patient in a period was included"),
                Domain("complete", "Complete inclusion", "nobody eligible was left out"),
                Domain("demographics", "Participants described", "age, sex and other traits are reported"),
                Domain(
                    "clinical_information", "Clinical details reported", "severity, history and treatment are reported"
                ),
                Domain("outcomes", "Outcomes reported", "results and follow-up are reported clearly"),
                Domain("setting", "Setting described", "where and by whom patients were treated is reported"),
                Domain("statistics", "Suitable statistics", "the analysis fits the data"),
            ),
            has_overall=False,
        ),
        Tool(
            code="jbi_case_report",
            short_name="JBI case report checklist",
            name="JBI checklist for case reports",
            url=JBI_SITE,
            fits="case reports",
            levels=(),
            other_answers=("yes", "no", "unclear", "not_applicable", "not_assessed"),
            domains=(
                Domain("demographics", "Patient described", "age, sex and other traits are given"),
                Domain("history", "History as a timeline", "the course of the hair loss is told in order"),
                Domain("condition", "Condition at presentation", "the state before treatment is described"),
                Domain("diagnosis", "Diagnosis", "how the diagnosis was made is described"),
                Domain("treatment", "Treatment", "what was given, and how, is described"),
                Domain("after_treatment", "Condition after treatment", "the state after treatment is described"),
                Domain("harms", "Harms", "adverse events were looked for and described"),
                Domain("lessons", "Lessons", "the report says what can and cannot be learnt from it"),
            ),
            has_overall=False,
        ),
        Tool(
            code="not_appraisable",
            short_name="Not appraisable",
            name="Not appraisable",
            url="",
            fits="registry records without results, and studies whose design is not known from what was read",
            levels=(),
            other_answers=(),
            domains=(),
            has_overall=False,
        ),
    )
}


def proposed_tool(study):
    """The tool that fits the study's design; 'not appraisable' while there is nothing to appraise."""
    if study.results_status == Study.ResultsStatus.REGISTERED_NO_RESULTS:
        return "not_appraisable"
    return {
        Study.Design.RANDOMIZED_CONTROLLED: "rob_2",
        Study.Design.SPLIT_SCALP: "robins_i",
        Study.Design.NON_RANDOMIZED_CONTROLLED: "robins_i",
        Study.Design.PROSPECTIVE_SINGLE_ARM: "jbi_case_series",
        Study.Design.RETROSPECTIVE: "jbi_case_series",
        Study.Design.CASE_SERIES: "jbi_case_series",
        Study.Design.CASE_REPORT: "jbi_case_report",
    }.get(study.design, "not_appraisable")


def overall_problem(tool, overall, judgements, where=""):
    """Why an overall judgement is better than its domains allow, in words naming the domain ('' when fine).

    `judgements` maps domain code -> judgement. The overall can be no better than the worst domain,
    and 'low' needs every domain judged low: a domain not assessed may hide a problem.
    """
    rank = tool.rank(overall)
    if not tool.has_overall or rank is None:
        return ""
    label = Judgement(overall).label.lower()
    for domain in tool.domains:
        judgement = judgements.get(domain.code, "not_assessed")
        domain_rank = tool.rank(judgement)
        if domain_rank is not None and domain_rank > rank:
            return (
                f"The overall judgement{where} ({label}) cannot be better than the domain "
                f"'{domain.name}' ({Judgement(judgement).label.lower()}); make it "
                f"{Judgement(judgement).label.lower()} or worse"
                + (" with an 'Overall' row for this outcome." if where else ".")
            )
        if rank == 0 and domain_rank is None:
            return (
                f"The overall judgement{where} cannot be {label} while the domain '{domain.name}' is judged "
                f"'{Judgement(judgement).label}'; low needs every domain judged low."
            )
    return ""


class AppraisalQuerySet(models.QuerySet):
    def published(self):
        """Published appraisals of published studies: the ones the public sees."""
        return self.filter(status=ReviewStatus.PUBLISHED, study__status=Study.Status.PUBLISHED)


class Appraisal(ReviewWorkflow, models.Model):
    ToolChoice = models.TextChoices(
        "ToolChoice", [(code.upper(), (code, tool.short_name)) for code, tool in TOOLS.items()]
    )
    Status = ReviewStatus

    study = models.OneToOneField(
        Study,
        on_delete=models.CASCADE,
        related_name="appraisal",
        help_text="The study appraised. Each study has at most one appraisal.",
    )
    tool = models.CharField(
        max_length=30,
        choices=ToolChoice,
        help_text="The appraisal tool. The one that fits the study's design is proposed; choosing another "
        "needs a reason. Shown publicly.",
    )
    tool_reason = models.TextField(
        blank=True,
        help_text="Why this tool and not the one the design suggests. Required when they differ. Shown publicly.",
    )
    overall = models.CharField(
        max_length=30,
        choices=Judgement,
        blank=True,
        help_text="Overall risk of bias (RoB 2 and ROBINS-I only): no better than the worst domain. "
        "JBI checklists have none. Shown publicly.",
    )
    overall_support = models.TextField(
        blank=True,
        help_text="What led to the overall judgement, in a sentence. Shown publicly.",
    )
    status = models.CharField(
        max_length=20,
        choices=ReviewStatus,
        default=ReviewStatus.DRAFT,
        help_text="Workflow status. Only published appraisals of published studies are public.",
    )
    updated_at = models.DateTimeField(auto_now=True, help_text="When the appraisal last changed.")

    history = HistoricalRecords()
    objects = AppraisalQuerySet.as_manager()

    class Meta:
        ordering = ["study__title", "id"]
        permissions = [("publish_appraisal", "Can publish and unpublish appraisals")]

    def __str__(self):
        return f"Appraisal of {self.study}"

    def get_absolute_url(self):
        return reverse("studies:detail", args=[self.study.slug]) + "#trust"

    @property
    def tool_definition(self):
        return TOOLS[self.tool]

    def clean(self):
        super().clean()
        errors = {}
        if self.tool and self.study_id and self.tool != proposed_tool(self.study) and not self.tool_reason.strip():
            proposed = TOOLS[proposed_tool(self.study)].name
            errors["tool_reason"] = (
                f"The study's design suggests {proposed}; say why {TOOLS[self.tool].name} fits better."
            )
        if self.tool and self.overall:
            tool = self.tool_definition
            if not tool.has_overall:
                errors["overall"] = f"{tool.name} has no overall judgement; leave it empty and show the answers."
            elif self.overall not in tool.answers:
                errors["overall"] = f"'{Judgement(self.overall).label}' is not on the scale of {tool.name}."
        if errors:
            raise ValidationError(errors)

    def publication_problems(self):
        problems = []
        tool = self.tool_definition
        if tool.has_overall and not self.overall:
            problems.append("Give the overall judgement (or 'not assessed').")
        judged = set(self.judgements.filter(outcome__isnull=True).values_list("domain", flat=True))
        for domain in tool.domains:
            if domain.code not in judged:
                problems.append(f"Judge the domain '{domain.name}' (or mark it not assessed).")
        problems += self.judgement_problems()
        return problems

    def judgement_problems(self, rows=None):
        """Every overall judgement, for the whole study and for each outcome with its own, checked against its domains.

        `rows` are (outcome, domain, judgement) triples; by default the saved ones.
        """
        if rows is None:
            rows = [(row.outcome, row.domain, row.judgement) for row in self.judgements.select_related("outcome")]
        tool = self.tool_definition
        whole_study = {domain: judgement for outcome, domain, judgement in rows if outcome is None}
        problems = []
        if problem := overall_problem(tool, self.overall, whole_study):
            problems.append(problem)
        outcomes = {outcome for outcome, _, _ in rows if outcome is not None}
        for outcome in sorted(outcomes, key=lambda measure: measure.pk):
            own = {domain: judgement for measure, domain, judgement in rows if measure == outcome}
            overall = own.pop(OVERALL, self.overall)
            problem = overall_problem(tool, overall, whole_study | own, where=f" for '{outcome.name}'")
            if problem:
                problems.append(problem)
        return problems

    def for_outcome(self, category):
        """The judgements that hold for the study's measures of one outcome category: {domain: judgement}
        and the overall, the whole study's unless a measure of that category has its own (read from
        the prefetched judgements and their outcomes)."""
        judgements, overall = {}, self.overall
        for row in self.judgements.all():
            if row.outcome_id is None:
                judgements.setdefault(row.domain, row.judgement)
        for row in self.judgements.all():
            if row.outcome_id is not None and row.outcome.category == category:
                if row.domain == OVERALL:
                    overall = row.judgement
                else:
                    judgements[row.domain] = row.judgement
        return judgements, overall

    @property
    def overall_is_a_floor(self):
        """True when some domain was not assessed: the overall then says how bad it is at least."""
        tool = self.tool_definition
        if not tool.has_overall or tool.rank(self.overall) is None:
            return False
        judged = {row.domain: row.judgement for row in self.judgements.all() if row.outcome_id is None}
        return any(tool.rank(judged.get(domain.code, "not_assessed")) is None for domain in tool.domains)

    def domain_rows(self):
        """The whole-study judgements in the tool's order, with the outcome-specific ones after each."""
        rows = list(self.judgements.all())
        order = {domain.code: position for position, domain in enumerate(self.tool_definition.domains)}
        return sorted(rows, key=lambda row: (order.get(row.domain, len(order)), row.outcome_id is not None))


OVERALL = "overall"


class AppraisalJudgement(models.Model):
    appraisal = models.ForeignKey(
        Appraisal,
        on_delete=models.CASCADE,
        related_name="judgements",
        help_text="The appraisal this judgement belongs to.",
    )
    outcome = models.ForeignKey(
        OutcomeMeasure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appraisal_overrides",
        help_text="Leave empty for the whole study. Choose an outcome measure when this domain is judged "
        "differently for that outcome (e.g. a blinded assessor for one measure only).",
    )
    domain = models.CharField(
        max_length=40,
        help_text="The tool's domain or checklist item; 'overall' only for an outcome's own overall judgement.",
    )
    judgement = models.CharField(max_length=30, choices=Judgement, help_text="On the tool's own scale. Shown publicly.")
    support = models.TextField(
        blank=True,
        help_text="What in the source led to this judgement, quoted where possible. Shown publicly.",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appraisal_judgements",
        help_text="The source the support was read in. Shown publicly.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["appraisal", "outcome", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "domain"],
                condition=Q(outcome__isnull=True),
                name="appraisal_domain_once",
                violation_error_message="Each domain is judged once for the whole study.",
            ),
            models.UniqueConstraint(
                fields=["appraisal", "outcome", "domain"],
                name="appraisal_outcome_domain_once",
                violation_error_message="Each domain is judged once per outcome.",
            ),
            models.CheckConstraint(
                condition=~Q(domain=OVERALL, outcome__isnull=True),
                name="appraisal_overall_only_per_outcome",
                violation_error_message="The whole study's overall judgement belongs on the appraisal itself.",
            ),
        ]

    def __str__(self):
        return f"{self.domain_name}: {self.get_judgement_display()}"

    @property
    def domain_name(self):
        if self.domain == OVERALL:
            return "Overall"
        domain = self.appraisal.tool_definition.domain(self.domain)
        return domain.name if domain else self.domain

    @property
    def symbol(self):
        return SYMBOLS[self.judgement]

    def clean(self):
        super().clean()
        errors = {}
        if not self.appraisal_id:
            return
        tool = self.appraisal.tool_definition
        if self.domain != OVERALL and tool.domain(self.domain) is None:
            names = ", ".join(f"'{domain.code}'" for domain in tool.domains) or "none"
            errors["domain"] = f"{tool.name} has no domain '{self.domain}'; its domains are {names}."
        elif self.domain == OVERALL and not tool.has_overall:
            errors["domain"] = f"{tool.name} has no overall judgement."
        if self.judgement and self.judgement not in tool.answers:
            scale = ", ".join(Judgement(answer).label.lower() for answer in tool.answers)
            errors["judgement"] = (
                f"'{Judgement(self.judgement).label}' is not on the scale of {tool.name}; choose one of: {scale}."
            )
        if self.outcome_id and self.outcome.study_id != self.appraisal.study_id:
            errors["outcome"] = "Choose an outcome measure of the appraised study."
        if self.source_id and self.source.study_id != self.appraisal.study_id:
            errors["source"] = "Choose a source of the appraised study."
        if errors:
            raise ValidationError(errors)
