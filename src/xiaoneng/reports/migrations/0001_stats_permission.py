"""Give the built-in roles that read figures the new ``stats.view`` permission (databases
seeded before the dashboards existed; new databases get it from the role seed)."""

from django.db import migrations

# This migration's own copy of the seed: role code → permission added.
ROLES = ("office", "leader", "unit_admin", "discipline", "sysadmin")
PERMISSION = "stats.view"


def forwards(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code__in=ROLES, is_builtin=True):
        perms = list(role.permissions or [])
        if PERMISSION not in perms:
            role.permissions = [*perms, PERMISSION]
            role.save(update_fields=["permissions"])


def backwards(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code__in=ROLES, is_builtin=True):
        perms = [p for p in role.permissions or [] if p != PERMISSION]
        if perms != role.permissions:
            role.permissions = perms
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("core", "0005_seed_notification_templates")]
    operations = [migrations.RunPython(forwards, backwards)]
