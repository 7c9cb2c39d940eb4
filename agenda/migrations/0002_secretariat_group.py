"""Create the "Secretaría" group with what daily agenda work needs, and no more."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT_GROUP = "Secretaría"

# Meetings, agendas, people and organisations are managed; conferences,
# their members and presidencies are reference data the group only reads.
MANAGED_MODELS = ["meeting", "agendaitem", "agendaparticipant", "person", "organisation"]
READ_ONLY_MODELS = ["conference", "country", "presidency"]


def secretariat_permission_codenames() -> list[str]:
    return [
        f"{action}_{model}" for model in MANAGED_MODELS for action in ("add", "change", "delete", "view")
    ] + [f"view_{model}" for model in READ_ONLY_MODELS]


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs them now.
    app_config = apps.get_app_config("agenda")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="agenda", codename__in=secretariat_permission_codenames()
        )
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=SECRETARIAT_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
