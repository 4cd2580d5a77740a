"""Every existing case gets a rating key (issue 21 item 1).

The key is random and shown to nobody: receipts printed before this change do not carry one, so
an ANONYMOUS case registered before it can no longer be rated from the public site (its tracking
code alone is not enough any more); the office records the return visit instead. Named cases are
unaffected (the tracking code plus the last four digits of the phone still work).
"""

import secrets

from django.db import migrations

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # own copy: the services' alphabet may change
LENGTH = 8
BATCH = 2000


def give_keys(apps, schema_editor):
    from xiaoneng.core import crypto

    Complaint = apps.get_model("complaints", "Complaint")
    while True:
        ids = list(
            Complaint.objects.filter(rating_key_enc="").order_by("pk").values_list("pk", flat=True)[
                :BATCH
            ]
        )
        if not ids:
            return
        rows = []
        for pk in ids:
            key = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
            rows.append(Complaint(pk=pk, rating_key_enc=crypto.encrypt(key)))
        Complaint.objects.bulk_update(rows, ["rating_key_enc"])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_rating_key")]

    operations = [migrations.RunPython(give_keys, migrations.RunPython.noop, elidable=True)]
