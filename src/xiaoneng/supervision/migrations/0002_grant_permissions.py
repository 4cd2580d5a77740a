"""The office (and the system administrator) keep the roster and triage the reports: grant
``supervision.manage`` to the built-in roles (this migration's own copy of the grant)."""

from django.db import migrations

GRANTS = {"office": ["supervision.manage"], "sysadmin": ["supervision.manage"]}


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for code, perms in GRANTS.items():
        for role in Role.objects.filter(code=code):
            missing = [p for p in perms if p not in (role.permissions or [])]
            if missing:
                role.permissions = [*(role.permissions or []), *missing]
                role.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for code, perms in GRANTS.items():
        for role in Role.objects.filter(code=code):
            role.permissions = [p for p in role.permissions or [] if p not in perms]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(grant, revoke)]
