"""Seed the default deadlines of the item types (editable by admins afterwards)."""

from django.db import migrations

DEFAULTS = {
    "immediate": (5, "working_days"),
    "staged": (3, "months"),
    "long_term": (12, "months"),
}


def forwards(apps, schema_editor):
    rule = apps.get_model("rectification", "ItemTypeRule")
    for type_, (value, unit) in DEFAULTS.items():
        rule.objects.get_or_create(type=type_, defaults={"value": value, "unit": unit})


class Migration(migrations.Migration):
    dependencies = [("rectification", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
