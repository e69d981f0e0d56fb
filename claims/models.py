"""Claims made for exosome therapy in public (adverts, clinic pages, articles), where they appeared,
and how each compares with the studies in the tracker."""

import enum

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from studies.models import ReviewStatus, ReviewWorkflow, Study
from studies.models.study import SLUG_STARTS_WITH_LETTER_OR_DIGIT


class Appearance(models.Model):
    """Where one or more claims were seen: a page, an article, a post."""

    class Kind(models.TextChoices):
        PROMOTIONAL_ARTICLE = "promotional_article", "Promotional article"
        CLINIC_PAGE = "clinic_page", "Clinic page"
        MANUFACTURER = "manufacturer", "Manufacturer"
        NEWS = "news", "News"
        SOCIAL_MEDIA = "social_media", "Social media"
        CONSUMER_INFORMATION = "consumer_information", "Consumer information site"

    key = models.SlugField(
        max_length=120,
        unique=True,
        validators=[SLUG_STARTS_WITH_LETTER_OR_DIGIT],
        help_text="Short name of the appearance, e.g. promo-article-calecim. Lower case, digits and hyphens. "
        "Not shown publicly except in the downloads.",
    )
    kind = models.CharField(
        max_length=30,
        choices=Kind,
        help_text="What kind of place the claim was seen in. Shown publicly and used by the claim list's filter.",
    )
    kind_detail = models.CharField(
        max_length=200,
        blank=True,
        help_text="The kind in words when the choice says too little, e.g. 'clinic blog (promotes a treatment it "
        "offers)'. Shown publicly.",
    )
    description = models.TextField(
        help_text="What the page or article is, and what was not recorded about it (publisher, author, date). "
        "Shown publicly beside every claim it holds.",
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it, when known. Empty when not recorded. Shown publicly."
    )
    author = models.CharField(
        max_length=200, blank=True, help_text="Who wrote it, when known. Empty when not recorded. Shown publicly."
    )
    url = models.URLField(
        max_length=500,
        blank=True,
        verbose_name="address",
        help_text="Where it was seen. Empty when the address was not recorded. Shown publicly.",
    )
    archived_url = models.URLField(
        max_length=500,
        blank=True,
        verbose_name="archived copy",
        help_text="Address of an archived copy (e.g. web.archive.org), which stays when the page changes. "
        "Shown publicly.",
    )
    seen_on = models.DateField(
        null=True, blank=True, help_text="When it was seen. Empty when not recorded. Shown publicly."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]

    def __str__(self):
        text = " ".join(self.description.split())
        return f"{self.get_kind_display()}: {text[:70]}{'…' if len(text) > 70 else ''}"

    @property
    def kind_text(self):
        """The kind as shown: the words recorded, or the choice's label."""
        return self.kind_detail or self.get_kind_display()


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ReviewStatus.PUBLISHED)

    def with_evidence_changed(self):
        """Annotate `evidence_changed`: a linked study changed on a day after the assessment.

        A change on the assessment day itself counts as seen by the assessment: the date is all an
        assessment records. Study.updated_at moves when any part of the study changes too.
        """
        changed_later = EvidenceLink.objects.filter(
            claim=OuterRef("pk"), study__updated_at__date__gt=OuterRef("assessed_on")
        )
        return self.annotate(evidence_changed=Exists(changed_later))


class Claim(ReviewWorkflow, models.Model):
    class Topic(models.TextChoices):
        EFFICACY = "efficacy", "Efficacy"
        SAFETY = "safety", "Safety"
        EFFICACY_AND_SAFETY = "efficacy_and_safety", "Efficacy and safety"
        COMPARATIVE_EFFICACY = "comparative_efficacy", "Comparative efficacy"
        PRODUCT = "product", "Product"
        INDICATIONS = "indications", "Indications"
        STATE_OF_THE_EVIDENCE = "state_of_the_evidence", "State of the evidence"

    class Verdict(models.TextChoices):
        ACCURATE = "accurate", "Accurate"
        ACCURATE_BUT_OUTDATED = "accurate_but_outdated", "Accurate but outdated"
        OVERSTATED = "overstated", "Overstated"
        UNSUPPORTED = "unsupported", "Unsupported"
        CONTRADICTED = "contradicted", "Contradicted"

        # One wording each, shown on every claim page, on /methods/ and in the data dictionary.
        meanings = enum.nonmember(
            {
                "accurate": "Says what the cited or available evidence says.",
                "accurate_but_outdated": "Matched the evidence it relied on, but newer evidence changes the picture.",
                "overstated": "Goes further than the evidence, e.g. a general benefit from a few uncontrolled cases.",
                "unsupported": "No human study in the tracker supports it.",
                "contradicted": "The evidence in the tracker says otherwise.",
            }
        )
        # schema.org's Rating for a ClaimReview: 5 is best (accurate), 1 worst (contradicted).
        ratings = enum.nonmember(
            {"accurate": 5, "accurate_but_outdated": 4, "overstated": 3, "unsupported": 2, "contradicted": 1}
        )

        @property
        def meaning(self):
            return self.meanings[self.value]

        @property
        def rating(self):
            return self.ratings[self.value]

    Status = ReviewStatus

    key = models.SlugField(
        max_length=120,
        unique=True,
        validators=[SLUG_STARTS_WITH_LETTER_OR_DIGIT],
        help_text="Short name used in the public address, e.g. /claims/no-rct-as-of-2025/. Lower case, digits and "
        "hyphens. Changing it breaks links people have saved.",
    )
    quote = models.TextField(
        help_text="The claim exactly as it appeared, word for word: never shorten, correct or tidy it. Shown "
        "publicly as a quotation.",
    )
    appearance = models.ForeignKey(
        Appearance,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="Where the claim was seen. Pick one, or add it with the + button. Shown publicly.",
    )
    topic = models.CharField(
        max_length=30, choices=Topic, help_text="What the claim is about. Shown publicly and used by filters."
    )
    product = models.CharField(
        max_length=200,
        blank=True,
        help_text="The product the claim names, if any, as named. Shown publicly.",
    )
    verdict = models.CharField(
        max_length=30,
        choices=Verdict,
        blank=True,
        help_text="How the claim compares with the evidence in the tracker (definitions on /methods/). Required "
        "before publishing. Shown publicly.",
    )
    rationale = models.TextField(
        blank=True,
        help_text="Why this verdict, naming the studies that decide it. Required before publishing. Shown publicly.",
    )
    outcome_summaries = models.ManyToManyField(
        "studies.OutcomeSummary",
        blank=True,
        related_name="claims",
        help_text="The outcome summaries the claim is about, so that the certainty of that evidence shows beside "
        "the verdict. Shown publicly while a summary is published.",
    )
    assessed_on = models.DateField(
        null=True,
        blank=True,
        help_text="The date of this assessment. Set it to today when you re-assess the claim after its evidence "
        "changed; that clears the 'evidence changed since assessed' flag. Shown publicly.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Workflow status. Only published claims are visible to the public.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the record last changed.")

    history = HistoricalRecords(m2m_fields=[outcome_summaries])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        permissions = [("publish_claim", "Can publish and unpublish claims")]
        constraints = [
            models.CheckConstraint(condition=~Q(quote=""), name="claim_quote_not_empty"),
            # The public never sees a claim without its assessment.
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.PUBLISHED)
                | (~Q(verdict="") & ~Q(rationale="") & Q(assessed_on__isnull=False)),
                name="published_claim_is_assessed",
                violation_error_message="A published claim needs a verdict, a rationale and the date assessed.",
            ),
        ]

    def __str__(self):
        return self.key

    def get_absolute_url(self):
        return reverse("claims:detail", args=[self.key])

    def clean(self):
        super().clean()
        if self.assessed_on and self.assessed_on > timezone.now().date():
            raise ValidationError({"assessed_on": f"The date assessed ({self.assessed_on}) cannot be in the future."})

    def publication_problems(self):
        problems = []
        if not self.verdict:
            problems.append("Choose the verdict.")
        if not self.rationale.strip():
            problems.append("Write the rationale.")
        if self.assessed_on is None:
            problems.append("Enter the date assessed.")
        return problems

    @property
    def verdict_meaning(self):
        return self.Verdict(self.verdict).meaning if self.verdict else ""

    @property
    def rating(self):
        return self.Verdict(self.verdict).rating if self.verdict else None


class EvidenceLink(models.Model):
    """One study (or registered trial) an assessment rests on, and the part it plays."""

    class Role(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        CONTRADICTS = "contradicts", "Contradicts"
        CONTEXT = "context", "Context"
        COMPARISON_MISSING = "comparison_missing", "Comparison missing"

        meanings = enum.nonmember(
            {
                "supports": "The study bears the claim out.",
                "contradicts": "The study says otherwise.",
                "context": "Relevant to the claim, but neither supports nor contradicts it.",
                "comparison_missing": "The claim makes a comparison this study would have to show, and it does "
                "not (no comparison made, or no results yet).",
            }
        )

        @property
        def meaning(self):
            return self.meanings[self.value]

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="evidence_links", help_text="The claim this study bears on."
    )
    study = models.ForeignKey(
        Study,
        on_delete=models.PROTECT,
        related_name="claim_links",
        help_text="The study or registered trial (type its title or slug). Shown publicly only while the study "
        "is published.",
    )
    role = models.CharField(
        max_length=30, choices=Role, help_text="The part the study plays in the assessment. Shown publicly."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the claim's evidence table.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "evidence link"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "study"],
                name="claim_cites_a_study_once",
                violation_error_message="This claim already links that study; give it one role.",
            )
        ]

    def __str__(self):
        return f"{self.study.slug} ({self.get_role_display().lower()})"
