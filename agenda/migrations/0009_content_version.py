import time

from django.db import migrations, models


def first_version(apps, schema_editor):
    # From the clock, not 1: a cache that outlived a wiped database must never meet its old keys again.
    apps.get_model("agenda", "ContentVersion").objects.create(pk=1, number=time.time_ns())


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0008_registrations_and_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(verbose_name="content version")),
            ],
            options={
                "verbose_name": "content version",
                "verbose_name_plural": "content versions",
            },
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
