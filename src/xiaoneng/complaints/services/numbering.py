"""Case numbers (TS + year + 6 digits, gap-free per year), tracking codes and rating keys."""

from __future__ import annotations

import re
import secrets

from django.db import IntegrityError, connection, transaction

from xiaoneng.core import batch, crypto

from ..models import Complaint, ComplaintSequence

# Unambiguous alphabet for tracking codes (no 0/O, 1/I/L): 31^12 ≈ 7.9e17 codes.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12
RATING_KEY_LENGTH = 8


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def new_rating_key() -> str:
    """The second complainant secret (31^8 ≈ 8.5e11 keys), shown only on the receipt."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(RATING_KEY_LENGTH))


def normalise_key(value: str) -> str:
    """What the complainant typed: upper case, without spaces or dashes."""
    return re.sub(r"[\s\-]", "", str(value or "")).upper()


def rating_key_matches(complaint: Complaint, given: str) -> bool:
    """The rating key printed on the receipt (constant-time compare; empty never matches)."""
    expected = crypto.decrypt(complaint.rating_key_enc)
    given = normalise_key(given)
    if not expected or not given:
        return False
    return secrets.compare_digest(expected.encode(), given.encode())


def receipt_secrets(complaint: Complaint) -> dict[str, str]:
    """The complainant's secrets for a receipt (submit responses and their idempotent replays
    only; never a staff read): the tracking code and the rating key."""
    key = getattr(complaint, "rating_key", "") or crypto.decrypt(complaint.rating_key_enc)
    return {"tracking_code": complaint.tracking_code, "rating_key": key}


def next_number(year: int) -> str:
    """The next gap-free number of `year`, inside the caller's transaction.

    ``UPDATE … SET last = last + 1`` row-locks the counter until the creating transaction ends,
    so concurrent registrations queue up and a rolled-back one gives its number back. The first
    registration of a year creates the row; losing that race (IntegrityError) falls back to UPDATE.
    """
    table = ComplaintSequence._meta.db_table
    sql = f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last"  # one round trip
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        row = cursor.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    ComplaintSequence.objects.create(year=year, last=1)
                row = (1,)
            except IntegrityError:
                cursor.execute(sql, [year])
                row = cursor.fetchone()
    return f"TS{year}{row[0]:06d}"


def next_number_and_id(year: int) -> tuple[str, int | None]:
    """``next_number`` and, on PostgreSQL, the new case's id from its sequence in the same round
    trip, so that the case's row can be written with the rest of its batch (core.batch). The
    id is None elsewhere, or for the first case of a year."""
    if connection.vendor != "postgresql":
        return next_number(year), None
    table = Complaint._meta.db_table
    sql = (
        f"UPDATE {ComplaintSequence._meta.db_table} SET last = last + 1 WHERE year = %s "
        f"RETURNING last, nextval(pg_get_serial_sequence('{table}', 'id'))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        row = cursor.fetchone()
    if row is None:
        return next_number(year), None
    return f"TS{year}{row[0]:06d}", row[1]


def late_number_and_id(year: int) -> tuple[str, int]:
    """Inside a ``core.batch.deferred()`` block: the new case's number and id as placeholders,
    taken when the batch is written (on PostgreSQL in its statement: the counter's row lock is
    then held for that statement and the commit only, not while the request builds its rows and
    its answer). ``batch.resolve`` gives the real values of what was built from them."""
    table = Complaint._meta.db_table
    sql = (
        f"UPDATE {ComplaintSequence._meta.db_table} SET last = last + 1 WHERE year = %s "
        f"RETURNING last AS n, nextval(pg_get_serial_sequence('{table}', 'id')) AS id"
    )
    pk, digits = batch.late_counter(
        sql=sql, params=[year], width=6, allocate=lambda: int(next_number(year)[6:])
    )
    return f"TS{year}{digits}", pk
