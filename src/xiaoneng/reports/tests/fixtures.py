"""A fixed set of complaints, ledger items and submissions for exact statistics tests.

Everything is written straight to the tables (the figures read stored fields only), as of
NOW = 2026-06-15 10:00 (Asia/Shanghai). Unit A (and its branch) and unit B of build_org:

======== ======= ========== ========== ========== ============ ============================
case     unit    received   status     resolve_by replied_at   satisfaction
======== ======= ========== ========== ========== ============ ============================
a1       A       03-02      closed     03-20      03-10 (ok)   satisfied
a2       A       03-05      closed     03-20      03-25 (late) unsatisfied
a3       A1      04-01      handling   04-20      —  (overdue now)
a4       A       05-10      closed     05-30      05-20 (ok)   basically_satisfied
b1       B       04-03      closed     04-20      04-10 (ok)   —
b2       B       05-02      registered —          —
m1       A       05-03      merged     —          —            (never counted)
old      A       2025-12-01 closed     2025-12-20 2025-12-10  (before the period)
======== ======= ========== ========== ========== ============ ============================
"""

from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from xiaoneng.complaints.models import Category, Complaint

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=CST)
_seq = itertools.count(1)


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=CST)


def case(
    org,
    unit,
    received,
    status,
    *,
    resolve_by=None,
    replied_at=None,
    satisfaction="",
    channel="phone",
    category=None,
    **extra,
) -> Complaint:
    n = next(_seq)
    category = (
        category or Category.objects.get_or_create(code="stats-a", defaults={"name": "服务态度"})[0]
    )
    return Complaint.objects.create(
        number=f"TS-STATS-{n:04d}",
        tracking_code=f"STATS{n:06d}",
        channel=channel,
        type="complaint",
        category=category,
        received_at=received,
        registered_at=received,
        subject_unit=unit,
        unit=unit if status != "registered" else None,
        title=f"统计测试 {n}",
        content="内容",
        status=status,
        resolve_by=resolve_by,
        replied_at=replied_at,
        closed_at=replied_at if status == "closed" else None,
        satisfaction=satisfaction,
        **extra,
    )


def complaints(org) -> dict[str, Complaint]:
    other = Category.objects.get_or_create(code="stats-b", defaults={"name": "乱收费"})[0]
    return {
        "a1": case(
            org,
            org.unit_a,
            at(3, 2),
            "closed",
            resolve_by=at(3, 20),
            replied_at=at(3, 10),
            satisfaction="satisfied",
        ),
        "a2": case(
            org,
            org.unit_a,
            at(3, 5),
            "closed",
            resolve_by=at(3, 20),
            replied_at=at(3, 25),
            satisfaction="unsatisfied",
            channel="web",
        ),
        "a3": case(
            org, org.unit_a_child, at(4, 1), "handling", resolve_by=at(4, 20), category=other
        ),
        "a4": case(
            org,
            org.unit_a,
            at(5, 10),
            "closed",
            resolve_by=at(5, 30),
            replied_at=at(5, 20),
            satisfaction="basically_satisfied",
        ),
        "b1": case(
            org,
            org.unit_b,
            at(4, 3),
            "closed",
            resolve_by=at(4, 20),
            replied_at=at(4, 10),
            channel="web",
        ),
        "b2": case(org, org.unit_b, at(5, 2), "registered", category=other),
        "m1": case(org, org.unit_a, at(5, 3), "merged"),
        "old": case(
            org,
            org.unit_a,
            at(12, 1, 2025),
            "closed",
            resolve_by=at(12, 20, 2025),
            replied_at=at(12, 10, 2025),
        ),
    }
