"""Idempotency keys of Open311 POSTs move to core.IdempotencyKey (issue #12): each request sent
with a key becomes a core row (scope "open311:<key id>", the same request hash, the
service_request_id to replay); then the columns on Open311Request go."""

from django.db import migrations


def to_core(apps, schema_editor):
    Request = apps.get_model("open311", "Open311Request")
    Key = apps.get_model("core", "IdempotencyKey")
    Key.objects.bulk_create(
        [
            Key(
                scope=f"open311:{row.key_id}",
                key=row.idempotency_key,
                endpoint="",
                request_hash=row.request_hash,
                response_status=200,
                response_body={"service_request_id": row.public_id},
                created_at=row.created_at,
            )
            for row in Request.objects.exclude(idempotency_key="").iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def back_from_core(apps, schema_editor):
    Request = apps.get_model("open311", "Open311Request")
    Key = apps.get_model("core", "IdempotencyKey")
    for row in Key.objects.filter(scope__startswith="open311:").iterator():
        public_id = (row.response_body or {}).get("service_request_id")
        Request.objects.filter(public_id=public_id).update(
            idempotency_key=row.key, request_hash=row.request_hash
        )


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0002_public_id"),
        ("core", "0008_idempotency_key"),
    ]

    operations = [
        migrations.RunPython(to_core, back_from_core),
        migrations.RemoveConstraint(
            model_name="open311request",
            name="open311_idempotency_per_key",
        ),
        migrations.RemoveField(
            model_name="open311request",
            name="idempotency_key",
        ),
        migrations.RemoveField(
            model_name="open311request",
            name="request_hash",
        ),
    ]
