"""What a ClinicalTrials.gov API v2 record says, in the tracker's terms.

Categories are mapped onto the tracker's choices, and the registry's own words are kept beside each
one. Numbers stay the strings the registry printed ("-2.11", "0.250"); "NA" is unknown, never 0, and
its comment is kept. Result groups (OG000, EG000 ...) carry no link to the record's arms: which arm a
group is remains the curator's decision, passed in as `arm_of` (group key -> arm label, "" for the
whole study).
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from studies.models import (
    AdverseEvent,
    AdverseEventGroup,
    Arm,
    ArmComparison,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Registration,
    Source,
    Study,
)

REGISTRY = "ClinicalTrials.gov"


def words(code):
    """An API code in the words the registry's pages use: 'ACTIVE_NOT_RECRUITING' -> 'Active not recruiting'."""
    return str(code or "").replace("_", " ").strip().capitalize()


OVERALL_STATUS_WORDS = {"ACTIVE_NOT_RECRUITING": "Active, not recruiting"}


def registry_date(struct):
    """(date, type) of a date structure; a month alone ('2024-07') becomes its last day."""
    if not isinstance(struct, dict) or not struct.get("date"):
        return None, ""
    text = struct["date"]
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if not match:
        return None, ""
    year, month = int(match[1]), int(match[2])
    day = int(match[3]) if match[3] else calendar.monthrange(year, month)[1]
    kind = Registration.DateType.ACTUAL if struct.get("type") == "ACTUAL" else Registration.DateType.ANTICIPATED
    return date(year, month, day), kind


def number(text):
    """A printed number as an exact Decimal; None for 'NA', empty or anything that is not a number."""
    if text is None or str(text).strip().upper() in ("", "NA"):
        return None
    try:
        return Decimal(str(text).strip())
    except InvalidOperation:
        return None


def count(text):
    value = number(text)
    return int(value) if value is not None and value == value.to_integral_value() and value >= 0 else None


STATISTICS = {
    "MEAN": OutcomeResult.Statistic.MEAN,
    "MEDIAN": OutcomeResult.Statistic.MEDIAN,
    "GEOMETRIC_MEAN": OutcomeResult.Statistic.GEOMETRIC_MEAN,
    "LEAST_SQUARES_MEAN": OutcomeResult.Statistic.LEAST_SQUARES_MEAN,
    "GEOMETRIC_LEAST_SQUARES_MEAN": OutcomeResult.Statistic.GEOMETRIC_LEAST_SQUARES_MEAN,
    "LOG_MEAN": OutcomeResult.Statistic.LOG_MEAN,
    "NUMBER": OutcomeResult.Statistic.NUMBER,
    "COUNT_OF_PARTICIPANTS": OutcomeResult.Statistic.COUNT_OF_PARTICIPANTS,
    "COUNT_OF_UNITS": OutcomeResult.Statistic.COUNT_OF_UNITS,
}
Dispersion = OutcomeResult.Dispersion
# Outcome measures word the dispersion freely ("Standard Error"); baseline and analyses use codes.
DISPERSIONS = {
    "standard deviation": Dispersion.SD,
    "standard error": Dispersion.SE,
    "standard error of mean": Dispersion.SE,
    "standard error of the mean": Dispersion.SE,
    "inter-quartile range": Dispersion.IQR,
    "inter quartile range": Dispersion.IQR,
    "full range": Dispersion.FULL_RANGE,
    "80% confidence interval": Dispersion.CI80,
    "90% confidence interval": Dispersion.CI90,
    "95% confidence interval": Dispersion.CI95,
    "97.5% confidence interval": Dispersion.CI975,
    "99% confidence interval": Dispersion.CI99,
    "other confidence interval level": Dispersion.CI_OTHER,
    "geometric coefficient of variation": Dispersion.GEOMETRIC_CV,
    "confidence 80": Dispersion.CI80,
    "confidence 90": Dispersion.CI90,
    "confidence 95": Dispersion.CI95,
    "confidence 975": Dispersion.CI975,
    "confidence 99": Dispersion.CI99,
    "confidence other": Dispersion.CI_OTHER,
    "geometric coefficient": Dispersion.GEOMETRIC_CV,
}
ONE_NUMBER_SPREADS = {Dispersion.SD, Dispersion.SE, Dispersion.GEOMETRIC_CV}
CONFIDENCE_LEVELS = {"80": Dispersion.CI80, "90": Dispersion.CI90, "95": Dispersion.CI95}
CONFIDENCE_LEVELS |= {"97.5": Dispersion.CI975, "99": Dispersion.CI99}
ARM_ROLES = {
    "EXPERIMENTAL": Arm.Role.EXPERIMENTAL,
    "ACTIVE_COMPARATOR": Arm.Role.ACTIVE_COMPARATOR,
    "PLACEBO_COMPARATOR": Arm.Role.PLACEBO_COMPARATOR,
    "SHAM_COMPARATOR": Arm.Role.PLACEBO_COMPARATOR,
    "NO_INTERVENTION": Arm.Role.NO_INTERVENTION,
}
MEASURE_ROLES = {
    "PRIMARY": OutcomeMeasure.Role.PRIMARY,
    "SECONDARY": OutcomeMeasure.Role.SECONDARY,
    "OTHER_PRE_SPECIFIED": OutcomeMeasure.Role.OTHER_PRE_SPECIFIED,
    "POST_HOC": OutcomeMeasure.Role.POST_HOC,
}
ASSESSMENTS = {
    "SYSTEMATIC_ASSESSMENT": AdverseEvent.Assessment.SYSTEMATIC,
    "NON_SYSTEMATIC_ASSESSMENT": AdverseEvent.Assessment.NON_SYSTEMATIC,
}
# Suggestions only: every category stays editable, and the registry's words are kept beside it.
MEASURE_CATEGORIES = [
    ("hair density", OutcomeMeasure.Category.HAIR_DENSITY),
    ("hair count", OutcomeMeasure.Category.HAIR_COUNT),
    ("diameter", OutcomeMeasure.Category.HAIR_THICKNESS),
    ("thickness", OutcomeMeasure.Category.HAIR_THICKNESS),
    ("salt", OutcomeMeasure.Category.SALT_SCORE),
    ("photograph", OutcomeMeasure.Category.PHOTOGRAPHIC_ASSESSMENT),
    ("satisfaction", OutcomeMeasure.Category.PATIENT_SATISFACTION),
]
INTERVENTION_CLASSES = [
    ("exosome", Intervention.InterventionClass.EXOSOME),
    ("extracellular vesicle", Intervention.InterventionClass.EXOSOME),
    ("platelet", Intervention.InterventionClass.PRP),
    ("prp", Intervention.InterventionClass.PRP),
    ("minoxidil", Intervention.InterventionClass.MINOXIDIL),
    ("finasteride", Intervention.InterventionClass.FINASTERIDE),
    ("radiofrequency", Intervention.InterventionClass.MICRONEEDLING_RADIOFREQUENCY),
    ("microneedl", Intervention.InterventionClass.MICRONEEDLING),
    ("laser", Intervention.InterventionClass.LASER),
    ("placebo", Intervention.InterventionClass.PLACEBO),
]
CONDITIONS = [
    ("female pattern", Study.Condition.FEMALE_PATTERN_HAIR_LOSS),
    ("androgenetic", Study.Condition.ANDROGENETIC_ALOPECIA),
    ("androgenic", Study.Condition.ANDROGENETIC_ALOPECIA),
    ("alopecia areata", Study.Condition.ALOPECIA_AREATA),
]


def first_match(text, table, default):
    text = text.lower()
    return next((choice for word, choice in table if re.search(rf"\b{re.escape(word)}", text)), default)


def fit(text, length):
    """Text cut to a column's length, saying so: a registry's free text can be longer than the tracker keeps."""
    text = str(text or "").strip()
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(frozen=True)
class Group:
    """One result group of the record, the same across its outcome, flow and adverse-event modules."""

    key: str  # "group-1", in the record's order
    title: str
    description: str


@dataclass
class Part:
    """A record the registry describes: a row of `model`, found among its parent's rows by `key`.

    `arm` is the label of the arm the row points at ("" for the whole study, None for a row that
    points at no arm); it becomes the Arm when the row is written.
    """

    model: type
    key: dict
    values: dict
    children: list = field(default_factory=list)
    arm: str | None = None

    @property
    def fields(self):
        return {**self.key, **self.values}

    @property
    def description(self):
        name = self.model._meta.verbose_name
        label = next((str(value) for value in self.key.values() if value not in ("", None)), "")
        where = f" in arm '{self.arm}'" if self.arm else (" for the whole study" if self.arm == "" else "")
        return f"{name} '{fit(label, 80)}'{where}" if label else f"{name}{where}"


class Record:
    """One API v2 study record."""

    def __init__(self, data):
        self.data = data
        protocol = data.get("protocolSection") or {}
        self.protocol = protocol
        self.results = data.get("resultsSection") or {}
        self.nct_id = protocol["identificationModule"]["nctId"]

    def module(self, section, name):
        value = section.get(name)
        return value if isinstance(value, dict) else {}

    @property
    def status(self):
        return self.module(self.protocol, "statusModule")

    @property
    def record_date(self):
        """The record's version: when the registry last posted a change (its 'last update posted')."""
        posted, _ = registry_date(self.status.get("lastUpdatePostDateStruct"))
        return posted

    @property
    def has_results(self):
        return bool(self.data.get("hasResults")) or bool(self.results)

    @property
    def title(self):
        identification = self.protocol["identificationModule"]
        return identification.get("briefTitle") or identification.get("officialTitle") or self.nct_id

    # Result groups -------------------------------------------------------------------------------

    def group_lists(self):
        """Every list of result groups in the record, with the module it is in."""
        outcomes = self.module(self.results, "outcomeMeasuresModule").get("outcomeMeasures") or []
        for measure in outcomes:
            yield measure.get("groups") or []
        yield self.module(self.results, "participantFlowModule").get("groups") or []
        yield self.module(self.results, "adverseEventsModule").get("eventGroups") or []

    @property
    def groups(self):
        """The distinct groups (by title and description), in the record's order. Baseline groups are
        not listed: the baseline is not imported, and its 'Total' is no arm."""
        seen = {}
        for groups in self.group_lists():
            for group in groups:
                identity = (group.get("title") or "", group.get("description") or "")
                if identity not in seen:
                    seen[identity] = Group(f"group-{len(seen) + 1}", *identity)
        return list(seen.values())

    def group_key(self, group):
        identity = (group.get("title") or "", group.get("description") or "")
        return next(g.key for g in self.groups if (g.title, g.description) == identity)

    @property
    def arm_groups(self):
        return self.module(self.protocol, "armsInterventionsModule").get("armGroups") or []

    def suggested_arm(self, group, arm_labels):
        """The arm whose label is the group's title, if there is exactly one; else no suggestion."""
        matches = [label for label in arm_labels if label.strip().lower() == group.title.strip().lower()]
        return matches[0] if len(matches) == 1 else None

    # The study ------------------------------------------------------------------------------------

    def design(self):
        design = self.module(self.protocol, "designModule")
        info = design.get("designInfo") or {}
        study_type = design.get("studyType", "")
        allocation = info.get("allocation", "")
        model = info.get("interventionModel", "")
        if study_type == "INTERVENTIONAL":
            if model == "CROSSOVER":
                category = Study.Design.SPLIT_SCALP  # every participant has each treatment in turn
            elif allocation == "RANDOMIZED":
                category = Study.Design.RANDOMIZED_CONTROLLED
            elif model == "SINGLE_GROUP" or len(self.arm_groups) == 1:
                category = Study.Design.PROSPECTIVE_SINGLE_ARM
            elif allocation == "NON_RANDOMIZED":
                category = Study.Design.NON_RANDOMIZED_CONTROLLED
            else:
                category = Study.Design.NOT_STATED
        elif "RETROSPECTIVE" in (design.get("designInfo") or {}).get("timePerspective", ""):
            category = Study.Design.RETROSPECTIVE
        else:
            category = Study.Design.NOT_STATED
        masking = info.get("maskingInfo") or {}
        who = ", ".join(words(person).lower() for person in masking.get("whoMasked") or [])
        parts = [
            words(study_type),
            allocation and f"allocation: {words(allocation).lower()}",
            model and f"intervention model: {words(model).lower()}",
            masking.get("masking") and f"masking: {words(masking['masking']).lower()}" + (f" ({who})" if who else ""),
            info.get("primaryPurpose") and f"purpose: {words(info['primaryPurpose']).lower()}",
            info.get("observationalModel") and f"model: {words(info['observationalModel']).lower()}",
            info.get("timePerspective") and f"time perspective: {words(info['timePerspective']).lower()}",
            design.get("phases") and "phase: " + ", ".join(words(p).lower() for p in design["phases"]),
        ]
        return category, fit("; ".join(part for part in parts if part), 300)

    def study_values(self):
        """The study's facts the registry keeps current: a re-import updates them."""
        status, design = self.status, self.module(self.protocol, "designModule")
        conditions = self.module(self.protocol, "conditionsModule").get("conditions") or []
        enrollment = design.get("enrollmentInfo") or {}
        enrolled = enrollment.get("count") if isinstance(enrollment.get("count"), int) else None
        actual_enrollment = enrollment.get("type") == "ACTUAL"
        start, start_type = registry_date(status.get("startDateStruct"))
        completion, _ = registry_date(status.get("completionDateStruct"))
        sponsors = self.module(self.protocol, "sponsorCollaboratorsModule")
        _, design_words = self.design()
        values = {
            "condition_detail": fit("; ".join(conditions), 300),
            "design_detail": design_words,
            "sponsor": fit((sponsors.get("leadSponsor") or {}).get("name", ""), 300),
            "registry_status": self.overall_status,
            "sample_size": enrolled if actual_enrollment else None,
            "planned_sample_size": None if actual_enrollment else enrolled,
            "start_date": start if start_type == Registration.DateType.ACTUAL else None,
            "end_date": completion,
            "eligibility": self.module(self.protocol, "eligibilityModule").get("eligibilityCriteria", ""),
        }
        if self.has_results:
            # Never the reverse: a tracker study may have published results the registry lacks.
            values["results_status"] = Study.ResultsStatus.REPORTED
        events = self.module(self.results, "adverseEventsModule")
        if events:
            values["adverse_event_status"] = Study.AdverseEventStatus.COUNTS_REPORTED
            values["adverse_event_note"] = "\n\n".join(
                text for text in (events.get("timeFrame", ""), events.get("description", "")) if text
            )
            values["adverse_event_threshold"] = number(events.get("frequencyThreshold"))
        return values

    def new_study_values(self):
        """What only a new study takes from the record; afterwards these are the curator's."""
        conditions = " ".join(self.module(self.protocol, "conditionsModule").get("conditions") or [])
        design, _ = self.design()
        values = {
            "title": fit(self.title, 300),
            "condition": first_match(conditions, CONDITIONS, Study.Condition.OTHER),
            "design": design,
            "publication_type": Study.PublicationType.REGISTRY_ONLY,
            "verification": Study.Verification.REGISTRY,
            "results_status": Study.ResultsStatus.REGISTERED_NO_RESULTS,
            "adverse_event_status": Study.AdverseEventStatus.NOT_REPORTED,
            "status": Study.Status.DRAFT,
        }
        return values | self.study_values()

    @property
    def overall_status(self):
        code = self.status.get("overallStatus", "")
        return OVERALL_STATUS_WORDS.get(code) or words(code)

    def registration_values(self):
        status = self.status
        values = {"overall_status": self.overall_status}
        for name, struct in (
            ("start", "startDateStruct"),
            ("primary_completion", "primaryCompletionDateStruct"),
            ("completion", "completionDateStruct"),
        ):
            values[f"{name}_date"], values[f"{name}_date_type"] = registry_date(status.get(struct))
        for name, struct in (
            ("first_posted", "studyFirstPostDateStruct"),
            ("results_first_posted", "resultsFirstPostDateStruct"),
            ("last_update_posted", "lastUpdatePostDateStruct"),
        ):
            values[name], _ = registry_date(status.get(struct))
        return values

    # Parts ----------------------------------------------------------------------------------------

    def parts(self, arm_of):
        """Every part of the study the record describes, arms first (results point at them)."""
        return [
            Part(Registration, {"identifier": self.nct_id}, self.registration_values()),
            Part(
                Source,
                {"registry_id": self.nct_id},
                {
                    "relation": Source.Relation.REGISTRY_RECORD,
                    "urls": f"https://clinicaltrials.gov/study/{self.nct_id}",
                },
            ),
            *self.arm_parts(arm_of),
            *self.measure_parts(arm_of),
            *self.adverse_event_parts(arm_of),
        ]

    def arm_labels(self):
        return [fit(arm.get("label", ""), 200) for arm in self.arm_groups if arm.get("label")]

    def arm_parts(self, arm_of):
        module = self.module(self.protocol, "armsInterventionsModule")
        interventions = module.get("interventions") or []
        started = self.participants_started(arm_of)
        parts = []
        for position, arm in enumerate(self.arm_groups):
            label = fit(arm.get("label", ""), 200)
            if not label:
                continue
            given = []
            for intervention in interventions:
                if arm.get("label") not in (intervention.get("armGroupLabels") or []):
                    continue
                name = intervention.get("name", "")
                description = intervention.get("description", "")
                other_names = intervention.get("otherNames") or []
                if other_names:
                    description = f"{description} Other names: {', '.join(other_names)}.".strip()
                kind = first_match(f"{name} {description}", INTERVENTION_CLASSES, Intervention.InterventionClass.OTHER)
                values = {
                    "intervention_class": kind,
                    "class_detail": words(intervention.get("type")),
                    "description": description,
                    "position": len(given),
                }
                if kind == Intervention.InterventionClass.EXOSOME:
                    values["exosome_source"] = Intervention.ExosomeSource.NOT_STATED
                given.append(Part(Intervention, {"product": fit(name, 200)}, values))
            role = ARM_ROLES.get(arm.get("type"), Arm.Role.OTHER)
            values = {
                "role": role,
                "role_detail": words(arm.get("type")),
                "description": arm.get("description", ""),
                "participants": started.get(label),
                "position": position,
            }
            parts.append(Part(Arm, {"label": label}, values, given))
        return parts

    def participants_started(self, arm_of):
        """Arm label -> participants who started, from the participant flow, where one group is the arm."""
        flow = self.module(self.results, "participantFlowModule")
        groups = {group["id"]: group for group in flow.get("groups") or [] if "id" in group}
        periods = flow.get("periods") or []
        if not periods:
            return {}
        started = {}
        for milestone in periods[0].get("milestones") or []:
            if milestone.get("type") != "STARTED":
                continue
            for achievement in milestone.get("achievements") or []:
                group = groups.get(achievement.get("groupId"))
                arm = arm_of.get(self.group_key(group)) if group else None
                if arm:
                    started.setdefault(arm, []).append(count(achievement.get("numSubjects")))
        # Two groups shown as one arm are not added up: they may be the same people.
        return {arm: counts[0] for arm, counts in started.items() if len(counts) == 1}

    def measure_parts(self, arm_of):
        outcomes = self.module(self.results, "outcomeMeasuresModule").get("outcomeMeasures")
        if not outcomes:
            return self.planned_measure_parts()
        parts, names = [], set()
        for position, measure in enumerate(outcomes):
            name = unique_name(fit(measure.get("title", ""), 300), names)
            unit = fit(measure.get("unitOfMeasure", ""), 50)
            values = {
                "category": first_match(name, MEASURE_CATEGORIES, OutcomeMeasure.Category.OTHER),
                "unit": unit,
                "role": MEASURE_ROLES.get(measure.get("type"), OutcomeMeasure.Role.NOT_STATED),
                "timepoints": fit(measure.get("timeFrame", ""), 300),
                "description": measure.get("description", ""),
                "position": position,
            }
            children = self.result_parts(measure, arm_of) + self.comparison_parts(measure)
            parts.append(Part(OutcomeMeasure, {"name": name}, values, children))
        return parts

    def planned_measure_parts(self):
        outcomes = self.module(self.protocol, "outcomesModule")
        parts, names = [], set()
        for role, kind in (
            (OutcomeMeasure.Role.PRIMARY, "primaryOutcomes"),
            (OutcomeMeasure.Role.SECONDARY, "secondaryOutcomes"),
            (OutcomeMeasure.Role.OTHER_PRE_SPECIFIED, "otherOutcomes"),
        ):
            for outcome in outcomes.get(kind) or []:
                name = unique_name(fit(outcome.get("measure", ""), 300), names)
                values = {
                    "category": first_match(name, MEASURE_CATEGORIES, OutcomeMeasure.Category.OTHER),
                    "role": role,
                    "timepoints": fit(outcome.get("timeFrame", ""), 300),
                    "description": outcome.get("description", ""),
                    "position": len(parts),
                }
                parts.append(Part(OutcomeMeasure, {"name": name}, values))
        return parts

    def result_parts(self, measure, arm_of):
        groups = {group["id"]: group for group in measure.get("groups") or [] if "id" in group}
        dispersion_words = measure.get("dispersionType", "")
        dispersion = DISPERSIONS.get(dispersion_words.strip().lower(), "")
        statistic_code = measure.get("paramType", "")
        analysed = participants_analysed(measure.get("denoms"))
        parts = []
        for class_ in measure.get("classes") or []:
            class_analysed = participants_analysed(class_.get("denoms")) or analysed
            for category in class_.get("categories") or []:
                for measurement in category.get("measurements") or []:
                    group = groups.get(measurement.get("groupId"))
                    if group is None:
                        continue
                    arm = arm_of.get(self.group_key(group), "")
                    key = {
                        "class_title": fit(class_.get("title", ""), 300),
                        "category_title": fit(category.get("title", ""), 300),
                        "timepoint_label": fit(measure.get("timeFrame", ""), 300),
                    }
                    values = measurement_values(measurement, dispersion, dispersion_words)
                    values |= {
                        "statistic": STATISTICS.get(statistic_code, "") if values["value"] is not None else "",
                        "statistic_detail": words(statistic_code),
                        "n_analysed": class_analysed.get(measurement.get("groupId")),
                        "position": len(parts),
                    }
                    if not arm:
                        # A group shown as the whole study may still not be everyone: say which group it was.
                        named = [f"Group: {group.get('title', '')}", values["result_text"]]
                        values["result_text"] = "; ".join(filter(None, named))
                    parts.append(Part(OutcomeResult, key, values, arm=arm))
        return parts

    def comparison_parts(self, measure):
        titles = {group["id"]: group.get("title", "") for group in measure.get("groups") or [] if "id" in group}
        parts = []
        for analysis in measure.get("analyses") or []:
            compared = " vs ".join(titles.get(group_id, group_id) for group_id in analysis.get("groupIds") or [])
            level = str(analysis.get("ciPctValue") or "").strip()
            interval = ""
            if analysis.get("ciLowerLimit") or analysis.get("ciUpperLimit"):
                interval = CONFIDENCE_LEVELS.get(level, Dispersion.CI_OTHER)
            sides = words(analysis.get("ciNumSides")).lower()
            interval_words = ", ".join(filter(None, [level and f"{level}% CI", sides]))
            spread_words = words(analysis.get("dispersionType"))
            estimate = analysis.get("paramValue")
            p_value = str(analysis.get("pValue") or "")
            summary = [
                analysis.get("statisticalMethod", ""),
                estimate and f"{analysis.get('paramType', 'estimate')} {estimate}",
                interval and f"{interval_words} {analysis.get('ciLowerLimit')} to {analysis.get('ciUpperLimit')}",
                p_value and (f"p {p_value}" if p_value[0] in "<>=" else f"p = {p_value}"),
            ]
            text = "; ".join(filter(None, summary))
            for note in ("groupDescription", "estimateComment", "pValueComment", "statisticalComment"):
                if analysis.get(note):
                    text += f"\n{analysis[note]}"
            key = {"description": fit(compared, 300), "result_text": text}
            values = {
                "timepoint_label": fit(measure.get("timeFrame", ""), 300),
                "statistical_method": fit(analysis.get("statisticalMethod", ""), 200),
                "estimate_type": fit(analysis.get("paramType", ""), 200),
                "value": number(estimate),
                "dispersion_type": interval,
                "dispersion_detail": interval_words,
                "dispersion_lower": number(analysis.get("ciLowerLimit")),
                "dispersion_upper": number(analysis.get("ciUpperLimit")),
                "estimate_spread": number(analysis.get("dispersionValue")),
                "estimate_spread_type": spread_words if analysis.get("dispersionValue") else "",
                "p_value": fit(analysis.get("pValue", ""), 30),
            }
            parts.append(Part(ArmComparison, key, values))
        return parts

    def adverse_event_parts(self, arm_of):
        module = self.module(self.results, "adverseEventsModule")
        groups = {group["id"]: group for group in module.get("eventGroups") or [] if "id" in group}
        parts = []
        for position, group in enumerate(groups.values()):
            arm = arm_of.get(self.group_key(group), "")
            totals = {
                f"{kind}_{measure}": count(group.get(f"{kind}Num{api}"))
                for kind in ("deaths", "serious", "other")
                for measure, api in (("affected", "Affected"), ("at_risk", "AtRisk"))
            }
            values = {"description": group.get("description", ""), "position": position, **totals}
            parts.append(Part(AdverseEventGroup, {"title": fit(group.get("title", ""), 300)}, values, arm=arm))
        vocabulary = module.get("eventsVocab", "")
        for serious, kind in ((True, "seriousEvents"), (False, "otherEvents")):
            for event in module.get(kind) or []:
                assessment = event.get("assessmentType", "")
                for stats in event.get("stats") or []:
                    group = groups.get(stats.get("groupId"))
                    if group is None:
                        continue
                    arm = arm_of.get(self.group_key(group), "")
                    key = {
                        "term": fit(event.get("term", ""), 200),
                        "serious": serious,
                        "organ_system": fit(event.get("organSystem", ""), 200),
                    }
                    values = {
                        "participants_affected": count(stats.get("numAffected")),
                        "participants_at_risk": count(stats.get("numAtRisk")),
                        "number_of_events": count(stats.get("numEvents")),
                        "vocabulary": fit(event.get("sourceVocabulary") or vocabulary, 100),
                        "assessment": ASSESSMENTS.get(assessment, ""),
                        "assessment_detail": assessment,
                        "note": "" if arm else f"Group: {group.get('title', '')}",
                    }
                    parts.append(Part(AdverseEvent, key, values, arm=arm))
        return parts


def unique_name(name, taken):
    candidate, number_ = name, 2
    while candidate in taken:
        candidate = f"{name[:290]} ({number_})"
        number_ += 1
    taken.add(candidate)
    return candidate


def participants_analysed(denoms):
    """Group id -> number of participants analysed, from the 'Participants' denominators."""
    for denom in denoms or []:
        if str(denom.get("units", "")).strip().lower() == "participants":
            return {entry.get("groupId"): count(entry.get("value")) for entry in denom.get("counts") or []}
    return {}


def measurement_values(measurement, dispersion, dispersion_words):
    """Value and spread of one measurement, exactly as printed; 'NA' is unknown and keeps its comment."""
    value = number(measurement.get("value"))
    notes = []
    if measurement.get("comment"):
        notes.append(measurement["comment"])
    elif value is None:
        notes.append(f"Not available: the registry gives '{measurement.get('value', '')}'.")
    spread = number(measurement.get("spread"))
    lower, upper = number(measurement.get("lowerLimit")), number(measurement.get("upperLimit"))
    if lower is None or upper is None:
        lower = upper = None
    has_spread = spread is not None or lower is not None
    if has_spread and not dispersion:
        # A kind of spread the tracker has no category for: kept in words rather than as a bare number.
        printed = measurement.get("spread") or f"{measurement.get('lowerLimit')} to {measurement.get('upperLimit')}"
        notes.append(f"{dispersion_words or 'Spread'}: {printed}")
        spread = lower = upper = None
        has_spread = False
    return {
        "value": value,
        "dispersion_type": dispersion if has_spread else "",
        "dispersion_detail": dispersion_words if has_spread else "",
        "dispersion_value": spread if dispersion in ONE_NUMBER_SPREADS or not lower else None,
        "dispersion_lower": lower,
        "dispersion_upper": upper,
        "result_text": " ".join(notes),
    }
