"""督办单 and bulletin numbers come from core.numbering (one counter table for every app, issue
#12): carry each InspectionSequence counter over to core.NumberSequence, never below the highest
number already given (no number is reused), then drop InspectionSequence. Reversible. This
migration's own copy of the kinds, keys and number shapes."""

import re

from django.db import migrations

KEYS = {"DB": "inspections.order", "BG": "inspections.bulletin"}
ORDER = re.compile(r"^DB(\d{4})(\d{6})$")
BULLETIN = re.compile(r"〔(\d{4})〕(\d+)号")


def highest_given(apps):
    """{(kind, year): highest n} of the order and bulletin numbers already stored."""
    found = {}
    Order = apps.get_model("inspections", "SupervisionOrder")
    Bulletin = apps.get_model("inspections", "Bulletin")
    numbers = [
        ("DB", ORDER.match(n)) for n in Order.objects.values_list("number", flat=True)
    ] + [
        ("BG", BULLETIN.search(n))
        for n in Bulletin.objects.exclude(number=None).values_list("number", flat=True)
    ]
    for kind, m in numbers:
        if m:
            year, n = int(m.group(1)), int(m.group(2))
            found[(kind, year)] = max(found.get((kind, year), 0), n)
    return found


def carry_over(apps, schema_editor):
    Old = apps.get_model("inspections", "InspectionSequence")
    New = apps.get_model("core", "NumberSequence")
    last = highest_given(apps)
    for kind, year, n in Old.objects.values_list("kind", "year", "last"):
        if kind in KEYS:
            last[(kind, year)] = max(last.get((kind, year), 0), n)
    for (kind, year), n in last.items():
        row, _ = New.objects.get_or_create(key=KEYS[kind], year=year)
        if row.last < n:
            row.last = n
            row.save(update_fields=["last"])


def carry_back(apps, schema_editor):
    Old = apps.get_model("inspections", "InspectionSequence")
    New = apps.get_model("core", "NumberSequence")
    kinds = {key: kind for kind, key in KEYS.items()}
    for key, year, n in New.objects.filter(key__in=kinds).values_list("key", "year", "last"):
        Old.objects.update_or_create(kind=kinds[key], year=year, defaults={"last": n})
    New.objects.filter(key__in=kinds).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_seed_rules_and_permissions"),
        ("core", "0007_number_sequence"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="InspectionSequence"),
    ]
