"""How certain the evidence is for one outcome across the studies, judged the GRADE way.

An outcome summary answers one question ("exosome treatment compared with none for androgenetic
alopecia: hair density"). Its certainty starts high for randomized trials and low otherwise, and
goes down one level for each serious concern and two for each very serious one, in five domains.
The studies it covers are chosen by a rule (condition, outcome, intervention) that a curator
confirms; their number, participants and designs are counted from the published studies every
time, never typed, so they stay true as studies are added.
"""

import enum
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Least
from django.db.models.lookups import Exact
from django.urls import reverse
from simple_history.models import HistoricalRecords

from studies.models.arms import Intervention
from studies.models.outcomes import OutcomeMeasure, OutcomeResult
from studies.models.safety import AdverseEvent
from studies.models.study import Study
from studies.models.workflow import ReviewStatus, ReviewWorkflow


class Certainty(models.TextChoices):
    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"
    VERY_LOW = "very_low", "Very low"

    # What each level tells a reader, in the tracker's words; /evidence/ and /methods/ show them.
    meanings = enum.nonmember(
        {
            "high": "Further studies are very unlikely to change the picture.",
            "moderate": "The true effect is probably close to what the studies found, but it may differ.",
            "low": "The true effect may be quite different from what the studies found.",
            "very_low": "We are very uncertain: the true effect is likely to be quite different from what the "
            "studies found.",
        }
    )

    @property
    def meaning(self):
        return self.meanings[self.value]

    @property
    def symbols(self):
        """⊕⊕⊕⊕ for high down to ⊕◯◯◯ for very low: the GRADE notation, readable without colour."""
        filled = 4 - CERTAINTY_ORDER.index(self.value)
        return "⊕" * filled + "◯" * (4 - filled)


CERTAINTY_ORDER = [Certainty.HIGH, Certainty.MODERATE, Certainty.LOW, Certainty.VERY_LOW]


class Concern(models.TextChoices):
    NOT_SERIOUS = "not_serious", "Not serious"
    SERIOUS = "serious", "Serious"
    VERY_SERIOUS = "very_serious", "Very serious"


STEPS_DOWN = {Concern.NOT_SERIOUS: 0, Concern.SERIOUS: 1, Concern.VERY_SERIOUS: 2}

# The five GRADE domains, in GRADE's order: (field, name, what it asks, in the tracker's words).
DOMAINS = [
    ("risk_of_bias", "Risk of bias", "how well the studies were designed and run"),
    ("inconsistency", "Inconsistency", "whether the studies' results disagree"),
    ("indirectness", "Indirectness", "whether the studies' people, treatments and measures differ from the question"),
    ("imprecision", "Imprecision", "whether there are too few people or events to be sure"),
    ("publication_bias", "Publication bias", "whether studies with disappointing results may be missing"),
]

ADVERSE_EVENTS = "adverse_events"
# Safety statements from studies that say they looked for harms and counted or saw none (serious).
HARMS_LOOKED_FOR = ["counts_reported", "none_observed", "none_serious"]
# Safety statements that say something about harm, in any words (see Study.AdverseEventStatus).
SAFETY_REPORTED = ["counts_reported", "none_observed", "none_reported", "none_serious"]


def expected_certainty(starting_level, concerns):
    """The starting level lowered one step per serious concern and two per very serious one, never below very low."""
    steps = sum(STEPS_DOWN[concern] for concern in concerns)
    start = CERTAINTY_ORDER.index(starting_level)
    return CERTAINTY_ORDER[min(start + steps, len(CERTAINTY_ORDER) - 1)]


def rank_of(field, order):
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(order)), output_field=IntegerField()
    )


def steps_down(field):
    return Case(
        *(When(**{field: concern}, then=Value(steps)) for concern, steps in STEPS_DOWN.items()), default=Value(0)
    )


class OutcomeSummaryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ReviewStatus.PUBLISHED)


class OutcomeSummary(ReviewWorkflow, models.Model):
    Status = ReviewStatus

    class StartingLevel(models.TextChoices):
        HIGH = "high", "High (randomized trials)"
        LOW = "low", "Low (non-randomized and uncontrolled studies)"

    key = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Short name used in the public address, e.g. /evidence/hair-density-aga/.",
    )
    question = models.CharField(
        max_length=300,
        help_text="The question answered: treatment, comparison and condition. Shown publicly.",
    )
    outcome = models.CharField(max_length=200, help_text="The outcome in words, e.g. 'hair density'. Shown publicly.")
    outcome_category = models.CharField(
        max_length=40,
        choices=[*OutcomeMeasure.Category.choices, (ADVERSE_EVENTS, "Adverse events")],
        help_text="The outcome category of the studies' measures, or 'Adverse events' for harms, which come "
        "from the studies' safety statements.",
    )
    condition = models.CharField(
        max_length=40,
        choices=Study.Condition,
        blank=True,
        help_text="Studies of this condition are covered; empty for any hair loss.",
    )
    studies_selected_by = models.CharField(
        max_length=300,
        help_text="The rule choosing the studies, in words, e.g. 'published studies of exosome treatment for "
        "androgenetic alopecia reporting hair density'. Shown publicly. The fields below apply it.",
    )
    intervention_class = models.CharField(
        max_length=40,
        choices=Intervention.InterventionClass,
        default=Intervention.InterventionClass.EXOSOME,
        help_text="Studies with an arm given this kind of treatment are covered.",
    )
    requires_outcome = models.BooleanField(
        default=True,
        help_text="Cover only studies that report a result in the outcome category (untick when the rule "
        "takes every study of the condition, whatever it measured).",
    )
    randomized_only = models.BooleanField(default=False, help_text="Cover only randomized controlled trials.")
    requires_safety_statement = models.BooleanField(
        default=False,
        help_text="Cover only studies whose sources say anything about harms (for harm outcomes).",
    )
    excluded_studies = models.ManyToManyField(
        Study,
        blank=True,
        related_name="excluded_from_summaries",
        help_text="Studies the rule picks that a curator decided do not answer the question; say why in the "
        "selection note.",
    )
    selection_note = models.TextField(
        blank=True,
        help_text="What the curator checked when confirming the studies, and why any were excluded. Shown publicly.",
    )
    selection_confirmed_on = models.DateField(
        null=True,
        blank=True,
        help_text="When a curator last checked that the studies the rule picks answer the question.",
    )
    starting_level = models.CharField(
        max_length=10,
        choices=StartingLevel,
        help_text="High when the evidence comes from randomized trials, low otherwise. Shown publicly.",
    )
    risk_of_bias = models.CharField(max_length=20, choices=Concern, help_text="Risk of bias across the studies.")
    risk_of_bias_reason = models.TextField(help_text="Why. Shown publicly.")
    inconsistency = models.CharField(max_length=20, choices=Concern, help_text="Whether the results disagree.")
    inconsistency_reason = models.TextField(help_text="Why. Shown publicly.")
    indirectness = models.CharField(
        max_length=20, choices=Concern, help_text="Whether the studies answer another question."
    )
    indirectness_reason = models.TextField(help_text="Why. Shown publicly.")
    imprecision = models.CharField(
        max_length=20, choices=Concern, help_text="Whether there are too few people or events."
    )
    imprecision_reason = models.TextField(help_text="Why. Shown publicly.")
    publication_bias = models.CharField(max_length=20, choices=Concern, help_text="Whether studies may be missing.")
    publication_bias_reason = models.TextField(help_text="Why. Shown publicly.")
    certainty = models.CharField(
        max_length=10,
        choices=Certainty,
        help_text="The starting level lowered one step per serious concern and two per very serious one "
        "(never below very low); the tracker checks it. Shown publicly.",
    )
    plain_language = models.TextField(help_text="The sentence a reader sees first, in plain words. Shown publicly.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the summary-of-findings table.")
    status = models.CharField(
        max_length=20,
        choices=ReviewStatus,
        default=ReviewStatus.DRAFT,
        help_text="Workflow status. Only published summaries are public.",
    )
    updated_at = models.DateTimeField(auto_now=True, help_text="When the summary last changed.")

    history = HistoricalRecords(m2m_fields=[excluded_studies])
    objects = OutcomeSummaryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "key"]
        verbose_name_plural = "outcome summaries"
        permissions = [("publish_outcomesummary", "Can publish and unpublish outcome summaries")]
        constraints = [
            # The arithmetic of GRADE, kept by the database too: clean() explains a mismatch in words.
            models.CheckConstraint(
                condition=Exact(
                    rank_of("certainty", CERTAINTY_ORDER),
                    Least(
                        Value(len(CERTAINTY_ORDER) - 1),
                        rank_of("starting_level", CERTAINTY_ORDER) + sum(steps_down(field) for field, _, _ in DOMAINS),
                    ),
                ),
                name="outcome_summary_certainty_follows_domains",
                violation_error_message="The certainty must be the starting level lowered one step per serious "
                "concern and two per very serious one.",
            )
        ]

    def __str__(self):
        return f"{self.outcome} ({self.question})"

    def get_absolute_url(self):
        return reverse("studies:evidence", args=[self.key])

    @property
    def certainty_symbols(self):
        return Certainty(self.certainty).symbols if self.certainty else ""

    @property
    def condition_text(self):
        return self.get_condition_display().lower() if self.condition else "any hair loss"

    @property
    def domains(self):
        """The five domains as (name, what it asks, concern label, reason), in GRADE's order."""
        return [
            (name, asks, getattr(self, f"get_{field}_display")(), getattr(self, f"{field}_reason"))
            for field, name, asks in DOMAINS
        ]

    @property
    def expected_certainty(self):
        concerns = [getattr(self, field) for field, _, _ in DOMAINS]
        if not self.starting_level or not all(concerns):
            return None
        return expected_certainty(self.starting_level, concerns)

    def clean(self):
        super().clean()
        expected = self.expected_certainty
        if expected is not None and self.certainty and self.certainty != expected:
            steps = sum(STEPS_DOWN[getattr(self, field)] for field, _, _ in DOMAINS)
            raise ValidationError(
                {
                    "certainty": f"Starting {self.starting_level} and going down {steps} "
                    f"step{'s' if steps != 1 else ''} gives {Certainty(expected).label.lower()}, "
                    f"not {Certainty(self.certainty).label.lower()}."
                }
            )

    # Which studies, and what they add up to

    def rule(self):
        """The published studies this summary's rule picks, as a condition on Study."""
        rule = Q(status=Study.Status.PUBLISHED, results_status=Study.ResultsStatus.REPORTED)
        rule &= Exists(
            Intervention.objects.filter(arm__study=OuterRef("pk"), intervention_class=self.intervention_class)
        )
        if self.condition:
            rule &= Q(condition=self.condition)
        if self.requires_outcome and self.outcome_category != ADVERSE_EVENTS:
            rule &= Exists(
                OutcomeResult.objects.filter(measure__study=OuterRef("pk"), measure__category=self.outcome_category)
            )
        if self.randomized_only:
            rule &= Q(design=Study.Design.RANDOMIZED_CONTROLLED)
        if self.requires_safety_statement:
            rule &= Q(adverse_event_status__in=SAFETY_REPORTED)
        if self.pk:
            rule &= ~Exists(
                OutcomeSummary.excluded_studies.through.objects.filter(
                    outcomesummary_id=self.pk, study_id=OuterRef("pk")
                )
            )
        return rule

    def studies(self):
        return Study.objects.filter(self.rule())


@dataclass
class Counts:
    """What the covered studies add up to, computed from the published studies."""

    studies: int
    participants: int | None  # of the studies that report how many took part; None when none does
    participants_unknown: int  # studies that do not
    designs: list  # (design label, number of studies), most first
    words_only: int  # studies reporting the outcome only in words
    # For harms (None otherwise): studies with a serious event, and the participants of the studies
    # that say they looked for harms, and of those that only say none were reported.
    studies_with_serious_events: int | None = None
    watched: int | None = None
    not_watched: int | None = None

    @property
    def rule_of_three(self):
        """'No events among N participants ...: a rate up to about 3 in N cannot be excluded', or '' when it
        does not apply. Only studies that say they looked for harms count: "none reported" is silence."""
        if self.studies_with_serious_events != 0 or not self.watched:
            return ""
        upper = 300 / self.watched
        sentence = (
            f"No events among the {self.watched} participants of the studies that say they looked for harms: "
            f"a rate up to about 3 in {self.watched} ({upper:.1f}%) cannot be excluded."
        )
        if self.not_watched:
            sentence += f" {self.not_watched} more took part in studies that only say none were reported."
        return sentence


def numeric_result_exists(category):
    numeric = OutcomeResult.objects.filter(measure__study=OuterRef("pk"), measure__category=category).filter(
        Q(value__isnull=False) | Q(baseline__isnull=False) | Q(follow_up__isnull=False)
    )
    return Exists(numeric)


def serious_events_reported():
    """A serious adverse event recorded for the study, unless recorded as affecting nobody."""
    return Exists(AdverseEvent.objects.filter(study=OuterRef("pk"), serious=True).exclude(participants_affected=0))


def counts_for(summaries):
    """The Counts of every summary given, from one query over the published studies."""
    summaries = list(summaries)
    aggregates = {}
    for index, summary in enumerate(summaries):
        rule = summary.rule()
        aggregates[f"s{index}_studies"] = Count("pk", filter=rule)
        aggregates[f"s{index}_participants"] = Sum("sample_size", filter=rule)
        aggregates[f"s{index}_unknown"] = Count("pk", filter=rule & Q(sample_size__isnull=True))
        for design in Study.Design:
            aggregates[f"s{index}_design_{design.value}"] = Count("pk", filter=rule & Q(design=design))
        if summary.outcome_category != ADVERSE_EVENTS:
            aggregates[f"s{index}_words"] = Count("pk", filter=rule & ~numeric_result_exists(summary.outcome_category))
        if summary.requires_safety_statement:
            aggregates[f"s{index}_harmed"] = Count("pk", filter=rule & serious_events_reported())
            watched = Q(adverse_event_status__in=HARMS_LOOKED_FOR)
            aggregates[f"s{index}_watched"] = Sum("sample_size", filter=rule & watched)
            aggregates[f"s{index}_not_watched"] = Sum("sample_size", filter=rule & ~watched)
    totals = Study.objects.aggregate(**aggregates) if aggregates else {}
    results = {}
    for index, summary in enumerate(summaries):
        designs = [
            (
                "Design not stated" if design == Study.Design.NOT_STATED else design.label,
                totals[f"s{index}_design_{design.value}"],
            )
            for design in Study.Design
            if totals[f"s{index}_design_{design.value}"]
        ]
        designs.sort(key=lambda pair: -pair[1])
        results[summary.pk] = Counts(
            studies=totals[f"s{index}_studies"],
            participants=totals[f"s{index}_participants"],
            participants_unknown=totals[f"s{index}_unknown"],
            designs=designs,
            words_only=totals.get(f"s{index}_words", 0),
            studies_with_serious_events=totals.get(f"s{index}_harmed"),
            watched=totals.get(f"s{index}_watched"),
            not_watched=totals.get(f"s{index}_not_watched"),
        )
    return results
