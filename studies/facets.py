"""How many published studies each choice of the study list's filters would give.

Like the facets of a data browser, the list's form says beside each choice how many studies
choosing it would show ("Randomized controlled trial (3)"), so a reader sees a dead end before
taking it. A filter's counts keep every other filter in use and set that filter itself aside, so
its choices can be compared with each other; its empty choice ("Any design") counts all of them.

`facet_counts()` computes every count of one page from its filters and nothing else, so the
result can be kept and reused for as long as the published studies do not change.
"""

from django.db import connections
from django.db.models import Case, Count, Q, Value, When

from studies.filters import (
    Results,
    ResultsDue,
    control_group_condition,
    peer_reviewed_condition,
    results_condition,
)
from studies.models import Intervention, Study
from studies.models.limitations import results_overdue_condition
from studies.models.study import results_exist

# Filters on a study's own fields: a study has one value of each.
STUDY_FIELDS = ["condition", "design", "publication_type", "adverse_event_status", "verification", "country"]
# Filters on any intervention of any arm: a study counts once for each value it has, so a study of
# exosomes in one arm and exosomes with PRP in another counts once for exosomes and once for PRP.
INTERVENTION_FIELDS = ["intervention_class", "exosome_source", "route"]
# Filters computed from several facts of a study.
COMPUTED = ["results", "results_due", "has_control_group", "peer_reviewed"]
FACETS = [*STUDY_FIELDS, *INTERVENTION_FIELDS, *COMPUTED]


def facet_counts(filterset):
    """{filter name: {choice: number of studies}} for a valid `filterset`. The choice None is the empty
    choice (every study the other filters select); a choice missing from the counts selects none."""
    values = filterset.form.cleaned_data
    in_use = [name for name in FACETS if values.get(name) not in (None, "")]
    # The filters not in use set nothing aside: they are all counted among the studies the page lists.
    counts = count_choices(selected(filterset), [name for name in FACETS if name not in in_use], filterset.form)
    for name in in_use:
        counts.update(count_choices(selected(filterset, leaving_out=name), [name], filterset.form))
    return counts


def selected(filterset, leaving_out=None):
    """The published studies `filterset` selects, with the filter `leaving_out` set aside, in no order."""
    studies = Study.objects.published()
    for name, value in filterset.form.cleaned_data.items():
        if name not in (leaving_out, "sort"):
            studies = filterset.filters[name].filter(studies, value)
    return studies.order_by()


def count_choices(studies, names, form):
    """The counts of the filters `names` among `studies`: one query for the facts on the study itself,
    one for the interventions."""
    total, counts = count_study_choices(studies, [name for name in names if name not in INTERVENTION_FIELDS], form)
    interventions = [name for name in names if name in INTERVENTION_FIELDS]
    if interventions:
        counts.update(count_intervention_values(studies, interventions))
    for by_choice in counts.values():
        by_choice[None] = total
    return counts


def count_study_choices(studies, names, form):
    """(number of `studies`, {name: {choice: number}}) for the filters `names`, in one pass over `studies`."""
    aggregates = {"total": Count("pk")}
    choices = {}
    for name in names:
        if name == "results":
            continue
        for value, condition in choice_conditions(name, form.fields[name]).items():
            alias = f"choice_{len(choices)}"
            choices[alias] = (name, value)
            aggregates[alias] = Count("pk", filter=condition)
    if "results" in names:
        # Grouped by the kind of results, each study's results are looked up once rather than once per
        # choice; the groups are then added up.
        rows = studies.annotate(results_kind=results_kind()).values("results_kind").annotate(**aggregates)
    else:
        rows = [studies.aggregate(**aggregates)]
    counts = {name: {} for name in names}
    for alias, (name, value) in choices.items():
        counts[name][value] = sum(row[alias] for row in rows)
    if "results" in names:
        counts["results"] = {row["results_kind"]: row["total"] for row in rows if row["results_kind"]}
    return sum(row["total"] for row in rows), counts


def results_kind():
    """The choice of the results filter that selects a study, "" for none: the conditions of
    `results_condition()` asked in turn, so that each is asked of a study at most once."""
    return Case(
        When(results_condition(Results.NUMERIC), then=Value(Results.NUMERIC)),
        # Reached only by a study without a number: any result it has is in words.
        When(Q(results_status=Study.ResultsStatus.REPORTED) & results_exist(), then=Value(Results.WORDS_ONLY)),
        When(results_condition(Results.REGISTERED), then=Value(Results.REGISTERED)),
        default=Value(""),
    )


def choice_conditions(name, field):
    """{choice: the condition a study meets to be selected by it}, the one the filter itself applies."""
    if name == "results_due":
        return {ResultsDue.OVERDUE: results_overdue_condition()}
    if name == "has_control_group":
        return {value: control_group_condition(value) for value in (True, False)}
    if name == "peer_reviewed":
        return {value: peer_reviewed_condition(value) for value in (True, False)}
    return {value: Q(**{name: value}) for value, _label in field.choices if value != ""}


def count_intervention_values(studies, fields):
    """{field: {value: number of `studies` with an intervention of that value in any arm}} for the
    intervention `fields`, reading the studies' interventions once for all of them."""
    interventions = Intervention.objects.filter(arm__study__in=studies.values("pk")).order_by()
    given = interventions.values_list("arm__study", *fields)
    given_sql, params = given.query.sql_with_params()
    quote = connections[given.db].ops.quote_name
    columns = ", ".join(quote(column) for column in ["study", *fields])
    # Each field's counts come from the same rows, one per intervention; a study counts once per value.
    per_field = " UNION ALL ".join(
        f"SELECT '{field}', {quote(field)}, COUNT(DISTINCT study) FROM given GROUP BY {quote(field)}"
        for field in fields
    )
    with connections[given.db].cursor() as cursor:
        cursor.execute(f"WITH given({columns}) AS ({given_sql}) {per_field}", params)
        rows = cursor.fetchall()
    counts = {field: {} for field in fields}
    for field, value, number in rows:
        counts[field][value] = number
    return counts


def show_counts(form, counts):
    """Put each choice's count in its label, "Randomized controlled trial (3)", where screen readers read it too.

    Only the drop-down's labels change: the choices the form accepts, and the labels of the active
    filters above the list, stay as they are."""
    for name, by_choice in counts.items():
        field = form.fields[name]
        labelled = []
        for value, label in field.widget.choices:
            choice = field.to_python(value)
            labelled.append((value, f"{label} ({by_choice.get(None if choice == '' else choice, 0)})"))
        field.widget.choices = labelled
