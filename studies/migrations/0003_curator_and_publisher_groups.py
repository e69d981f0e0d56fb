from django.db import migrations

PARTS = ["arm", "intervention", "outcomemeasure", "outcomeresult", "armcomparison", "adverseevent", "source", "registration"]


def curator_permissions():
    codenames = ["view_study", "add_study", "change_study"]
    for model in PARTS:
        codenames += [f"{action}_{model}" for action in ("view", "add", "change", "delete")]
    return codenames


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    studies_permissions = Permission.objects.filter(content_type__app_label="studies")

    curator, _ = Group.objects.get_or_create(name="Curator")
    curator.permissions.set(studies_permissions.filter(codename__in=curator_permissions()))
    publisher, _ = Group.objects.get_or_create(name="Publisher")
    publisher.permissions.set(
        studies_permissions.filter(codename__in=curator_permissions() + ["delete_study", "publish_study"])
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Publisher"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("studies", "0002_curation"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
