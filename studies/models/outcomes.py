from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from simple_history.models import HistoricalRecords

from studies.models.arms import Arm, Intervention
from studies.models.numbers import ExactDecimalField, as_number, plain_number
from studies.models.parts import FixedParent

NUMBER = {"null": True, "blank": True}


def at_least(field_name, bound):
    return GreaterThanOrEqual(as_number(field_name), bound)


def at_most(field_name, bound):
    return LessThanOrEqual(as_number(field_name), bound)


def percentage_bounds(field_name):
    return [at_least(field_name, 0), at_most(field_name, 100)]


class Significance(models.TextChoices):
    YES = "yes", "Significant"
    NO = "no", "Not significant"
    NOT_TESTED = "not_tested", "Not tested"
    UNKNOWN = "unknown", "Unknown"


class Direction(models.TextChoices):
    INCREASE = "increase", "Increase"
    DECREASE = "decrease", "Decrease"
    NO_CHANGE = "no_change", "No change"
    IMPROVEMENT = "improvement", "Improvement"


class OutcomeMeasure(FixedParent, models.Model):
    class Category(models.TextChoices):
        HAIR_DENSITY = "hair_density", "Hair density"
        HAIR_THICKNESS = "hair_thickness", "Hair thickness / diameter"
        HAIR_COUNT = "hair_count", "Hair count"
        SALT_SCORE = "salt_score", "SALT score"
        PHOTOGRAPHIC_ASSESSMENT = "photographic_assessment", "Photographic assessment"
        PATIENT_SATISFACTION = "patient_satisfaction", "Patient satisfaction"
        OTHER = "other", "Other"

    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        OTHER_PRE_SPECIFIED = "other_pre_specified", "Other pre-specified"
        POST_HOC = "post_hoc", "Post hoc"
        NOT_STATED = "not_stated", "Not stated"

    study = models.ForeignKey(
        "Study", on_delete=models.CASCADE, related_name="measures", help_text="The study that measured it."
    )
    # ClinicalTrials.gov allows 255 characters for an outcome's title and its time frame.
    name = models.CharField(
        max_length=300,
        help_text="The outcome as the source names it, e.g. 'hair density'. Shown publicly.",
    )
    description = models.TextField(
        blank=True,
        help_text="What the outcome is and how it was assessed, in the source's words (for a registered "
        "trial, the registry's description). Shown publicly.",
    )
    category = models.CharField(
        max_length=40,
        choices=Category,
        help_text="Category used to compare studies; the name keeps the source's wording. Shown publicly.",
    )
    unit = models.CharField(
        max_length=50,
        blank=True,
        help_text="Unit of every numeric value of this measure, as the source uses it, e.g. 'hairs/cm2', "
        "'mm', 'SALT points (0-100)', '%'. Empty when not reported; numeric results need one.",
    )
    method = models.CharField(
        max_length=200,
        blank=True,
        help_text="How it was measured, e.g. 'digital image analysis'. Shown publicly.",
    )
    role = models.CharField(
        max_length=20,
        choices=Role,
        default=Role.NOT_STATED,
        help_text="Whether the source names this its primary or a secondary outcome. Shown publicly.",
    )
    timepoints = models.CharField(
        max_length=300,
        blank=True,
        help_text="When the outcome was assessed, as reported, e.g. 'weeks 4 and 12'. Shown publicly.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the study page.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["study", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "name"],
                name="measure_name_unique_in_study",
                violation_error_message="This study already has an outcome measure with this name.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_computed_changes(self):
        """True when any result adds a change computed from baseline and follow-up (reads prefetched results)."""
        return any(result.change_is_computed for result in self.results.all())


class TimePoint(models.Model):
    """When a result was measured: a number with a unit, a label, or both."""

    class Unit(models.TextChoices):
        DAYS = "days", "days"
        WEEKS = "weeks", "weeks"
        MONTHS = "months", "months"

    timepoint_value = ExactDecimalField(
        "time point",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Time since the start of treatment, 0 for baseline. Empty when the source gives "
        "only a description. Shown publicly.",
    )
    timepoint_unit = models.CharField(
        "time unit",
        max_length=10,
        choices=Unit,
        blank=True,
        help_text="Unit of the time point, as the source counts it (weeks or months are not converted).",
    )
    timepoint_label = models.CharField(
        "time point as reported",
        max_length=300,
        blank=True,
        help_text="The time point in the source's words, e.g. '3 months after the last session'. Shown publicly.",
    )

    class Meta:
        abstract = True

    @property
    def timepoint_display(self):
        if self.timepoint_label:
            return self.timepoint_label
        if self.timepoint_value is None:
            return ""
        if self.timepoint_value == 0:
            return "baseline"
        unit = self.timepoint_unit.rstrip("s") if self.timepoint_value == 1 else self.timepoint_unit
        return f"{plain_number(self.timepoint_value)} {unit}".strip()


def exact(number):
    """A stored number as an exact Decimal, whether it comes from the ORM, a database driver's float or text."""
    return number if number is None or isinstance(number, Decimal) else Decimal(str(number))


def change_between(baseline, follow_up):
    """Follow-up minus baseline, exactly; None unless both were reported."""
    if baseline is None or follow_up is None:
        return None
    return exact(follow_up) - exact(baseline)


def percent_change_between(baseline, follow_up):
    """(follow-up - baseline) / baseline x 100, exactly; None unless both were reported and the baseline is not 0.

    The study page, its charts and the outcomes download all take the figure from here.
    """
    change = change_between(baseline, follow_up)
    if change is None or exact(baseline) == 0:
        return None
    return change * 100 / exact(baseline)


PERCENT_DECIMALS = 2
PERCENT_PLACES = Decimal(1).scaleb(-PERCENT_DECIMALS)


def rounded_percent(percent):
    """A computed percent change as the site and the downloads show it: at most two decimals, halves
    rounded up, and no trailing zeros (a computed +10% is not a measurement printed as 10.00).

    The one rounding rule, so that a page and a CSV never print different figures for one result.
    """
    if percent is None:
        return None
    rounded = exact(percent).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
    return Decimal(format(rounded.normalize(), "f"))


def exosome_given():
    """True for a result of an arm given an exosome treatment, or a whole-study result of a study whose
    every arm was: only then is the result evidence about exosomes rather than about a comparator."""
    exosome = Intervention.objects.filter(intervention_class=Intervention.InterventionClass.EXOSOME)
    arm_given = Exists(exosome.filter(arm=OuterRef("arm_id")))
    arms_of_study = Arm.objects.filter(study=OuterRef("measure__study_id"))
    arms_not_given = arms_of_study.exclude(Exists(exosome.filter(arm=OuterRef("pk"))))
    every_arm_given = Q(arm__isnull=True) & Exists(arms_of_study) & ~Exists(arms_not_given)
    return arm_given | every_arm_given


class OutcomeResultQuerySet(models.QuerySet):
    def of_exosome_arms(self):
        return self.filter(exosome_given())

    def of_arms_without_exosomes(self):
        """Comparator arms (PRP, microneedling alone, placebo), arms with no exosome recorded, and
        whole-study results that mix arms given exosomes with arms not given them."""
        return self.exclude(exosome_given())


class OutcomeResult(FixedParent, TimePoint):
    parent_field = "measure"

    class Statistic(models.TextChoices):
        MEAN = "mean", "Mean"
        MEDIAN = "median", "Median"
        MEAN_CHANGE = "mean_change", "Mean change from baseline"
        MEDIAN_CHANGE = "median_change", "Median change from baseline"
        PERCENT_CHANGE = "percent_change", "Percent change from baseline"
        PERCENT_OF_PARTICIPANTS = "percent_of_participants", "Percentage of participants"
        COUNT = "count", "Count"
        INDIVIDUAL = "individual", "Individual value (single case)"
        # The statistics a ClinicalTrials.gov record can report, besides mean and median.
        GEOMETRIC_MEAN = "geometric_mean", "Geometric mean"
        LEAST_SQUARES_MEAN = "least_squares_mean", "Least-squares mean"
        GEOMETRIC_LEAST_SQUARES_MEAN = "geometric_least_squares_mean", "Geometric least-squares mean"
        LOG_MEAN = "log_mean", "Log mean"
        NUMBER = "number", "Number"
        COUNT_OF_PARTICIPANTS = "count_of_participants", "Count of participants"
        COUNT_OF_UNITS = "count_of_units", "Count of units"

    class Dispersion(models.TextChoices):
        SD = "sd", "SD"
        SE = "se", "SE"
        IQR = "iqr", "IQR"
        RANGE = "range", "Range"
        FULL_RANGE = "full_range", "Full range (minimum to maximum)"
        CI80 = "ci80", "80% CI"
        CI90 = "ci90", "90% CI"
        CI95 = "ci95", "95% CI"
        CI975 = "ci975", "97.5% CI"
        CI99 = "ci99", "99% CI"
        CI_OTHER = "ci_other", "CI at another level"
        GEOMETRIC_CV = "geometric_cv", "Geometric coefficient of variation (%)"

    # Statistics that are themselves a change from baseline: the source did the subtraction.
    UNIT_CHANGE_STATISTICS = frozenset({Statistic.MEAN_CHANGE, Statistic.MEDIAN_CHANGE})
    CHANGE_STATISTICS = UNIT_CHANGE_STATISTICS | {Statistic.PERCENT_CHANGE}

    # What a source reports for one arm at one time point, in the order curators and exports show it.
    REPORTED_FIELDS = [
        "timepoint_value",
        "timepoint_unit",
        "timepoint_label",
        "class_title",
        "category_title",
        "statistic",
        "statistic_detail",
        "value",
        "baseline",
        "follow_up",
        "dispersion_type",
        "dispersion_detail",
        "dispersion_value",
        "dispersion_lower",
        "dispersion_upper",
        "n_analysed",
        "p_value",
        "direction",
        "significance",
        "result_text",
    ]

    measure = models.ForeignKey(
        OutcomeMeasure, on_delete=models.CASCADE, related_name="results", help_text="What was measured."
    )
    arm = models.ForeignKey(
        "Arm",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="results",
        help_text="The arm this result belongs to. Empty when the source reports it for the whole study.",
    )
    class_title = models.CharField(
        "class",
        max_length=300,
        blank=True,
        help_text="The part of the measure the row belongs to, when the source splits it, e.g. a registry's "
        "class 'Erythema' of a sign score. Shown publicly.",
    )
    category_title = models.CharField(
        "category",
        max_length=300,
        blank=True,
        help_text="The category counted, when the source reports counts by category, e.g. 'Improved'. Shown publicly.",
    )
    statistic = models.CharField(
        max_length=30,
        choices=Statistic,
        blank=True,
        help_text="What the value is. Empty when the source reports the result only in words.",
    )
    statistic_detail = models.CharField(
        "statistic as reported",
        max_length=100,
        blank=True,
        help_text="The statistic in the source's words, e.g. the registry's 'Least Squares Mean'. Shown publicly.",
    )
    value = ExactDecimalField(
        **NUMBER,
        help_text="The reported value in the measure's unit, exactly as printed. Empty when not "
        "reported; never 0 for unknown. Shown publicly.",
    )
    baseline = ExactDecimalField(
        **NUMBER, help_text="The value at baseline, when reported, in the measure's unit. Shown publicly."
    )
    follow_up = ExactDecimalField(
        **NUMBER, help_text="The value at this time point, when reported, in the measure's unit. Shown publicly."
    )
    dispersion_type = models.CharField(
        max_length=20,
        choices=Dispersion,
        blank=True,
        help_text="Kind of spread reported with the value. Shown publicly.",
    )
    dispersion_detail = models.CharField(
        "spread as reported",
        max_length=100,
        blank=True,
        help_text="The kind of spread in the source's words, e.g. the registry's 'Standard Error'. Shown publicly.",
    )
    dispersion_value = ExactDecimalField(
        **NUMBER,
        help_text="SD, SE, IQR width or geometric coefficient of variation when given as one number; not "
        "negative. Shown publicly.",
    )
    dispersion_lower = ExactDecimalField(
        **NUMBER, help_text="Lower bound of a range, IQR or 95% CI, when given. Shown publicly."
    )
    dispersion_upper = ExactDecimalField(
        **NUMBER, help_text="Upper bound of a range, IQR or 95% CI, when given. Shown publicly."
    )
    n_analysed = models.PositiveIntegerField(
        "number analysed",
        null=True,
        blank=True,
        help_text="Participants (or scalp halves) analysed for this result, when reported. Shown publicly.",
    )
    p_value = models.CharField(
        max_length=30,
        blank=True,
        help_text="The p-value exactly as reported, e.g. '<0.05' or '0.006'. Shown publicly.",
    )
    direction = models.CharField(
        max_length=20,
        choices=Direction,
        blank=True,
        help_text="Direction of the change as reported. Shown publicly.",
    )
    significance = models.CharField(
        max_length=20,
        choices=Significance,
        default=Significance.UNKNOWN,
        help_text="Whether the source reports the change as statistically significant. Shown publicly.",
    )
    result_text = models.TextField(
        "result in words",
        blank=True,
        help_text="The result in the source's words. Required when no number is reported. Shown publicly.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the measure.")

    history = HistoricalRecords()
    objects = OutcomeResultQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "position", as_number("timepoint_value").asc(), "id"]
        constraints = [
            models.CheckConstraint(
                condition=at_least("timepoint_value", 0),
                name="result_timepoint_not_negative",
                violation_error_message="A time point cannot be negative.",
            ),
            models.CheckConstraint(
                condition=at_least("dispersion_value", 0),
                name="result_dispersion_not_negative",
                violation_error_message="SD, SE and IQR cannot be negative.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(as_number("dispersion_lower"), as_number("dispersion_upper")),
                name="result_dispersion_bounds_ordered",
                violation_error_message="The lower bound cannot be above the upper bound.",
            ),
            models.CheckConstraint(
                condition=~Q(statistic="percent_of_participants")
                | Q(*(bound for name in ("value", "baseline", "follow_up") for bound in percentage_bounds(name))),
                name="result_percentage_within_0_100",
                violation_error_message="A percentage of participants must be between 0 and 100.",
            ),
        ]

    def __str__(self):
        return f"{self.measure} ({self.arm or 'whole study'}, {self.timepoint_display or 'time not stated'})"

    @property
    def has_numbers(self):
        return any(number is not None for number in (self.value, self.baseline, self.follow_up, self.dispersion_lower))

    @property
    def reports_change(self):
        """True when the source itself gives a change from baseline, in the measure's unit or in percent."""
        return self.statistic in self.CHANGE_STATISTICS and self.value is not None

    @property
    def reports_change_in_unit(self):
        """True when the source itself gives the change from baseline in the measure's unit."""
        return self.statistic in self.UNIT_CHANGE_STATISTICS and self.value is not None

    @property
    def change_from_baseline(self):
        """The change in the measure's unit: the source's own, or follow-up minus baseline; None when unknown."""
        if self.reports_change_in_unit:
            return exact(self.value)
        return change_between(self.baseline, self.follow_up)

    @property
    def percent_change(self):
        """The percent change: the source's own, or computed from baseline and follow-up; None when unknown."""
        if self.statistic == self.Statistic.PERCENT_CHANGE and self.value is not None:
            return exact(self.value)
        return percent_change_between(self.baseline, self.follow_up)

    @property
    def change_is_computed(self):
        """True when the tracker's arithmetic adds a change the source did not give itself.

        Only from a reported baseline and follow-up, and never beside a change the source reported.
        """
        return self.baseline is not None and self.follow_up is not None and not self.reports_change

    def clean(self):
        super().clean()
        errors = {}
        measure = self.measure if self.measure_id else None
        where = f"in arm '{self.arm.label}'" if self.arm_id else "for the whole study"
        if measure is not None:
            where += f", measure '{measure.name}'"

        def add(field, message):
            errors.setdefault(field, []).append(f"{message} ({where}).")

        if self.arm_id and measure is not None and self.arm.study_id != measure.study_id:
            add("arm", f"Arm '{self.arm.label}' belongs to another study; choose one of this study's arms")
        if not self.has_numbers and not self.result_text.strip():
            add("result_text", "Give a value, baseline and follow-up values, or the result in words")
        if self.value is not None and not self.statistic:
            add("statistic", f"Say what the value {plain_number(self.value)} is: mean, median, change")
        if self.has_numbers and measure is not None and not measure.unit:
            add("value", f"A numeric value needs a unit: set the unit of measure '{measure.name}' first")
        self._check_timepoint(add)
        self._check_dispersion(add)
        self._check_percentages(add, measure)
        arm_size = self.arm.participants if self.arm_id else None
        if self.n_analysed is not None and arm_size is not None and self.n_analysed > arm_size:
            add(
                "n_analysed",
                f"Number analysed ({self.n_analysed}) cannot exceed the {arm_size} participants in the arm",
            )
        if errors:
            raise ValidationError(errors)

    def _check_timepoint(self, add):
        if self.timepoint_value is None:
            return
        if self.timepoint_value < 0:
            add("timepoint_value", f"The time point ({plain_number(self.timepoint_value)}) cannot be negative")
        elif not self.timepoint_unit:
            add("timepoint_unit", f"Give the unit of time point {plain_number(self.timepoint_value)}")
        elif self.timepoint_value == 0 and self.follow_up is not None:
            add("timepoint_value", "A follow-up value cannot be at baseline (time point 0)")

    def _check_dispersion(self, add):
        name = self.get_dispersion_type_display() if self.dispersion_type else "spread"
        has_spread = self.dispersion_value is not None or self.dispersion_lower is not None
        if has_spread and not self.dispersion_type:
            add("dispersion_type", "Choose what the spread is: SD, SE, IQR, a range or a confidence interval")
        if self.dispersion_value is not None and self.dispersion_value < 0:
            add("dispersion_value", f"The {name} ({plain_number(self.dispersion_value)}) cannot be negative")
        lower, upper = self.dispersion_lower, self.dispersion_upper
        if (lower is None) != (upper is None):
            add("dispersion_upper", f"Give both bounds of the {name}, or neither")
        elif lower is not None and lower > upper:
            add(
                "dispersion_lower",
                f"The lower bound ({plain_number(lower)}) is above the upper bound ({plain_number(upper)}) "
                f"of the {name}",
            )
        elif lower is not None and self.value is not None and not lower <= self.value <= upper:
            add(
                "value",
                f"The value ({plain_number(self.value)}) lies outside its {name} "
                f"({plain_number(lower)} to {plain_number(upper)})",
            )

    def _check_percentages(self, add, measure):
        absolute = {self.Statistic.MEAN, self.Statistic.MEDIAN, self.Statistic.INDIVIDUAL, self.Statistic.COUNT}
        is_percentage = self.statistic == self.Statistic.PERCENT_OF_PARTICIPANTS or (
            measure is not None and measure.unit.strip() == "%" and self.statistic in absolute
        )
        if not is_percentage:
            return
        for field in ("value", "baseline", "follow_up"):
            number = getattr(self, field)
            if number is not None and not 0 <= number <= 100:
                add(field, f"A percentage must be between 0 and 100, not {plain_number(number)}")


class ArmComparison(FixedParent, TimePoint):
    """A between-arm comparison as the source reports it."""

    parent_field = "measure"

    measure = models.ForeignKey(
        OutcomeMeasure, on_delete=models.CASCADE, related_name="comparisons", help_text="What was compared."
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="Which arms were compared, if the source says, e.g. 'ECPE vs placebo'. Shown publicly.",
    )
    result_text = models.TextField(
        "result as reported",
        help_text="The comparison in the source's words with its test and effect size, e.g. 'Wilcoxon "
        "W = 86.5, p = 0.006'. Shown publicly.",
    )
    p_value = models.CharField(max_length=30, blank=True, help_text="The p-value exactly as reported. Shown publicly.")
    statistical_method = models.CharField(
        max_length=200,
        blank=True,
        help_text="The test or model as reported, e.g. 'ANCOVA'. Shown publicly.",
    )
    estimate_type = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the estimate is, in the source's words, e.g. 'LS Mean Difference'. Shown publicly.",
    )
    value = ExactDecimalField(
        "estimate",
        **NUMBER,
        help_text="The estimated difference between the arms, exactly as printed. Empty when not reported. "
        "Shown publicly.",
    )
    dispersion_type = models.CharField(
        "interval",
        max_length=20,
        choices=OutcomeResult.Dispersion,
        blank=True,
        help_text="Kind of interval around the estimate, e.g. 90% CI. Shown publicly.",
    )
    dispersion_detail = models.CharField(
        "interval as reported",
        max_length=100,
        blank=True,
        help_text="The interval in the source's words, e.g. '90% CI, two-sided'. Shown publicly.",
    )
    dispersion_lower = ExactDecimalField(**NUMBER, help_text="Lower limit of the interval, as printed.")
    dispersion_upper = ExactDecimalField(**NUMBER, help_text="Upper limit of the interval, as printed.")
    estimate_spread = ExactDecimalField(
        **NUMBER, help_text="The estimate's own spread (e.g. its standard error), as printed. Shown publicly."
    )
    estimate_spread_type = models.CharField(
        max_length=100,
        blank=True,
        help_text="What that spread is, in the source's words, e.g. 'Standard Error of the Mean'.",
    )
    direction = models.CharField(
        max_length=20,
        choices=Direction,
        blank=True,
        help_text="Direction of the difference in favour of the experimental arm, as reported.",
    )
    significance = models.CharField(
        max_length=20,
        choices=Significance,
        default=Significance.UNKNOWN,
        help_text="Whether the source reports the difference as statistically significant. Shown publicly.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", as_number("timepoint_value").asc(), "id"]
        constraints = [
            models.CheckConstraint(
                condition=at_least("timepoint_value", 0),
                name="comparison_timepoint_not_negative",
                violation_error_message="A time point cannot be negative.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(as_number("dispersion_lower"), as_number("dispersion_upper")),
                name="comparison_interval_ordered",
                violation_error_message="The lower limit cannot be above the upper limit.",
            ),
        ]

    def __str__(self):
        return f"{self.measure}: {self.result_text[:60]}"
