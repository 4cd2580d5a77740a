"""Ledger numbers come from core.numbering (one counter table for every app, issue #12): carry
each LedgerSequence counter over to core.NumberSequence, never below the highest number already
given (no number is reused), then drop LedgerSequence. Reversible. This migration's own copy of
the prefixes and keys."""

import re

from django.db import migrations

KEYS = {"WT": "rectification.issue", "ZG": "rectification.item", "CC": "rectification.spotcheck"}
NUMBERED = {"WT": "Issue", "ZG": "RectificationItem", "CC": "SpotCheck"}


def highest_given(apps, prefix):
    """{year: highest n} of the numbers PREFIX + year + 6 digits already stored."""
    pattern = re.compile(rf"^{prefix}(\d{{4}})(\d{{6}})$")
    model = apps.get_model("rectification", NUMBERED[prefix])
    found = {}
    for number in model.objects.filter(number__startswith=prefix).values_list("number", flat=True):
        m = pattern.match(number)
        if m:
            year, n = int(m.group(1)), int(m.group(2))
            found[year] = max(found.get(year, 0), n)
    return found


def carry_over(apps, schema_editor):
    Old = apps.get_model("rectification", "LedgerSequence")
    New = apps.get_model("core", "NumberSequence")
    last = {}
    for kind, year, n in Old.objects.values_list("kind", "year", "last"):
        if kind in KEYS:
            last[(kind, year)] = max(last.get((kind, year), 0), n)
    for prefix in KEYS:
        for year, n in highest_given(apps, prefix).items():
            last[(prefix, year)] = max(last.get((prefix, year), 0), n)
    for (prefix, year), n in last.items():
        row, _ = New.objects.get_or_create(key=KEYS[prefix], year=year)
        if row.last < n:
            row.last = n
            row.save(update_fields=["last"])


def carry_back(apps, schema_editor):
    Old = apps.get_model("rectification", "LedgerSequence")
    New = apps.get_model("core", "NumberSequence")
    prefixes = {key: prefix for prefix, key in KEYS.items()}
    for key, year, n in New.objects.filter(key__in=prefixes).values_list("key", "year", "last"):
        Old.objects.update_or_create(kind=prefixes[key], year=year, defaults={"last": n})
    New.objects.filter(key__in=prefixes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0003_campaign_foreign_key"),
        ("core", "0007_number_sequence"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="LedgerSequence"),
    ]
