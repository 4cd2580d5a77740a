"""The SMS wording of the registration receipt (issue 21 item 1): a named complainant registered by
staff who may not see the receipt gets the tracking code by SMS. Own copy of the seed text."""

from django.db import migrations

EVENT = "complaint.receipt"
SUBJECT = "【卫生健康投诉】"
BODY = "{{ title }}{{ body }}"


def seed(apps, schema_editor):
    NotificationTemplate = apps.get_model("core", "NotificationTemplate")
    NotificationTemplate.objects.get_or_create(
        event=EVENT, channel="sms", defaults={"subject": SUBJECT, "body": BODY, "is_active": True}
    )


def unseed(apps, schema_editor):
    NotificationTemplate = apps.get_model("core", "NotificationTemplate")
    NotificationTemplate.objects.filter(event=EVENT, channel="sms", subject=SUBJECT).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_rating_key_existing"),
        ("core", "0005_seed_notification_templates"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
