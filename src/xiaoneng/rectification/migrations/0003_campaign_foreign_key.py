"""Integer links to other apps' rows become foreign keys; the values are kept.

Each column is renamed aside, the foreign key added, the ids copied where the row they point at
exists (a dangling id cannot be a foreign key: it is dropped, and counted on the console), and the
old column removed."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

LINKS = [
    ("issue", "campaign", "campaigns.campaign"),
]


def copy_links(apps, schema_editor):
    for model_name, field, target in LINKS:
        Model = apps.get_model("rectification", model_name)
        Target = apps.get_model(*target.split("."))
        legacy = f"{field}_legacy"
        Model.objects.filter(**{f"{legacy}__in": Target.objects.values("pk")}).update(
            **{f"{field}_id": F(legacy)}
        )
        dropped = Model.objects.filter(**{f"{field}_id": None, f"{legacy}__isnull": False})
        if dropped.exists():
            print(f"  {model_name}.{field}: {dropped.count()} ids without a row dropped")


def restore_links(apps, schema_editor):
    for model_name, field, _target in LINKS:
        Model = apps.get_model("rectification", model_name)
        Model.objects.update(**{f"{field}_legacy": F(f"{field}_id")})


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0002_seed_item_type_rules"),
        ("campaigns", "0002_seed_templates"),
    ]

    operations = [
        # the old index would keep its name and collide with the foreign key's
        migrations.AlterField(
            "issue",
            "campaign_id",
            models.PositiveIntegerField(blank=True, null=True, verbose_name="campaign"),
        ),
        migrations.RenameField("issue", "campaign_id", "campaign_legacy"),
        migrations.AddField(
            model_name="issue",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="ledger_issues",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.RunPython(copy_links, restore_links),
        migrations.RemoveField("issue", "campaign_legacy"),
    ]
