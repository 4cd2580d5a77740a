"""Gap-free numbers per key and year (document numbers 〔2026〕12号, case numbers …).

``next_value`` must run inside the caller's transaction: the row lock is held until that
transaction commits, so a rolled-back caller gives its number back and no gap appears.
(Temporary copy; superseded by the consolidate-core branch's ``core.numbering``.)
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import NumberSequence


def next_value(key: str, year: int) -> int:
    """The next number for ``key`` in ``year`` (1, 2, 3 … without gaps under concurrency)."""
    with transaction.atomic():
        updated = NumberSequence.objects.filter(key=key, year=year).update(last=F("last") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(key=key, year=year, last=1)
                return 1
            except IntegrityError:
                # Another transaction created the row first: wait for its lock, then count on.
                NumberSequence.objects.filter(key=key, year=year).update(last=F("last") + 1)
        return NumberSequence.objects.get(key=key, year=year).last
