from django.db import migrations


def forwards(apps, schema_editor):
    from xiaoneng.core.seed import seed_notification_templates

    seed_notification_templates(apps.get_model("core", "NotificationTemplate"))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_jobs")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
