import enum

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from studies.models.limitations import (
    co_treatment_exists,
    limitations_of,
    primary_completion_known,
    registration_exists,
    results_due_from,
    results_overdue_condition,
    results_posted,
)
from studies.models.numbers import ExactDecimalField, as_number, plain_number
from studies.models.outcomes import OutcomeResult, at_least, at_most
from studies.models.workflow import ReviewStatus, ReviewWorkflow

# A study published before modern trial reporting is implausible for this field; a year
# after 2100 is a typing slip. "Not in the future" needs today's date, so it lives in clean().
EARLIEST_YEAR = 1950
LATEST_YEAR = 2100
AGES = ["age_min", "age_max", "age_mean", "age_median"]
# A slug is the first cell of every row of every download: one starting with '-' would be taken
# for a formula by spreadsheets (and written with a quote in front), and '_' looks like a mistake.
SLUG_STARTS_WITH_LETTER_OR_DIGIT = RegexValidator(
    r"^[0-9A-Za-z]",
    message="The slug '%(value)s' must start with a letter or a digit, e.g. ersan-2024-exosome.",
    code="slug_start",
)


def arm_size_problem(study, arm_sizes):
    """The arms of one study cannot hold more people than it enrolled.

    Split-scalp and within-subject designs are the exception: every arm is a half of the
    same people, so each arm may hold everyone.
    """
    if study.sample_size is None or study.design == Study.Design.SPLIT_SCALP:
        return ""
    known = [(label, size) for label, size in arm_sizes if size is not None]
    total = sum(size for _, size in known)
    if total <= study.sample_size:
        return ""
    parts = " + ".join(f"'{label}' {size}" for label, size in known)
    return (
        f"The arms add up to {total} participants ({parts}), more than the {study.sample_size} enrolled "
        "in the study. Correct an arm size or the sample size (for split-scalp designs choose the "
        "split-scalp design)."
    )


def results_exist():
    """True for a study with at least one outcome result recorded, in numbers or in words."""
    return Exists(OutcomeResult.objects.filter(measure__study=OuterRef("pk")))


def numeric_results_exist():
    """True for a study with at least one result given as a number rather than only in words."""
    numeric = OutcomeResult.objects.filter(measure__study=OuterRef("pk")).filter(
        Q(value__isnull=False) | Q(baseline__isnull=False) | Q(follow_up__isnull=False)
    )
    return Exists(numeric)


class StudyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Study.Status.PUBLISHED)

    def countries(self):
        """The distinct countries of these studies, in order.

        A plain DISTINCT reads every study; this walks an index on country from one country to
        the next (for published studies, the (status, country) index), so its cost depends on the
        number of countries, not of studies. The studies' own conditions are kept by reading them
        as a subquery, which both databases fold into each step of the walk.
        """
        studies = self.order_by().values("country")
        first_sql, first_params = studies.filter(country__gt="").query.sql_with_params()
        # The step after it has one range on country, the one the index walk needs.
        next_sql, next_params = studies.query.sql_with_params()
        walk = f"""
            WITH RECURSIVE countries(country) AS (
                SELECT MIN(country) FROM ({first_sql}) AS these
                UNION ALL
                SELECT (SELECT MIN(country) FROM ({next_sql}) AS these WHERE these.country > countries.country)
                FROM countries WHERE countries.country IS NOT NULL
            )
            SELECT country FROM countries WHERE country IS NOT NULL
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(walk, [*first_params, *next_params])
            return [country for (country,) in cursor.fetchall()]

    def with_limitation_facts(self):
        """Annotate `has_registration`, `has_co_treatment` and when results are due, so a page of studies
        shows each one's limitations without a query per study."""
        return self.annotate(
            has_registration=registration_exists(),
            has_co_treatment=co_treatment_exists(),
            has_posted_results=results_posted(),
            results_due_from=results_due_from(),
            primary_completion_known=primary_completion_known(),
        )

    def results_overdue(self):
        """Registered trials with no results posted or published 12 months after primary completion."""
        return self.filter(results_overdue_condition())

    def with_numeric_results(self):
        """Annotate `has_results` (any result recorded) and `has_numeric_results` (a number, not only words)."""
        return self.annotate(has_results=results_exist(), has_numeric_results=numeric_results_exist())

    def with_design_rank(self):
        """Annotate `design_rank`, 0 for the strongest design.

        A conventional hierarchy: randomised before controlled before uncontrolled, and a single
        case last. It ranks the kind of design, not how well a given study was carried out.
        """
        ranks = [When(design=design, then=Value(rank)) for rank, design in enumerate(DESIGN_STRENGTH)]
        return self.annotate(design_rank=Case(*ranks, default=Value(len(DESIGN_STRENGTH)), output_field=IntegerField()))


class Study(ReviewWorkflow, models.Model):
    class Condition(models.TextChoices):
        ANDROGENETIC_ALOPECIA = "androgenetic_alopecia", "Androgenetic alopecia"
        FEMALE_PATTERN_HAIR_LOSS = "female_pattern_hair_loss", "Female pattern hair loss"
        ALOPECIA_AREATA = "alopecia_areata", "Alopecia areata"
        OTHER = "other", "Other"
        NOT_STATED = "not_stated", "Not stated"

    class Design(models.TextChoices):
        RANDOMIZED_CONTROLLED = "randomized_controlled", "Randomized controlled trial"
        SPLIT_SCALP = "split_scalp", "Split-scalp / within-subject"
        NON_RANDOMIZED_CONTROLLED = "non_randomized_controlled", "Non-randomized controlled"
        PROSPECTIVE_SINGLE_ARM = "prospective_single_arm", "Prospective single-arm"
        RETROSPECTIVE = "retrospective", "Retrospective"
        CASE_SERIES = "case_series", "Case series"
        CASE_REPORT = "case_report", "Case report"
        NOT_STATED = "not_stated", "Not stated"

    class PublicationType(models.TextChoices):
        PEER_REVIEWED = "peer_reviewed", "Peer-reviewed article"
        CASE_REPORT = "case_report", "Case report"
        PREPRINT = "preprint", "Preprint (not peer-reviewed)"
        CONFERENCE_ABSTRACT = "conference_abstract", "Conference abstract"
        REGISTRY_ONLY = "registry_only", "Registry record only"
        NOT_KNOWN = "not_known", "Not known (primary publication not read)"

    class UnitOfAnalysis(models.TextChoices):
        PARTICIPANT = "participant", "Participant"
        SCALP_HALF = "scalp_half", "Scalp half (each participant is their own control)"

    class Sex(models.TextChoices):
        ALL_MALE = "all_male", "All male"
        ALL_FEMALE = "all_female", "All female"
        MIXED = "mixed", "Male and female"
        NOT_REPORTED = "not_reported", "Not reported"

    class ResultsStatus(models.TextChoices):
        REPORTED = "reported", "Results reported"
        REGISTERED_NO_RESULTS = "registered_no_results", "Registered, no results yet"

    class AdverseEventStatus(models.TextChoices):
        COUNTS_REPORTED = "counts_reported", "Counts reported"
        NONE_OBSERVED = "none_observed", "None observed"
        NONE_REPORTED = "none_reported", "None reported"
        NONE_SERIOUS = "none_serious", "None serious"
        NOT_REPORTED = "not_reported", "Not reported"

        # One line each, the only wording: the study page, the data dictionary and /methods/ all
        # show it, because "none reported" and "none observed" are easily read as the same thing.
        meanings = enum.nonmember(
            {
                "counts_reported": "The source gives numbers of participants or events with each adverse event, "
                "per arm where it splits them.",
                "none_observed": "The study says it looked for adverse events and saw none.",
                "none_reported": "The source says no adverse events were reported, without saying how they "
                "were looked for.",
                "none_serious": "The source says no serious adverse events occurred; milder ones may have "
                "occurred and are not counted.",
                "not_reported": "The source says nothing about adverse events. That is not the same as no harm.",
            }
        )

        @property
        def meaning(self):
            return self.meanings[self.value]

    class Verification(models.TextChoices):
        SECONDARY = "secondary", "Secondary source only"
        ABSTRACT = "abstract", "Abstract"
        REGISTRY = "registry", "Registry record"
        FULL_TEXT = "full_text", "Full text"

        # How deep the reading went, in the words /methods/ and the data dictionary share.
        meanings = enum.nonmember(
            {
                "secondary": "Only a review or another article describing the study was read, not the study's "
                "own publication: the facts are second-hand and many are missing.",
                "abstract": "The study's abstract was read, not the full article: dispersion, per-arm numbers "
                "and harms are often missing from an abstract.",
                "registry": "The trial's registry record (e.g. ClinicalTrials.gov) was read: what was planned, "
                "how many were to be enrolled, and any results posted there.",
                "full_text": "The full published article was read.",
            }
        )

        @property
        def meaning(self):
            return self.meanings[self.value]

    # Draft, in review, published: the review every record goes through (studies/models/workflow.py).
    Status = ReviewStatus

    title = models.CharField(
        max_length=300,
        help_text="Descriptive title of the study record, shown publicly as the page heading. "
        "Describe what was done; the article's own title belongs in the source citation.",
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        validators=[SLUG_STARTS_WITH_LETTER_OR_DIGIT],
        help_text="Short name used in the public address, e.g. /studies/ersan-2024-exosome/. Lower case, digits and "
        "hyphens, starting with a letter or a digit. Changing it breaks links people have saved.",
    )
    summary = models.TextField(
        blank=True,
        help_text="Plain-language summary for patients, two or three sentences. Shown publicly.",
    )
    condition = models.CharField(
        max_length=40,
        choices=Condition,
        blank=True,
        help_text="The hair-loss condition studied. Choose 'Not stated' when the source does not "
        "say; leave empty only while drafting. Shown publicly and used by filters.",
    )
    condition_detail = models.CharField(
        max_length=300,
        blank=True,
        help_text="The condition exactly as the source words it, e.g. 'male androgenetic alopecia'. Shown publicly.",
    )
    design = models.CharField(
        max_length=40,
        choices=Design,
        blank=True,
        help_text="Study design. Choose 'Not stated' when the source does not name it; leave empty "
        "only while drafting. Shown publicly and used to rank designs by strength.",
    )
    design_detail = models.CharField(
        max_length=300,
        blank=True,
        help_text="The design exactly as the source describes it, e.g. 'prospective, single arm, "
        "no control group'. Shown publicly.",
    )
    publication_type = models.CharField(
        max_length=40,
        choices=PublicationType,
        blank=True,
        help_text="What kind of publication reports the study. Shown publicly as a badge.",
    )
    publication_type_detail = models.CharField(
        max_length=300,
        blank=True,
        help_text="The publication type as the source states it, when it adds anything. Shown publicly.",
    )
    country = models.CharField(
        max_length=100,
        blank=True,
        help_text="Country where participants were treated, in English. Empty when not reported. "
        "Shown publicly and used by filters.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Year the results were published (for a registered trial: empty). Empty when "
        "unknown. Shown publicly.",
    )
    sponsor = models.CharField(
        max_length=300,
        blank=True,
        help_text="Sponsor named in the registry record, if any. Shown publicly.",
    )
    registry_status = models.CharField(
        max_length=100,
        blank=True,
        help_text="Recruitment status as the registry states it, e.g. 'not yet recruiting'. Shown publicly.",
    )
    sample_size = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Number of participants enrolled, as reported (people, not scalp halves). Empty "
        "when unknown: never enter 0 for 'not reported'. Shown publicly.",
    )
    sample_size_not_reported = models.BooleanField(
        default=False,
        help_text="Tick when the source does not report how many people were enrolled, so that an "
        "empty sample size is known to be unknown rather than not yet entered.",
    )
    planned_sample_size = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Target enrolment stated in a trial registry, for trials without results. Shown publicly.",
    )
    unit_of_analysis = models.CharField(
        max_length=20,
        choices=UnitOfAnalysis,
        default=UnitOfAnalysis.PARTICIPANT,
        help_text="What one observation is: a participant, or a scalp half in split-scalp designs "
        "where each person receives both treatments. Shown publicly.",
    )
    participants_sex = models.CharField(
        max_length=20,
        choices=Sex,
        default=Sex.NOT_REPORTED,
        help_text="Sex of the participants as reported. Shown publicly.",
    )
    participants_male = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Number of male participants, only when the source gives the number. Shown publicly.",
    )
    participants_female = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Number of female participants, only when the source gives the number. Shown publicly.",
    )
    age_min = ExactDecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Youngest participant's age in years, when reported. Shown publicly.",
    )
    age_max = ExactDecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Oldest participant's age in years, when reported. Shown publicly.",
    )
    age_mean = ExactDecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Mean age in years, when reported. Shown publicly.",
    )
    age_median = ExactDecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Median age in years, when reported. Shown publicly.",
    )
    severity_scale = models.CharField(
        max_length=100,
        blank=True,
        help_text="Severity scale used to describe participants, e.g. 'Norwood-Hamilton'. Shown publicly.",
    )
    severity_range = models.CharField(
        max_length=100,
        blank=True,
        help_text="Range of severity included, as written in the source, e.g. 'III to VI'. Shown publicly.",
    )
    eligibility = models.TextField(
        blank=True,
        help_text="Eligibility criteria as stated (mostly for registered trials). Shown publicly.",
    )
    prior_treatment = models.TextField(
        blank=True,
        help_text="Treatments participants had before the study, as reported. Shown publicly.",
    )
    follow_up = models.CharField(
        max_length=200,
        blank=True,
        help_text="Length of follow-up as reported, e.g. 'median 10 months'. Shown publicly.",
    )
    level_of_evidence = models.CharField(
        max_length=200,
        blank=True,
        help_text="Level of evidence only if the source or journal assigns one, with who assigned it. Shown publicly.",
    )
    funding = models.TextField(
        blank=True,
        help_text="Funding and conflicts of interest as declared. Shown publicly.",
    )
    results_status = models.CharField(
        max_length=30,
        choices=ResultsStatus,
        default=ResultsStatus.REPORTED,
        help_text="Whether any results have been reported, or the trial is only registered. Shown publicly.",
    )
    adverse_event_status = models.CharField(
        max_length=30,
        choices=AdverseEventStatus,
        blank=True,
        help_text="What the source says about harm: 'None observed' when the study states it saw "
        "none; 'None reported' when the source says none were reported; 'Not reported' when it is "
        "silent. Never choose 'None' for silence. Shown publicly.",
    )
    adverse_event_note = models.TextField(
        blank=True,
        help_text="The safety statement in the source's words, with any caveat about its scope. Shown publicly.",
    )
    adverse_event_threshold = ExactDecimalField(
        "frequency threshold (%)",
        null=True,
        blank=True,
        help_text="For a registry record: other (not serious) adverse events are listed only when at least this "
        "percentage of a group had them. Empty when the source sets none. Shown publicly.",
    )
    verification = models.CharField(
        max_length=20,
        choices=Verification,
        help_text="The deepest reading of the facts: a review's summary, the abstract, the registry "
        "record or the full text. Shown publicly as 'facts read from'.",
    )
    curation_note = models.TextField(
        blank=True,
        help_text="What a reader should know about how these facts were gathered and what remains "
        "unverified. Shown publicly.",
    )
    discrepancies = models.TextField(
        blank=True,
        help_text="Known disagreements between sources, one per line, e.g. 'The registry lists 24 "
        "enrolled; the paper reports 20 participants.' Shown publicly.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Workflow status. Only published studies are visible to the public.",
    )
    synthetic = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made up by the synthetic data generator for load and speed tests; never real evidence.",
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Increases with every save; protects against two curators overwriting each other.",
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the study started (first participant treated or enrolment opened), as "
        "reported. Empty when unknown. Shown publicly.",
    )
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the study ended or is planned to end, as reported. Not before the start. Shown publicly.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated_at = models.DateTimeField(
        auto_now=True, help_text="When the record last changed. Shown publicly as 'last updated'."
    )

    # The version only guards against concurrent edits; it is not a fact worth a history entry.
    history = HistoricalRecords(excluded_fields=["version"])
    objects = StudyQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "studies"
        permissions = [("publish_study", "Can publish and unpublish studies")]
        # Each public sort can read its studies in order from an index and stop after one page, with
        # or without the most used filter, the condition; a page then costs the same with a hundred
        # studies or a million.
        indexes = [
            models.Index(fields=["title", "id"], name="study_title"),
            models.Index(fields=["status", "title", "id"], name="study_published_title"),
            models.Index(fields=["status", "-year", "title", "id"], name="study_published_newest"),
            models.Index(fields=["status", "-sample_size", "title", "id"], name="study_published_largest"),
            models.Index(fields=["status", "condition", "title", "id"], name="study_condition_title"),
            models.Index(fields=["status", "condition", "-year", "title", "id"], name="study_condition_newest"),
            models.Index(fields=["status", "condition", "-sample_size", "title", "id"], name="study_condition_largest"),
            models.Index(fields=["status", "country"], name="study_published_country"),
            # When the published studies last changed, read by the API's ETags from the index alone.
            models.Index(fields=["status", "updated_at"], name="study_published_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")),
                name="study_dates_in_order",
                violation_error_message="The study cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=EARLIEST_YEAR, year__lte=LATEST_YEAR),
                name="study_year_plausible",
                violation_error_message=f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(as_number("age_min"), as_number("age_max")),
                name="study_age_min_not_above_max",
                violation_error_message="The youngest age cannot be above the oldest age.",
            ),
            models.CheckConstraint(
                condition=Q(*(at_least(age, 0) for age in AGES), *(at_most(age, 120) for age in AGES)),
                name="study_ages_plausible",
                violation_error_message="Ages must be between 0 and 120 years.",
            ),
            models.CheckConstraint(
                condition=Q(participants_male__lte=F("sample_size") - F("participants_female")),
                name="study_sex_counts_within_sample_size",
                violation_error_message="Male and female participants together cannot exceed the sample size.",
            ),
            models.CheckConstraint(
                condition=~Q(sample_size__isnull=False, sample_size_not_reported=True),
                name="study_sample_size_known_or_not_reported",
                violation_error_message="A study cannot have a sample size and be marked 'not reported'.",
            ),
            models.CheckConstraint(
                condition=~Q(slug__startswith="-") & ~Q(slug__startswith="_"),
                name="study_slug_starts_with_letter_or_digit",
                violation_error_message="The slug must start with a letter or a digit.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.version += 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("studies:detail", args=[self.slug])

    def bump_version(self):
        """Record that a part of the study changed, so concurrent editors of the study notice."""
        Study.objects.filter(pk=self.pk).update(version=F("version") + 1, updated_at=timezone.now())

    def clean(self):
        super().clean()
        errors = {}
        this_year = timezone.now().year
        if self.year is not None and self.year > this_year:
            errors["year"] = f"The year ({self.year}) cannot be in the future (it is {this_year})."
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = f"The end date ({self.end_date}) is before the start date ({self.start_date})."
        if self.start_date and self.start_date > timezone.now().date():
            errors["start_date"] = f"The start date ({self.start_date}) cannot be in the future."
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors["age_min"] = (
                f"The youngest age ({plain_number(self.age_min)}) cannot be above the oldest age "
                f"({plain_number(self.age_max)})."
            )
        known_sexes = [count for count in (self.participants_male, self.participants_female) if count is not None]
        if self.sample_size is not None and sum(known_sexes) > self.sample_size:
            errors["participants_male"] = (
                f"Male ({self.participants_male}) and female ({self.participants_female}) participants add up "
                f"to {sum(known_sexes)}, more than the sample size ({self.sample_size})."
            )
        if self.sample_size is not None and self.sample_size_not_reported:
            errors["sample_size_not_reported"] = (
                f"The sample size is given ({self.sample_size}); untick 'not reported' or clear the sample size."
            )
        if errors:
            raise ValidationError(errors)

    def publication_problems(self):
        """What must be filled in before the public may see this study."""
        problems = []
        if not self.sources.exists():
            problems.append("Add at least one source.")
        if not self.condition:
            problems.append("Choose the condition (or 'Not stated').")
        if not self.design:
            problems.append("Choose the design (or 'Not stated').")
        if self.sample_size is None and not self.sample_size_not_reported:
            problems.append("Enter the sample size, or tick 'sample size not reported'.")
        if not self.adverse_event_status:
            problems.append("Choose the adverse-event reporting status.")
        # An arm without its treatment says nothing a reader can use.
        for label in self.arms.filter(interventions__isnull=True).values_list("label", flat=True):
            problems.append(f"Add an intervention to arm '{label}'.")
        for result in self.numeric_results():
            where = f"'{result.measure.name}' ({result.arm.label if result.arm else 'whole study'})"
            if not result.measure.unit:
                problems.append(f"Give a unit for the numeric result of {where}.")
            if result.timepoint_value is None and not result.timepoint_label:
                problems.append(f"Give a time point for the numeric result of {where}.")
        return problems

    def numeric_results(self):
        from studies.models import OutcomeResult

        results = OutcomeResult.objects.filter(measure__study=self).select_related("measure", "arm")
        return [result for result in results if result.has_numbers]

    @property
    def discrepancy_list(self):
        return [line.strip() for line in self.discrepancies.splitlines() if line.strip()]

    @property
    def adverse_event_meaning(self):
        """What the adverse-event status means, in one line; empty while it is not chosen."""
        if not self.adverse_event_status:
            return ""
        return self.AdverseEventStatus(self.adverse_event_status).meaning

    @property
    def design_and_publication(self):
        """Design and publication type as (label, value) badges, once when both say the same ('case report')."""
        design = (self.get_design_display() or "not entered").lower()
        publication = (self.get_publication_type_display() or "not entered").lower()
        if design == publication:
            return [("Design and publication", design)]
        return [("Design", design), ("Publication", publication)]

    @property
    def age_text(self):
        """The participants' ages in words, e.g. '22 to 65 years; mean 38.4 years', or 'not reported'."""
        youngest, oldest = self.age_min, self.age_max
        parts = []
        if youngest is not None and oldest is not None:
            if youngest == oldest:
                parts.append(f"{plain_number(youngest)} years")
            else:
                parts.append(f"{plain_number(youngest)} to {plain_number(oldest)} years")
        elif youngest is not None:
            parts.append(f"youngest {plain_number(youngest)} years, oldest not reported")
        elif oldest is not None:
            parts.append(f"oldest {plain_number(oldest)} years, youngest not reported")
        if self.age_mean is not None:
            parts.append(f"mean {plain_number(self.age_mean)} years")
        if self.age_median is not None:
            parts.append(f"median {plain_number(self.age_median)} years")
        return "; ".join(parts) or "not reported"

    @property
    def enrolment_text(self):
        """How many took part, with the registry's target where there is one: '20 (planned 24)'."""
        text = "not reported" if self.sample_size is None else str(self.sample_size)
        if self.planned_sample_size is not None:
            text += f" (planned {self.planned_sample_size})"
        return text

    @property
    def results_kind(self):
        """What kind of results the study has: numeric, in words only, none yet, or registered without results.

        Reads the `with_numeric_results()` annotations when the query made them (the list page
        does, for every study at once) and asks the database otherwise.
        """
        if self.results_status == self.ResultsStatus.REGISTERED_NO_RESULTS:
            return "Registered, no results yet"
        if not hasattr(self, "has_numeric_results"):
            annotated = Study.objects.with_numeric_results().values("has_results", "has_numeric_results")
            facts = annotated.get(pk=self.pk)
            self.has_results, self.has_numeric_results = facts["has_results"], facts["has_numeric_results"]
        if self.has_numeric_results:
            return "Numeric results"
        if self.has_results:
            return "In words only"
        return "None recorded yet"

    @property
    def limitations(self):
        """What limits how far this study can be trusted, computed from its facts (see limitations.py)."""
        return limitations_of(self)

    @property
    def known_only_through_reviews(self):
        """Whether the study's own publication was never read: every source is a review summarising it.
        Such a study has no citation or DOI of its own; the review is cited as the source it was read in."""
        sources = list(self.sources.all())
        secondary = self.sources.model.Relation.SECONDARY_REVIEW
        return bool(sources) and all(source.relation == secondary for source in sources)


DESIGN_STRENGTH = [
    Study.Design.RANDOMIZED_CONTROLLED,
    Study.Design.SPLIT_SCALP,
    Study.Design.NON_RANDOMIZED_CONTROLLED,
    Study.Design.PROSPECTIVE_SINGLE_ARM,
    Study.Design.RETROSPECTIVE,
    Study.Design.CASE_SERIES,
    Study.Design.CASE_REPORT,
    Study.Design.NOT_STATED,
]
