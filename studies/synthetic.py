"""Made-up studies for load and speed tests, clearly marked and never mixed with real ones unasked.

Every generated row obeys the rules curators' data must obey, so pages and exports meet
realistic data, and each row gets its history entry like any other write. Rows are built as
plain values and written with one multi-row INSERT per table and batch: building model
instances and going through the ORM's insert compiler costs ten times more, which matters at
100,000 studies (about 3 million rows).
"""

import random
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from serving import content
from studies.models import (
    AdverseEvent,
    Arm,
    Intervention,
    OutcomeMeasure,
    OutcomeResult,
    Registration,
    Source,
    Study,
)

REASON = "Synthetic data"
TITLE_PREFIX = "[synthetic] "
SLUG_PREFIX = "synthetic-"
CONDITIONS = [value for value in Study.Condition.values if value != Study.Condition.NOT_STATED]
MEASURES = [
    ("hair density", OutcomeMeasure.Category.HAIR_DENSITY, "hairs/cm2", 150),
    ("hair thickness", OutcomeMeasure.Category.HAIR_THICKNESS, "mm", 0.08),
    ("hair count", OutcomeMeasure.Category.HAIR_COUNT, "hairs", 200),
    ("SALT score", OutcomeMeasure.Category.SALT_SCORE, "SALT points (0-100)", 60),
    ("patients satisfied", OutcomeMeasure.Category.PATIENT_SATISFACTION, "%", 70),
    ("global photographic improvement", OutcomeMeasure.Category.PHOTOGRAPHIC_ASSESSMENT, "points", 2),
]
AE_TERMS = ["scalp erythema", "pain at injection site", "headache", "pruritus", "folliculitis", "oedema"]
WEEKS = [4, 8, 12, 16, 24, 36, 52]
ROLES = [Arm.Role.EXPERIMENTAL, Arm.Role.PLACEBO_COMPARATOR, Arm.Role.ACTIVE_COMPARATOR]
MODELS = [Study, Arm, Intervention, OutcomeMeasure, OutcomeResult, AdverseEvent, Source, Registration]


class MixedDataError(Exception):
    pass


def decimal(value, places):
    return Decimal(str(round(value, places)))


class Table:
    """Rows of one model waiting to be written, with ids handed out in advance."""

    def __init__(self, model, now):
        self.model = model
        self.now = now
        self.fields = model._meta.concrete_fields
        self.defaults = {field.attname: field.get_default() for field in self.fields}
        self.next_id = (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        history = model.history.model
        tracked = {field.attname for field in self.fields}
        self.history_fields = [field.attname for field in history._meta.concrete_fields if field.attname in tracked] + [
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ]
        self.rows = []

    def add(self, **values):
        values["id"] = self.next_id
        self.next_id += 1
        self.rows.append(values)
        return values

    def write(self, cursor):
        if not self.rows:
            return
        auto = {"created_at": self.now, "updated_at": self.now}
        names = [field.attname for field in self.fields]
        values = [tuple(row.get(name, auto.get(name, self.defaults[name])) for name in names) for row in self.rows]
        insert(cursor, self.model._meta.db_table, [field.column for field in self.fields], values)
        stamp = {
            "history_date": self.now,
            "history_change_reason": REASON,
            "history_type": "+",
            "history_user_id": None,
        }
        history = [
            tuple(
                stamp[name] if name in stamp else row.get(name, auto.get(name, self.defaults.get(name)))
                for name in self.history_fields
            )
            for row in self.rows
        ]
        history_columns = [self.model.history.model._meta.get_field(name).column for name in self.history_fields]
        insert(cursor, self.model.history.model._meta.db_table, history_columns, history)
        self.rows = []


def insert(cursor, table, columns, rows):
    quote = connection.ops.quote_name
    # SQLite accepts at most 32,766 bound parameters in one statement.
    per_statement = max(1, 30000 // len(columns))
    row_placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(column) for column in columns)}) VALUES "
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        cursor.execute(head + ", ".join([row_placeholder] * len(chunk)), [value for row in chunk for value in row])


class Generator:
    def __init__(self, seed, tables):
        self.random = random.Random(seed)
        self.tables = tables

    def study(self, number):
        rng = self.random
        design = rng.choice(Study.Design.values)
        sample_size = rng.choice([1, 2]) if design == Study.Design.CASE_REPORT else rng.randint(8, 400)
        age_min = rng.randint(18, 35)
        year = rng.randint(2015, 2025)
        study = self.tables[Study].add(
            title=f"{TITLE_PREFIX}{rng.choice(['Topical', 'Injected', 'Microneedled'])} exosomes, study {number}",
            slug=f"{SLUG_PREFIX}{number:07d}",
            summary="Made-up study for testing; not evidence.",
            condition=rng.choice(CONDITIONS),
            design=design,
            publication_type=rng.choice(Study.PublicationType.values),
            country=rng.choice(["Turkey", "Malaysia", "China", "India", "Korea", "Brazil", "Iran", ""]),
            year=year,
            sample_size=sample_size,
            unit_of_analysis="scalp_half" if design == Study.Design.SPLIT_SCALP else "participant",
            participants_sex=rng.choice(Study.Sex.values),
            age_min=age_min,
            age_max=age_min + rng.randint(5, 40),
            adverse_event_status=rng.choice(Study.AdverseEventStatus.values),
            verification=rng.choice(Study.Verification.values),
            status=Study.Status.PUBLISHED,
            synthetic=True,
        )
        arms = self.arms(study)
        for arm in arms:
            self.interventions(arm)
        for position, (name, category, unit, scale) in enumerate(rng.sample(MEASURES, rng.randint(2, 4))):
            measure = self.tables[OutcomeMeasure].add(
                study_id=study["id"], name=name, category=category, unit=unit, position=position
            )
            self.results(measure, arms, scale)
        self.adverse_events(study, arms)
        self.sources(study, number, year)

    def arms(self, study):
        count = self.random.randint(1, 3)
        total = study["sample_size"]
        if study["design"] == Study.Design.SPLIT_SCALP:
            sizes = [total] * count
        elif total < count:
            sizes = [None] * count
        else:
            # Cut the enrolled people into arms so they never add up to more than were enrolled.
            edges = [0, *sorted(self.random.sample(range(1, total), count - 1)), total]
            sizes = [edges[i + 1] - edges[i] for i in range(count)]
        return [
            self.tables[Arm].add(
                study_id=study["id"], label=f"Arm {index + 1}", role=ROLES[index], participants=size, position=index
            )
            for index, size in enumerate(sizes)
        ]

    def interventions(self, arm):
        rng = self.random
        table = self.tables[Intervention]
        if arm["role"] == Arm.Role.PLACEBO_COMPARATOR:
            table.add(arm_id=arm["id"], intervention_class="placebo")
            return
        table.add(
            arm_id=arm["id"],
            intervention_class="exosome",
            exosome_source=rng.choice(Intervention.ExosomeSource.values),
            route=rng.choice(Intervention.Route.values),
            regimen=f"{rng.randint(1, 8)} sessions, every {rng.choice([2, 4])} weeks",
            product=rng.choice(["", "", "Product A", "Product B"]),
        )
        extra = rng.choice(["", "microneedling", "prp"])
        if extra:
            table.add(arm_id=arm["id"], intervention_class=extra, position=1)

    def results(self, measure, arms, scale):
        rng = self.random
        weeks = sorted(rng.sample(WEEKS, rng.randint(1, 4)))
        position = 0
        for arm in arms:
            for week in weeks:
                row = {
                    "measure_id": measure["id"],
                    "arm_id": arm["id"],
                    "timepoint_value": week,
                    "timepoint_unit": "weeks",
                    "n_analysed": arm["participants"],
                    "p_value": rng.choice(["", "<0.05", "0.01", "0.20"]),
                    "significance": rng.choice(["yes", "no", "unknown"]),
                    "position": position,
                }
                position += 1
                if measure["unit"] == "%":
                    row.update(statistic="percent_of_participants", value=decimal(rng.uniform(10, 95), 1))
                else:
                    value = decimal(scale * rng.uniform(-0.1, 0.4), 4)
                    spread = decimal(scale * rng.uniform(0.02, 0.2), 4)
                    row.update(statistic=rng.choice(["mean_change", "median_change"]), value=value)
                    kind = rng.choice(["sd", "se", "ci95"])
                    row["dispersion_type"] = kind
                    if kind == "ci95":
                        row.update(dispersion_lower=value - spread, dispersion_upper=value + spread)
                    else:
                        row["dispersion_value"] = spread
                self.tables[OutcomeResult].add(**row)

    def adverse_events(self, study, arms):
        rng = self.random
        for _ in range(rng.randint(0, 5)):
            arm = rng.choice(arms)
            at_risk = arm["participants"]
            self.tables[AdverseEvent].add(
                study_id=study["id"],
                arm_id=arm["id"],
                term=rng.choice(AE_TERMS),
                serious=rng.random() < 0.05,
                participants_affected=rng.randint(0, at_risk) if at_risk else None,
                participants_at_risk=at_risk,
                severity=rng.choice(AdverseEvent.Severity.values),
            )

    def sources(self, study, number, year):
        self.tables[Source].add(
            study_id=study["id"],
            relation="primary_results",
            citation=f"Synthetic A, Example B. Made-up study {number}. J Test. {year}.",
            doi=f"10.99999/synthetic.{number}",
            urls=f"https://example.org/synthetic/{number}",
        )
        if self.random.random() < 0.4:
            registry_id = f"NCT9{number:07d}"
            self.tables[Source].add(
                study_id=study["id"], relation="registry_record", registry_id=registry_id, position=1
            )
            self.tables[Registration].add(study_id=study["id"], identifier=registry_id)


def check_database(allow_mixed):
    if not allow_mixed and Study.objects.filter(synthetic=False).exists():
        raise MixedDataError(
            "This database holds real studies. Synthetic studies would be mixed with them; use an empty "
            "database (e.g. DATABASE_URL=sqlite:////tmp/synthetic.sqlite3) or pass --allow-mixed."
        )


def generate(count, seed, allow_mixed=False, batch=1000, progress=None):
    """Add `count` synthetic studies; returns the number of rows written per table."""
    check_database(allow_mixed)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    tables = {model: Table(model, now) for model in MODELS}
    generator = Generator(seed, tables)
    start = Study.objects.filter(synthetic=True).count()
    written = dict.fromkeys((model.__name__ for model in MODELS), 0)
    for first in range(0, count, batch):
        last = min(first + batch, count)
        for number in range(start + first + 1, start + last + 1):
            generator.study(number)
        with transaction.atomic(), connection.cursor() as cursor:
            for model, table in tables.items():
                written[model.__name__] += len(table.rows)
                table.write(cursor)
            # Written without the ORM's signals: the pages must still learn that the content changed.
            content.content_changed()
        if progress:
            progress(last, count)
    with connection.cursor() as cursor:
        # Ids were chosen here, so PostgreSQL's sequences must be told where they stand now.
        history_models = [model.history.model for model in MODELS]
        for statement in connection.ops.sequence_reset_sql(no_style(), MODELS + history_models):
            cursor.execute(statement)
        # Fresh statistics, as a database in service has them, so the query planner picks the
        # index that serves a page's sort rather than guessing.
        cursor.execute("ANALYZE")
    return written
