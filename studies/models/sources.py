from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from studies import identifiers
from studies.models.parts import FixedParent
from studies.models.study import EARLIEST_YEAR, LATEST_YEAR


class Source(FixedParent, models.Model):
    class Relation(models.TextChoices):
        PRIMARY_RESULTS = "primary_results", "Primary results"
        SECONDARY_REVIEW = "secondary_review", "Secondary (review summarising the study)"
        REGISTRY_RECORD = "registry_record", "Registry record"
        PROTOCOL = "protocol", "Protocol"

    study = models.ForeignKey(
        "Study", on_delete=models.CASCADE, related_name="sources", help_text="The study whose facts it holds."
    )
    relation = models.CharField(
        max_length=30,
        choices=Relation,
        help_text="How this source relates to the study. Shown publicly.",
    )
    citation = models.TextField(
        blank=True,
        help_text="Full citation: authors, title, journal, year, volume and pages as printed. Shown publicly.",
    )
    # The citation's parts, for reference managers (RIS and BibTeX). Each is copied from the
    # printed citation and left empty where it gives none: a reference manager shows an empty
    # field as missing, but would show a guessed one as fact.
    authors = models.CharField(
        max_length=1000,
        blank=True,
        help_text="Authors as the citation prints them, separated by commas, each as surname and initials, "
        "e.g. 'Ersan M, Ozer E, Akin O'; keep 'et al.' where the citation has it. Empty when it names none. "
        "Used in the RIS and BibTeX citations.",
    )
    title = models.CharField(
        "article title",
        max_length=500,
        blank=True,
        help_text="The article's own title as printed, without the final full stop. Empty when unknown. "
        "Used in the RIS and BibTeX citations.",
    )
    journal = models.CharField(
        max_length=200,
        blank=True,
        help_text="As the citation prints it, e.g. 'Aesthetic Plast Surg'; for a preprint, its server, "
        "e.g. 'Research Square'. Empty when it names none.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Of publication, as printed. Empty when not given.",
    )
    volume = models.CharField(max_length=20, blank=True, help_text="As printed, e.g. 48.")
    issue = models.CharField(max_length=20, blank=True, help_text="As printed, e.g. 21.")
    pages = models.CharField(
        max_length=40,
        blank=True,
        help_text="Pages or article number as printed, e.g. 4262-4271 or 500.",
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="Digital Object Identifier, e.g. 10.1111/jocd.15869 (a doi.org link is accepted and "
        "shortened). Shown publicly as a link.",
    )
    pmid = models.CharField(
        "PMID", max_length=40, blank=True, help_text="PubMed ID, digits only. Shown publicly as a link."
    )
    pmcid = models.CharField(
        "PMCID",
        max_length=40,
        blank=True,
        help_text="PubMed Central ID, e.g. PMC7759059. Shown publicly as a link.",
    )
    registry_id = models.CharField(
        "registry ID",
        max_length=40,
        blank=True,
        help_text="For a registry record: its identifier, e.g. NCT06539273. Shown publicly.",
    )
    urls = models.TextField(
        "where it was read",
        blank=True,
        help_text="The web addresses where the facts were actually read, one per line. Shown publicly "
        "under 'Where these facts were read'.",
    )
    note = models.TextField(blank=True, help_text="What this source covers or lacks. Shown publicly.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the study page.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["study", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=EARLIEST_YEAR, year__lte=LATEST_YEAR),
                name="source_year_plausible",
                violation_error_message=f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}.",
            ),
        ]

    def __str__(self):
        return self.citation[:80] or self.doi or self.registry_id or self.get_relation_display()

    @property
    def short_citation(self):
        """'Amini F et al., 2025' or, without authors, the kind of source: to name where a judgement was read."""
        authors = [author.strip() for author in self.authors.split(",") if author.strip()]
        if not authors:
            return self.get_relation_display().lower()
        name = authors[0] + (" et al." if len(authors) > 1 else "")
        return f"{name}, {self.year}" if self.year else name

    @property
    def url_list(self):
        return [line.strip() for line in self.urls.splitlines() if line.strip()]

    @property
    def addresses_read(self):
        """(address, whether it may be a link). Only http and https become links: a javascript: or
        data: address that reached the database some other way than this form stays inert text."""
        return [(url, url.lower().startswith(("http://", "https://"))) for url in self.url_list]

    def clean(self):
        super().clean()
        errors = {}
        for field, normalize in (
            ("doi", identifiers.normalize_doi),
            ("pmid", identifiers.normalize_pmid),
            ("pmcid", identifiers.normalize_pmcid),
            ("registry_id", identifiers.normalize_registry_id),
        ):
            try:
                setattr(self, field, normalize(getattr(self, field)))
            except ValidationError as error:
                errors[field] = error.messages
        check_url = URLValidator(schemes=["http", "https"])
        for line in self.url_list:
            try:
                check_url(line)
            except ValidationError:
                errors.setdefault("urls", []).append(
                    f"'{line}' is not a web address starting with http:// or https://."
                )
        if not any((self.citation, self.doi, self.pmid, self.pmcid, self.registry_id, self.urls.strip())):
            errors["citation"] = "Give at least a citation, an identifier or the address where the source was read."
        if errors:
            raise ValidationError(errors)


class DateType(models.TextChoices):
    ACTUAL = "actual", "Actual"
    ANTICIPATED = "anticipated", "Anticipated"


DATED = ["start", "primary_completion", "completion"]


class Registration(FixedParent, models.Model):
    DateType = DateType

    study = models.ForeignKey(
        "Study", on_delete=models.CASCADE, related_name="registrations", help_text="The registered study."
    )
    identifier = models.CharField(
        max_length=40,
        help_text="Trial registry identifier: NCT06539273 (ClinicalTrials.gov), ACTRN12625000548437 "
        "(ANZCTR), ISRCTN12345678, IRCT20190810044500N1, ChiCTR2000029308 or an EU CT number such as "
        "2023-503725-17-00 are checked and linked; another registry's ID is kept as typed. Shown publicly.",
    )
    # What the registry says about the trial's progress. Read from ClinicalTrials.gov by the import and
    # by `sync_registrations`; for other registries a curator may type them. A date the registry gives
    # as a month only ("2024-07") is kept as that month's last day, so that no deadline counted from it
    # falls early.
    overall_status = models.CharField(
        max_length=100,
        blank=True,
        help_text="The trial's overall status as the registry words it, e.g. 'Completed' or 'Active, not "
        "recruiting'. Empty when not read. Shown publicly.",
    )
    start_date = models.DateField(null=True, blank=True, help_text="When the trial started, as registered.")
    start_date_type = models.CharField(
        max_length=20, choices=DateType, blank=True, help_text="Whether the start date happened or is planned."
    )
    primary_completion_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the last participant was examined for the primary outcome, as registered. Results "
        "are due 12 months after it. Shown publicly.",
    )
    primary_completion_date_type = models.CharField(
        max_length=20, choices=DateType, blank=True, help_text="Whether primary completion happened or is planned."
    )
    completion_date = models.DateField(
        null=True, blank=True, help_text="When the whole trial ended or will end, as registered. Shown publicly."
    )
    completion_date_type = models.CharField(
        max_length=20, choices=DateType, blank=True, help_text="Whether completion happened or is planned."
    )
    first_posted = models.DateField(
        null=True, blank=True, help_text="When the registry first showed the record. Shown publicly."
    )
    results_first_posted = models.DateField(
        null=True,
        blank=True,
        help_text="When the registry first showed results. Empty when no results are posted. Shown publicly.",
    )
    last_update_posted = models.DateField(
        null=True,
        blank=True,
        help_text="The date of the registry record as last read: when the registry last showed a change.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["study", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "identifier"],
                name="registration_unique_in_study",
                violation_error_message="This study already lists this registry ID.",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}_date__isnull": False}) | Q(**{f"{name}_date_type": ""}),
                    name=f"registration_{name}_type_needs_date",
                    violation_error_message="A date's type (actual or anticipated) needs the date.",
                )
                for name in DATED
            ),
        ]

    def __str__(self):
        return self.identifier

    @property
    def url(self):
        return identifiers.registry_url(self.identifier)

    @property
    def results_posted(self):
        return self.results_first_posted is not None

    @property
    def is_clinicaltrials_gov(self):
        return identifiers.NCT_PATTERN.match(self.identifier) is not None

    @property
    def registry_name(self):
        registry = identifiers.registry_of(self.identifier)
        return registry.name if registry else "Registry not known to the tracker"

    def clean(self):
        super().clean()
        try:
            self.identifier = identifiers.normalize_registry_id(self.identifier)
        except ValidationError as error:
            raise ValidationError({"identifier": error.messages}) from error
