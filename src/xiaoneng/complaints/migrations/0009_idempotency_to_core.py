"""Idempotency keys move to core (issue #12): the rows are copied to core.IdempotencyKey (scope
"user:<id>", the same key, hash and response), then the complaints table is dropped."""

from django.db import migrations


def to_core(apps, schema_editor):
    Old = apps.get_model("complaints", "IdempotencyKey")
    New = apps.get_model("core", "IdempotencyKey")
    New.objects.bulk_create(
        [
            New(
                scope=f"user:{row.user_id}",
                key=row.key,
                endpoint="",
                request_hash=row.request_hash,
                response_status=row.response_status,
                response_body=row.response_body,
                created_at=row.created_at,
                user_id=row.user_id,
            )
            for row in Old.objects.iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def back_from_core(apps, schema_editor):
    Old = apps.get_model("complaints", "IdempotencyKey")
    New = apps.get_model("core", "IdempotencyKey")
    Old.objects.bulk_create(
        [
            Old(
                user_id=row.user_id,
                key=row.key,
                request_hash=row.request_hash,
                response_status=row.response_status,
                response_body=row.response_body,
                created_at=row.created_at,
            )
            for row in New.objects.filter(user__isnull=False, scope__startswith="user:").iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0008_receipt_sms_template"),
        ("core", "0008_idempotency_key"),
    ]

    operations = [
        migrations.RunPython(to_core, back_from_core),
        migrations.DeleteModel(name="IdempotencyKey"),
    ]
