"""Add the openness permissions to the built-in roles of databases seeded before this app
(this migration's own copy)."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "sysadmin": ["openness.manage", "openness.edit"],
    "office": ["openness.manage"],
    "unit_admin": ["openness.edit"],
}


def seed(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for code, perms in ROLE_PERMISSIONS.items():
        role = Role.objects.filter(code=code).first()
        if role is None:
            continue
        missing = [p for p in perms if p not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("openness", "0001_initial"),
        ("core", "0002_seed_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
