from django.db import migrations

# PostgreSQL puts NULLs first in a descending index, but the list sorts unknown years and sizes
# last; these indexes match that order so a page is read straight from the index. SQLite's
# descending indexes already put NULLs last (and it cannot declare NULLS LAST), so the model's
# own indexes serve it.
INDEXES = {
    "study_pg_published_newest": "status, year DESC NULLS LAST, title, id",
    "study_pg_published_largest": "status, sample_size DESC NULLS LAST, title, id",
    "study_pg_condition_newest": "status, condition, year DESC NULLS LAST, title, id",
    "study_pg_condition_largest": "status, condition, sample_size DESC NULLS LAST, title, id",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON studies_study ({columns})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("studies", "0005_list_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
