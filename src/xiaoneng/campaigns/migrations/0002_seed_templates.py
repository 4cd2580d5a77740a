"""Seed the campaign templates from the seed plans (000, 001, 002, 003)."""

from django.db import migrations

FIELDS = ("name", "kind", "source", "description", "guiding_ideas", "goals")
SPEC = ("group", "phases", "requirements", "key_tasks", "targets")


def seed(apps, schema_editor):
    from xiaoneng.campaigns.seeddata import TEMPLATES

    CampaignTemplate = apps.get_model("campaigns", "CampaignTemplate")
    for order, data in enumerate(TEMPLATES):
        CampaignTemplate.objects.update_or_create(
            code=data["code"],
            defaults={
                **{f: data[f] for f in FIELDS},
                "spec": {k: data[k] for k in SPEC},
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    from xiaoneng.campaigns.seeddata import TEMPLATES

    CampaignTemplate = apps.get_model("campaigns", "CampaignTemplate")
    CampaignTemplate.objects.filter(code__in=[t["code"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
