"""Seed the inspection rules (督办单 10 working days; a bulletin every 2 months, seed 001) and
add the inspection permissions to the built-in roles of databases seeded before this app.
The data is this migration's own copy."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "sysadmin": ["inspection.manage", "inspection.inspect", "bulletin.approve"],
    "office": ["inspection.manage", "inspection.inspect"],
    "leader": ["bulletin.approve"],
}
INSPECTOR_ROLE = ("inspector", "督查员", "self", ["inspection.inspect"])


def seed(apps, schema_editor):
    Rules = apps.get_model("inspections", "InspectionRules")
    if not Rules.objects.exists():
        Rules.objects.create(
            order_deadline_working_days=10,
            bulletin_interval_months=2,
            bulletin_remind_days=7,
            escalate_after_working_days=5,
        )
    Role = apps.get_model("core", "Role")
    for code, perms in ROLE_PERMISSIONS.items():
        role = Role.objects.filter(code=code).first()
        if role is None:
            continue
        missing = [p for p in perms if p not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(update_fields=["permissions"])
    code, name, scope, perms = INSPECTOR_ROLE
    if Role.objects.filter(code="office").exists():
        Role.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "data_scope": scope,
                "permissions": perms,
                "read_only": False,
                "is_builtin": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("core", "0002_seed_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
