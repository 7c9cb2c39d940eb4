"""What the migrations that give the staff groups new permissions share.

The name's underscore keeps it out of the migration loader. It uses only the
historical `apps` it is given, so later changes to the models can't alter it.
"""

from django.contrib.auth.management import create_permissions


def granting(role_permissions: dict[str, list[str]]):
    """A RunPython function that adds the named agenda permissions to each existing group."""

    def grant(apps, schema_editor):
        # The permissions of models this migration creates exist only once created here.
        app_config = apps.get_app_config("agenda")
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for name, codenames in role_permissions.items():
            for group in Group.objects.filter(name=name):
                group.permissions.add(
                    *Permission.objects.filter(content_type__app_label="agenda", codename__in=codenames)
                )

    return grant
