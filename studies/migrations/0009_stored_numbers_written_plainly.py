from decimal import Decimal

from django.db import migrations


# Before this migration SQLite kept these numbers as floating point and PostgreSQL padded them to a
# fixed number of places, so the printed places were already lost: the text they become is
# written plainly (6.500000 and 6.5 both become 6.5). The reference loader restores what sources
# printed (3.00) for records no curator has edited.
COLUMNS = {
    "study": ["age_min", "age_max", "age_mean", "age_median"],
    "outcomeresult": [
        "timepoint_value",
        "value",
        "baseline",
        "follow_up",
        "dispersion_value",
        "dispersion_lower",
        "dispersion_upper",
    ],
    "armcomparison": ["timepoint_value"],
}


def written_plainly(text):
    number = Decimal(text)
    plain = format(number, "f")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return "0" if plain in ("", "-0") else plain


def write_numbers_plainly(apps, schema_editor):
    for model_name, columns in COLUMNS.items():
        for name in (model_name, f"historical{model_name}"):
            model = apps.get_model("studies", name)
            for row in model.objects.values("pk", *columns).iterator():
                # The field reads text into a Decimal; compare and write back as text.
                changes = {}
                for column in columns:
                    if row[column] is not None:
                        plain = written_plainly(str(row[column]))
                        if plain != str(row[column]):
                            changes[column] = plain
                if changes:
                    model.objects.filter(pk=row["pk"]).update(**changes)


class Migration(migrations.Migration):
    # Its own migration: PostgreSQL refuses to alter a table in the transaction that updated its rows.
    dependencies = [("studies", "0008_placenta_derived_exosomes")]

    operations = [migrations.RunPython(write_numbers_plainly, migrations.RunPython.noop)]
