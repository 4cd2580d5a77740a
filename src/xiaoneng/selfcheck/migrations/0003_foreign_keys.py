"""Integer links to other apps' rows become foreign keys; the values are kept.

Each column is renamed aside, the foreign key added, the ids copied where the row they point at
exists (a dangling id cannot be a foreign key: it is dropped, and counted on the console), and the
old column removed."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

LINKS = [
    ("checklistassignment", "campaign", "campaigns.campaign"),
    ("checklistanswer", "issue", "rectification.issue"),
    ("commitment", "campaign", "campaigns.campaign"),
    ("learningrequirement", "campaign", "campaigns.campaign"),
    ("learningsession", "campaign", "campaigns.campaign"),
    ("learningrecord", "campaign", "campaigns.campaign"),
    ("recurringactivity", "campaign", "campaigns.campaign"),
]


def copy_links(apps, schema_editor):
    for model_name, field, target in LINKS:
        Model = apps.get_model("selfcheck", model_name)
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
        Model = apps.get_model("selfcheck", model_name)
        Model.objects.update(**{f"{field}_legacy": F(f"{field}_id")})


class Migration(migrations.Migration):
    dependencies = [
        ("selfcheck", "0002_seed_checklists_and_activities"),
        ("campaigns", "0002_seed_templates"),
        ("rectification", "0003_campaign_foreign_key"),
    ]

    operations = [
        # the old index would keep its name and collide with the foreign key's
        migrations.AlterField(
            "checklistassignment",
            "campaign_id",
            models.PositiveIntegerField(blank=True, null=True, verbose_name="campaign"),
        ),
        # the old index would keep its name and collide with the foreign key's
        migrations.AlterField(
            "commitment",
            "campaign_id",
            models.PositiveIntegerField(blank=True, null=True, verbose_name="campaign"),
        ),
        # the old index would keep its name and collide with the foreign key's
        migrations.AlterField(
            "learningrequirement",
            "campaign_id",
            models.PositiveIntegerField(blank=True, null=True, verbose_name="campaign"),
        ),
        # the old index would keep its name and collide with the foreign key's
        migrations.AlterField(
            "learningrecord",
            "campaign_id",
            models.PositiveIntegerField(blank=True, null=True, verbose_name="campaign"),
        ),
        migrations.RenameField("checklistassignment", "campaign_id", "campaign_legacy"),
        migrations.RenameField("checklistanswer", "issue_id", "issue_legacy"),
        migrations.RenameField("commitment", "campaign_id", "campaign_legacy"),
        migrations.RenameField("learningrequirement", "campaign_id", "campaign_legacy"),
        migrations.RenameField("learningsession", "campaign_id", "campaign_legacy"),
        migrations.RenameField("learningrecord", "campaign_id", "campaign_legacy"),
        migrations.RenameField("recurringactivity", "campaign_id", "campaign_legacy"),
        migrations.AddField(
            model_name="checklistassignment",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.AddField(
            model_name="checklistanswer",
            name="issue",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="rectification.issue",
                verbose_name="ledger issue",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.AddField(
            model_name="learningrequirement",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.AddField(
            model_name="learningsession",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.AddField(
            model_name="learningrecord",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.AddField(
            model_name="recurringactivity",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.RunPython(copy_links, restore_links),
        migrations.RemoveField("checklistassignment", "campaign_legacy"),
        migrations.RemoveField("checklistanswer", "issue_legacy"),
        migrations.RemoveField("commitment", "campaign_legacy"),
        migrations.RemoveField("learningrequirement", "campaign_legacy"),
        migrations.RemoveField("learningsession", "campaign_legacy"),
        migrations.RemoveField("learningrecord", "campaign_legacy"),
        migrations.RemoveField("recurringactivity", "campaign_legacy"),
    ]
