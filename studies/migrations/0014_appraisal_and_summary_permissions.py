from django.db import migrations

MODELS = ["appraisal", "appraisaljudgement", "outcomesummary"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curating = [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change")]
    curating += ["delete_appraisaljudgement"]
    publishing = ["publish_appraisal", "publish_outcomesummary", "delete_appraisal", "delete_outcomesummary"]
    permissions = Permission.objects.filter(content_type__app_label="studies")
    for name, codenames in (("Curator", curating), ("Publisher", curating + publishing)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions.filter(codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(content_type__app_label="studies", content_type__model__in=MODELS)
    for group in Group.objects.filter(name__in=["Curator", "Publisher"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("studies", "0013_appraisals_and_outcome_summaries")]

    operations = [migrations.RunPython(grant, revoke)]
