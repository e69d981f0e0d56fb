"""What limits how far a study can be trusted, computed from its recorded facts and never typed.

Each limitation is a plain fact about the record (no control group, fewer than 30 participants,
facts read only in an abstract ...) with one line saying why it matters. The study page and the
list show them as labelled badges; a study with none of them shows none.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import BooleanField, Case, DateField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.formats import date_format

# Designs with a comparison group, whether or not it was randomised.
CONTROLLED_DESIGNS = {"randomized_controlled", "split_scalp", "non_randomized_controlled"}
# Publications an independent reviewer has checked before they appeared.
PEER_REVIEWED_PUBLICATIONS = {"peer_reviewed", "case_report"}
NOT_PEER_REVIEWED_PUBLICATIONS = {"preprint", "conference_abstract", "registry_only"}
# Treatments that change hair growth on their own: given with exosomes, they hide the exosomes' part.
ACTIVE_CO_TREATMENTS = {"microneedling", "microneedling_radiofrequency", "laser", "minoxidil", "finasteride", "prp"}
SMALL_STUDY = 30
# The WHO expects every trial's results within 12 months of its completion.
RESULTS_DUE_AFTER = timedelta(days=365)


# What the tracker looks for, in the words of /methods/: (code, label, when it is shown).
RULES = [
    ("no_control_group", "No control group", "the design has no comparison group, or the sources read describe none"),
    ("small", f"Fewer than {SMALL_STUDY} participants", f"fewer than {SMALL_STUDY} people were enrolled"),
    (
        "not_peer_reviewed",
        "Not peer-reviewed",
        "a preprint, a conference abstract or a registry record without a publication",
    ),
    ("secondary_only", "Facts from a secondary source only", "only a review's summary of the study was read"),
    ("abstract_only", "Facts from the abstract only", "the study's abstract was read, not its full article"),
    (
        "co_treatment",
        "Exosomes given with another active treatment",
        "an arm given exosomes also had microneedling, radiofrequency microneedling, laser, minoxidil, "
        "finasteride or platelet-rich plasma, each of which can change hair growth on its own",
    ),
    ("no_registration", "No trial registration", "no registry record is recorded for the study"),
    (
        "results_overdue",
        "No results 12 months after completion",
        "a registered trial's primary completion (or, where only that is known, its completion) was more than "
        "12 months ago, and it has posted or published no results",
    ),
    ("safety_not_reported", "Safety not reported", "the sources read say nothing about harms"),
]


@dataclass(frozen=True)
class Limitation:
    code: str
    label: str
    explanation: str


def co_treatment_exists():
    """True for a study with an arm given exosomes together with an active co-treatment."""
    from studies.models import Intervention

    exosomes_in_same_arm = Exists(Intervention.objects.filter(arm=OuterRef("arm"), intervention_class="exosome"))
    co_treatments = Intervention.objects.filter(arm__study=OuterRef("pk"), intervention_class__in=ACTIVE_CO_TREATMENTS)
    # Asked as "the first such intervention" rather than EXISTS, and through the study's own arms:
    # for EXISTS PostgreSQL may first gather every co-treated arm of every study into a hash,
    # which costs more than the whole page when the list has tens of thousands of studies.
    first = co_treatments.filter(exosomes_in_same_arm).values(found=Value(True))[:1]
    return Coalesce(Subquery(first, output_field=BooleanField()), Value(False))


def registration_exists():
    from studies.models import Registration

    return Exists(Registration.objects.filter(study=OuterRef("pk")))


def co_treatments_of(study):
    """The active co-treatments given with exosomes, by name; read from the list's annotation when present."""
    if hasattr(study, "has_co_treatment"):
        return ["another active treatment"] if study.has_co_treatment else []
    names = []
    for arm in study.arms.all():
        interventions = list(arm.interventions.all())
        if any(intervention.intervention_class == "exosome" for intervention in interventions):
            for intervention in interventions:
                name = intervention.get_intervention_class_display()
                if intervention.intervention_class in ACTIVE_CO_TREATMENTS and name not in names:
                    names.append(name)
    return names


def is_registered(study):
    if hasattr(study, "has_registration"):
        return study.has_registration
    return bool(study.registrations.all())


def limitations_of(study):
    """The study's limitations, in the order a reader weighs them."""
    found = []
    if study.design not in CONTROLLED_DESIGNS:
        if study.design in ("", "not_stated"):
            found.append(
                Limitation(
                    "no_control_group",
                    "No control group known",
                    "The sources read describe no comparison group: improvement cannot be told apart from "
                    "natural change, other care or expectation.",
                )
            )
        else:
            found.append(
                Limitation(
                    "no_control_group",
                    "No control group",
                    "Nobody was left untreated or given a dummy treatment: improvement cannot be told apart "
                    "from natural change, other care or expectation.",
                )
            )
    if study.sample_size is not None and study.sample_size < SMALL_STUDY:
        found.append(
            Limitation(
                "small",
                f"Fewer than {SMALL_STUDY} participants",
                f"{study.sample_size} took part: in so few people chance alone can make or hide an effect.",
            )
        )
    if study.publication_type in NOT_PEER_REVIEWED_PUBLICATIONS:
        found.append(
            Limitation(
                "not_peer_reviewed",
                "Not peer-reviewed",
                f"{study.get_publication_type_display()}: no independent reviewer checked it before it appeared.",
            )
        )
    if study.verification == "secondary":
        found.append(
            Limitation(
                "secondary_only",
                "Facts from a secondary source only",
                "The study's own report was not read; its facts come from a review's summary of it.",
            )
        )
    elif study.verification == "abstract":
        found.append(
            Limitation(
                "abstract_only",
                "Facts from the abstract only",
                "The full article was not read: methods, spread of results and harms are often missing "
                "from an abstract.",
            )
        )
    co_treatments = co_treatments_of(study)
    if co_treatments:
        found.append(
            Limitation(
                "co_treatment",
                "Exosomes given with another active treatment",
                f"Exosomes were given with {', '.join(co_treatments).lower()}, which can work on its own: "
                "the part the exosomes played is not isolated.",
            )
        )
    if not is_registered(study):
        found.append(
            Limitation(
                "no_registration",
                "No trial registration",
                "No registry record was found: what the study planned to measure cannot be checked against "
                "what it reports.",
            )
        )
    due = results_overdue(study)
    if due:
        found.append(
            Limitation(
                "results_overdue",
                "No results 12 months after completion",
                f"{due.what} on {date_format(due.date, 'j F Y')}; no results were posted or published within the "
                "12 months the WHO expects.",
            )
        )
    if study.adverse_event_status in ("", "not_reported"):
        found.append(
            Limitation(
                "safety_not_reported",
                "Safety not reported",
                "The sources read say nothing about harms, which is not the same as no harm.",
            )
        )
    return found


@dataclass(frozen=True)
class ResultsDue:
    date: object
    what: str  # "Primary completion" or "Completed"


def _registrations():
    from studies.models import Registration

    return Registration.objects.filter(study=OuterRef("pk"))


def primary_completion_known():
    """True for a study whose registry record gives an actual primary completion date."""
    return Exists(_registrations().filter(primary_completion_date_type="actual"))


def results_posted():
    """True for a study whose registry record shows posted results."""
    return Exists(_registrations().filter(results_first_posted__isnull=False))


def results_due_from():
    """The date results are counted from: the actual primary completion when the registry gives it, else
    the actual completion (primary completion came no later), else, for a trial the curator recorded as
    completed, its end date (reference trials read before the registry's dates were kept)."""
    registrations = _registrations()
    primary = registrations.filter(primary_completion_date_type="actual").order_by("primary_completion_date")
    overall = registrations.filter(completion_date_type="actual").order_by("completion_date")
    recorded = Case(When(registry_status__iexact="completed", then=F("end_date")), output_field=DateField())
    return Coalesce(
        Subquery(primary.values("primary_completion_date")[:1]),
        Subquery(overall.values("completion_date")[:1]),
        recorded,
        output_field=DateField(),
    )


def results_overdue_condition(today=None):
    """The database's form of `results_overdue()`, for the list filter, the home page count and the feed."""
    cutoff = (today or timezone.now().date()) - RESULTS_DUE_AFTER
    return Q(results_status="registered_no_results") & ~results_posted() & LessThanOrEqual(results_due_from(), cutoff)


def results_due(study):
    """When results of this study are counted from, or None (reads the list's annotations when present)."""
    if hasattr(study, "results_due_from"):
        if study.results_due_from is None:
            return None
        what = "Primary completion" if study.primary_completion_known else "Completed"
        return ResultsDue(study.results_due_from, what)
    registrations = list(study.registrations.all())
    primary = [r.primary_completion_date for r in registrations if r.primary_completion_date_type == "actual"]
    overall = [r.completion_date for r in registrations if r.completion_date_type == "actual"]
    if primary:
        return ResultsDue(min(primary), "Primary completion")
    if overall:
        return ResultsDue(min(overall), "Completed")
    if study.registry_status.strip().lower() == "completed" and study.end_date is not None:
        return ResultsDue(study.end_date, "Completed")
    return None


def has_posted_results(study):
    if hasattr(study, "has_posted_results"):
        return study.has_posted_results
    return any(registration.results_first_posted for registration in study.registrations.all())


def results_overdue(study):
    """A registered trial with no results posted or published more than 12 months after its primary
    completion: the ResultsDue it is counted from, or None when it is not overdue."""
    if study.results_status != "registered_no_results" or has_posted_results(study):
        return None
    due = results_due(study)
    if due is None or due.date > timezone.now().date() - RESULTS_DUE_AFTER:
        return None
    return due
