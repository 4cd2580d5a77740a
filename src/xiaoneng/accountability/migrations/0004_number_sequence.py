"""Case numbers come from core.numbering (one counter table for every app, issue #12): carry
each CaseSequence counter over to core.NumberSequence, never below the highest number already
given (no number is reused), then drop CaseSequence. Reversible. This migration's own copy of
the prefix and key."""

import re

from django.db import migrations

KEY = "accountability.case"
PATTERN = re.compile(r"^WZ(\d{4})(\d{6})$")


def carry_over(apps, schema_editor):
    Old = apps.get_model("accountability", "CaseSequence")
    Case = apps.get_model("accountability", "Case")
    New = apps.get_model("core", "NumberSequence")
    last = dict(Old.objects.values_list("year", "last"))
    for number in Case.objects.filter(number__startswith="WZ").values_list("number", flat=True):
        m = PATTERN.match(number)
        if m:
            year, n = int(m.group(1)), int(m.group(2))
            last[year] = max(last.get(year, 0), n)
    for year, n in last.items():
        row, _ = New.objects.get_or_create(key=KEY, year=year)
        if row.last < n:
            row.last = n
            row.save(update_fields=["last"])


def carry_back(apps, schema_editor):
    Old = apps.get_model("accountability", "CaseSequence")
    New = apps.get_model("core", "NumberSequence")
    for year, n in New.objects.filter(key=KEY).values_list("year", "last"):
        Old.objects.update_or_create(year=year, defaults={"last": n})
    New.objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0003_case_sources"),
        ("core", "0007_number_sequence"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="CaseSequence"),
    ]
