from django.db import migrations


def forwards(apps, schema_editor):
    from xiaoneng.core.seed import seed_calendar, seed_roles

    seed_roles(apps.get_model("core", "Role"))
    seed_calendar(apps.get_model("core", "CalendarDay"), apps.get_model("core", "CalendarYear"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
