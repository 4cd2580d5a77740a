"""A random public service_request_id for every Open311 request (issue 21 item 9).

Existing requests get a new random id: integrators that stored the old case number (TS…) as
the service_request_id must look the request up again (GET by token still works).
"""

import secrets

from django.db import migrations, models

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # own copy of the services' alphabet
LENGTH = 12


def give_ids(apps, schema_editor):
    Open311Request = apps.get_model("open311", "Open311Request")
    used = set()
    for request in Open311Request.objects.filter(public_id__isnull=True).only("pk"):
        value = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        while value in used:
            value = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        used.add(value)
        Open311Request.objects.filter(pk=request.pk).update(public_id=value)


class Migration(migrations.Migration):
    dependencies = [("open311", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="open311request",
            name="public_id",
            field=models.CharField(max_length=20, null=True, verbose_name="service request id"),
        ),
        migrations.RunPython(give_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="open311request",
            name="public_id",
            field=models.CharField(max_length=20, unique=True, verbose_name="service request id"),
        ),
    ]
