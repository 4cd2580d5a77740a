"""Scale data for the rectification ledger: issues and items in every state (the ``gen-scale``
hook; see ``core.scale``)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from xiaoneng.core import calendar as work_calendar
from xiaoneng.core import scale
from xiaoneng.core.models import NumberSequence, User
from xiaoneng.core.scale import LEADERS, YEARS, Org, Sink, cumulative, members_of, next_id

ITEM_MIX = [  # status, weight
    ("pending", 10),
    ("in_progress", 30),
    ("close_requested", 8),
    ("closed", 48),
    ("reopened", 4),
]
ITEM_TYPES = [("immediate", 50), ("staged", 35), ("long_term", 15)]
MEASURES = "召开专题会议剖析原因，制定整改方案，明确责任人和完成时限，建立长效机制。"


def _tables() -> list[str]:
    from .models import Issue, RectificationItem

    return [Issue._meta.db_table, RectificationItem._meta.db_table]


@scale.step(key="ledger", count="items", label="rectification items", order=20, tables=_tables)
def generate_items(
    sink: Sink, org: Org, *, n: int, rng: random.Random, now: datetime, progress
) -> dict[str, int]:
    """Issues (one per two items) and rectification items in every state; deadlines from the
    item-type rules and the calendar, ``yellow_at`` from the ledger's own rule."""
    if n <= 0:
        return {}
    from xiaoneng.complaints.models import Category

    from . import deadlines as ledger_deadlines
    from .models import Issue, RectificationItem
    from .services import ISSUE_KEY, ITEM_KEY

    tz = timezone.get_current_timezone()
    now = timezone.localtime(now, tz)
    rules = ledger_deadlines.type_rules()
    cal = work_calendar.get_calendar()
    categories = list(Category.objects.filter(is_active=True).values_list("pk", flat=True))
    creator = User.objects.filter(username=f"{org.prefix}-office1").first()
    creator_id = creator.pk if creator else None
    units = [u for u in org.units if u.people_count]
    sources = ["self_inspection", "complaint", "inspection", "evaluation", "assigned", "other"]
    states = [s for s, _ in ITEM_MIX]
    state_w = list(cumulative([w for _, w in ITEM_MIX]))
    types = [t for t, _ in ITEM_TYPES]
    type_w = list(cumulative([w for _, w in ITEM_TYPES]))
    issue_id, item_id = next_id(Issue), next_id(RectificationItem)
    keys = {"WT": ISSUE_KEY, "ZG": ITEM_KEY}  # number prefix -> core.numbering key
    prefixes = {key: prefix for prefix, key in keys.items()}
    counters = {
        (prefixes[k], y): last
        for k, y, last in NumberSequence.objects.filter(key__in=prefixes).values_list(
            "key", "year", "last"
        )
    }
    n_issues = (n + 1) // 2
    ages = sorted(((rng.random() ** 0.7) * YEARS * 365 for _ in range(n_issues)), reverse=True)
    stats = {"issues": 0, "items": 0, "open": 0}
    chunk = 50_000
    for base in range(0, n_issues, chunk):
        issues: list[tuple] = []
        items: list[tuple] = []
        for age in ages[base : base + chunk]:
            found = now - timedelta(days=age)
            year = found.year
            counters[("WT", year)] = counters.get(("WT", year), 0) + 1
            u = units[rng.randrange(len(units))]
            k = rng.randrange(len(u.depts))
            title = f"{u.short}{u.dept_names[k]}" + rng.choice(
                ("服务态度问题整改", "窗口排队时间长", "收费不规范", "制度落实不到位", "环境卫生差")
            )
            issues.append(
                (
                    issue_id,
                    f"WT{year}{counters[('WT', year)]:06d}",
                    rng.choice(sources),
                    u.id,
                    u.depts[k],
                    categories[rng.randrange(len(categories))] if categories else None,
                    rng.choice(("general", "general", "serious", "major", "typical")),
                    title,
                    f"{u.name}{u.dept_names[k]}存在{title[-6:]}的问题，需限期整改。",
                    found,
                    creator_id,
                    found,
                    found,
                )
            )
            for _ in range(2 if stats["items"] + 2 <= n else n - stats["items"]):
                kind = rng.choices(types, cum_weights=type_w)[0]
                value, unit = rules.get(kind, (5, "working_days"))
                started = found + timedelta(hours=rng.uniform(1, 48))
                if started > now:
                    started = now
                if unit == "working_days":
                    due = cal.add_working_days(started, value)
                elif unit == "natural_days":
                    due = cal.add_natural_days(started, value)
                else:
                    due = cal.add_months(started, value)
                status = rng.choices(states, cum_weights=state_w)[0]
                if age > 400 and status != "closed" and rng.random() < 0.9:
                    status = "closed"
                yellow = ledger_deadlines.yellow_at(started, due.at)
                closed_at = None
                close_requested = None
                percent = {"pending": 0, "in_progress": rng.randrange(10, 90)}.get(status, 100)
                if status in ("close_requested", "closed"):
                    end = min(now, started + (due.at - started) * rng.uniform(0.3, 1.1))
                    close_requested = end
                    if status == "closed":
                        closed_at = min(now, end + timedelta(hours=rng.uniform(2, 72)))
                counters[("ZG", year)] = counters.get(("ZG", year), 0) + 1
                member = u.people_first + LEADERS + k if members_of(u, k) else u.people_first
                items.append(
                    (
                        item_id,
                        issue_id,
                        f"ZG{year}{counters[('ZG', year)]:06d}",
                        kind,
                        MEASURES,
                        "问题整改到位，群众满意。",
                        started,
                        due.at,
                        due.uncertain,
                        yellow,
                        u.id,
                        u.depts[k],
                        member,
                        u.people_first + 1 if u.people_count > 1 else u.people_first,
                        status,
                        percent,
                        "已完成整改，制度已修订。" if percent == 100 else "",
                        close_requested,
                        closed_at,
                        creator_id if closed_at else None,
                        1 if status == "reopened" else 0,
                        creator_id,
                        started,
                        closed_at or close_requested or started,
                    )
                )
                item_id += 1
                stats["items"] += 1
                if status != "closed":
                    stats["open"] += 1
            issue_id += 1
            stats["issues"] += 1
        sink.write(
            Issue,
            [
                "id",
                "number",
                "source",
                "unit_id",
                "department_id",
                "category_id",
                "severity",
                "title",
                "description",
                "found_at",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            issues,
            {"is_public": False},
        )
        sink.write(
            RectificationItem,
            [
                "id",
                "issue_id",
                "number",
                "type",
                "measures",
                "target",
                "started_at",
                "deadline",
                "deadline_uncertain",
                "yellow_at",
                "responsible_unit_id",
                "responsible_department_id",
                "responsible_person_id",
                "responsible_leader_id",
                "status",
                "percent",
                "latest_progress",
                "close_requested_at",
                "closed_at",
                "closed_by_id",
                "reopen_count",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            items,
            {"flagged": False, "is_public": False},
        )
    for (prefix, year), last in counters.items():
        NumberSequence.objects.update_or_create(
            key=keys[prefix], year=year, defaults={"last": last}
        )
    return stats
