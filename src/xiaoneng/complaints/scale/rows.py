"""Scale data for complaints: the rows (complaints, timelines, identities, pauses, escalation
steps, audit records) written through the shared sink."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.utils import timezone

from xiaoneng.core import crypto
from xiaoneng.core.models import AuditRecord, User
from xiaoneng.core.scale import (
    YEARS,
    Org,
    Sink,
    bisect,
    cumulative,
    member,
    members_of,
    next_id,
    person_name,
    place,
    take,
)

from .plan import (
    COMPLAINT_WEIGHT,
    CONTENTS,
    IDENTITY_POOL,
    OPEN_FRACTION,
    OPEN_MIX,
    OPEN_WINDOW_DAYS,
    PATHS,
    PUBLIC_ACTIONS,
    REPLY,
    STEP_HOURS,
    TARGET,
    TITLES,
    Policies,
    Probe,
    tracking_code,
)


def generate_complaints(
    sink: Sink,
    org: Org,
    *,
    n: int,
    rng: random.Random,
    now: datetime,
    progress: Callable[[str], None],
) -> dict[str, int]:
    from xiaoneng.complaints.models import (
        Category,
        ComplainantIdentity,
        Complaint,
        ComplaintEvent,
        ComplaintPause,
        ComplaintSequence,
        EscalationRule,
        EscalationStep,
    )
    from xiaoneng.complaints.sla import current_rules
    from xiaoneng.complaints.vocab import CLOCK_STATUSES, Channel, Type

    if n <= 0:
        return {}
    tz = timezone.get_current_timezone()
    now = timezone.localtime(now, tz)
    categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "id"))
    policies = Policies()
    cal = policies.cal
    ladder = list(EscalationRule.objects.filter(is_active=True).order_by("percent"))
    criticism_days = current_rules().criticism_after_working_days
    office_user = User.objects.filter(username=f"{org.prefix}-office1").first()
    office_id = office_user.pk if office_user else None
    office_name = office_user.person.name if office_user and office_user.person_id else "效能办"
    subject_units = [u for u in org.units if u.people_count]
    unit_weights = [COMPLAINT_WEIGHT.get(u.kind, 1) for u in subject_units]
    cum = []
    acc = 0.0
    for w in unit_weights:
        acc += w
        cum.append(acc)

    # 1. When each complaint was received (sorted: ids and numbers follow the order received).
    progress(f"  planning {n:,} complaints …")
    span_days = YEARS * 365
    plan: list[tuple[float, bool]] = []
    for _ in range(n):
        if rng.random() < OPEN_FRACTION:
            age = (rng.random() ** 1.5) * OPEN_WINDOW_DAYS
            plan.append((age, True))
        else:
            # growth over the years: more recent cases are more frequent
            age = 7 + (1 - rng.random() ** 0.8) * (span_days - 7)
            plan.append((age, False))
    plan.sort(key=lambda p: -p[0])

    first_id = next_id(Complaint)
    first_event = next_id(ComplaintEvent)
    first_identity = next_id(ComplainantIdentity)
    first_pause = next_id(ComplaintPause)
    first_step = next_id(EscalationStep)
    first_audit = next_id(AuditRecord)
    sequences = dict(ComplaintSequence.objects.values_list("year", "last"))
    salt = rng.randrange(1, 10**9)

    # Identities: a pool of encrypted values, reused (encryption is the slow part).
    pool = []
    for i in range(IDENTITY_POOL):
        phone = f"13{8000000000 + i * 7919:09d}"[:11]
        pool.append(
            (
                crypto.encrypt(person_name(rng)),
                crypto.encrypt(phone),
                crypto.encrypt(f"4101{rng.randint(10**13, 10**14 - 1)}"),
                crypto.encrypt(f"{place(rng)}路{rng.randint(1, 300)}号"),
                crypto.blind_index(phone),
                phone[-4:],
            )
        )
    channels = [c.value for c in Channel]
    channel_w = list(cumulative([8, 30, 15, 15, 3, 6, 10, 3, 2, 2][: len(channels)] + [1] * 20))
    channel_w = channel_w[: len(channels)]
    types = [t.value for t in Type]
    type_w = list(cumulative([55, 10, 15, 15, 5][: len(types)] + [1] * 20))[: len(types)]
    open_states = [s for s, _ in OPEN_MIX]
    open_w = list(cumulative([w for _, w in OPEN_MIX]))
    events: list[tuple] = []
    identities: list[tuple] = []
    pauses: list[tuple] = []
    steps: list[tuple] = []
    audits: list[tuple] = []
    stats = {"open": 0, "running": 0, "overdue": 0}
    year_counter: dict[int, int] = {}

    def h(a: float, b: float) -> timedelta:
        return timedelta(hours=rng.uniform(a, b))

    def complaint_rows() -> Iterator[tuple]:
        event_id = first_event
        identity_id = first_identity
        pause_id = first_pause
        step_id = first_step
        audit_id = first_audit
        for index, (age, is_open) in enumerate(plan):
            cid = first_id + index
            received = now - timedelta(days=age)
            registered = min(now, received + h(0, 2))
            year = registered.year
            seq = year_counter.get(year, sequences.get(year, 0)) + 1
            year_counter[year] = seq
            number = f"TS{year}{seq:06d}"
            u = subject_units[bisect(cum, rng.random() * acc)]
            nd = len(u.depts)
            k = rng.randrange(nd)
            dept = u.depts[k]
            dept_name = u.dept_names[k]
            category = categories[rng.randrange(len(categories))]
            channel = rng.choices(channels, cum_weights=channel_w)[0]
            ctype = rng.choices(types, cum_weights=type_w)[0]
            matter = "medical" if "hospital" in u.kind and rng.random() < 0.3 else "general"
            price = category.code == "improper_charges" and rng.random() < 0.8
            complex_ = rng.random() < 0.03
            anonymous = rng.random() < 0.3
            probe = Probe(channel, ctype, matter, category, price, complex_, False, anonymous)
            policy = policies.select(probe)
            sign_by = feedback_by = resolve_by = None
            uncertain = False
            if policy is not None:
                parts = [
                    policies.deadline(received, policy.sign_value, policy.sign_unit),
                    policies.deadline(received, policy.feedback_value, policy.feedback_unit),
                    policies.deadline(received, policy.resolve_value, policy.resolve_unit),
                ]
                sign_by, feedback_by, resolve_by = (d.at if d else None for d in parts)
                uncertain = any(d.uncertain for d in parts if d)
            # The state and its path.
            if is_open:
                status = rng.choices(open_states, cum_weights=open_w)[0]
            else:
                status = "rejected" if rng.random() < 0.04 else "closed"
                if status == "closed" and rng.random() < 0.3:
                    status = "closed_short"  # closed after the reply, without verification
            path = PATHS["closed"] if status == "closed" else PATHS.get(status, [])
            if status == "closed_short":
                status = "closed"
                path = [*PATHS["replied"], "close"]
            times = [registered]
            t = registered
            late = rng.random() < 0.08
            for action in path[1:]:
                a, b = STEP_HOURS[action]
                if action == "reply" and resolve_by is not None:
                    # most replies arrive before the deadline; some are late
                    if late:
                        t = max(t, resolve_by) + h(1, 72)
                    else:
                        t = t + (resolve_by - t) * rng.uniform(0.2, 0.95) if resolve_by > t else t
                else:
                    t = t + h(a, b)
                times.append(t)
            if times[-1] > now:  # squeeze an open case's steps into the time it has had
                total = (times[-1] - registered).total_seconds() or 1.0
                room = max((now - registered).total_seconds() * 0.97, 0.0)
                times = [registered + (x - registered) * (room / total) for x in times]
            last = times[-1]
            dispatched = "dispatch" in path
            signed_at = times[path.index("sign")] if "sign" in path else None
            handler = None
            first_inquiry = None
            if "assign" in path:
                handler = member(u, k, rng.randrange(max(1, members_of(u, k))))
                first_inquiry = handler
            replied_at = times[path.index("reply")] if "reply" in path else None
            closed_at = last if status in ("closed", "rejected") else None
            subject_person = None
            if rng.random() < 0.2 and members_of(u, k):
                subject_person = member(u, k, rng.randrange(members_of(u, k)))
            paused_at = last if status == "paused" else None
            running = status in CLOCK_STATUSES and resolve_by is not None
            overdue_since = None
            escalation_level = 0
            case_steps: list[tuple] = []
            if running:
                stats["running"] += 1
                start = received
                span = (resolve_by - start).total_seconds()
                fraction = 1.0 if span <= 0 else (now - start).total_seconds() / span
                for rule in ladder:
                    if fraction * 100 >= rule.percent and rule.level > escalation_level:
                        escalation_level = rule.level
                        at = start + timedelta(seconds=span * rule.percent / 100)
                        case_steps.append(
                            ("ladder", f"ladder:r0:p{rule.percent}", rule.level, at, None)
                        )
                if status == "dispatched" and sign_by is not None and now > sign_by:
                    case_steps.append(("sign_reminder", "sign_reminder:r0", None, sign_by, None))
                    escalate_at = cal.add_hours(sign_by, 24).at
                    if now > escalate_at:
                        case_steps.append(
                            (
                                "sign_escalation",
                                "sign_escalation:r0",
                                3,
                                escalate_at,
                                u.people_first,
                            )
                        )
                if now > resolve_by:
                    stats["overdue"] += 1
                    overdue_since = resolve_by
                    due_day = resolve_by.astimezone(tz).date()
                    stamp = f"{due_day:%Y%m%d}"
                    remind_at = datetime.combine(
                        cal.nth_working_day_after(due_day, 1), datetime.min.time(), tzinfo=tz
                    )
                    if now >= remind_at:
                        case_steps.append(
                            ("overdue_reminder", f"overdue:r0:{stamp}", None, remind_at, handler)
                        )
                    criticise_at = cal.add_working_days(resolve_by, criticism_days).at
                    if now > criticise_at:
                        case_steps.append(
                            (
                                "written_criticism",
                                f"criticism:r0:{stamp}",
                                None,
                                criticise_at,
                                None,
                            )
                        )
            if is_open:
                stats["open"] += 1
            unit_name = u.short
            title = rng.choice(TITLES).format(unit=unit_name, dept=dept_name)
            content = rng.choice(CONTENTS).format(unit=u.name, dept=dept_name)
            verification = "true" if "verify" in path else ""
            satisfaction = (
                rng.choice(("satisfied", "satisfied", "basically_satisfied", "unsatisfied"))
                if "return_visit" in path
                else ""
            )
            yield (
                cid,
                number,
                tracking_code(cid, salt),
                channel,
                ctype,
                category.pk,
                matter,
                received,
                registered,
                office_id,
                u.id,
                dept,
                subject_person,
                title,
                content,
                price,
                complex_,
                anonymous,
                u.id if dispatched else None,
                dept if dispatched else None,
                first_inquiry,
                handler,
                escalation_level,
                status,
                "handling" if status == "paused" else "",
                policy.pk if policy else None,
                received,
                sign_by,
                feedback_by,
                resolve_by,
                uncertain,
                paused_at,
                signed_at,
                overdue_since,
                "不属于本部门受理范围，已告知投诉人向有关部门反映。"
                if status == "rejected"
                else "",
                REPLY if replied_at else "",
                replied_at,
                verification,
                satisfaction,
                closed_at,
                max(last, *(s[3] for s in case_steps)) if case_steps else last,
            )
            # Timeline.
            prev = ""
            for action, at in zip(path, times, strict=True):
                target = TARGET[action]
                system = action == "register" and office_id is None
                events.append(
                    (
                        event_id,
                        cid,
                        at,
                        None if system else office_id,
                        "系统" if system else office_name,
                        action,
                        prev,
                        target,
                        REPLY if action == "reply" else "",
                        {"policy": policy.code if policy else None} if action == "register" else {},
                        action in PUBLIC_ACTIONS,
                    )
                )
                event_id += 1
                prev = target
            for kind, key, level, at, person in case_steps:
                steps.append(
                    (
                        step_id,
                        cid,
                        kind,
                        key,
                        level,
                        person,
                        at,
                        "",
                        kind == "written_criticism" or level == 3,
                    )
                )
                step_id += 1
                events.append(
                    (
                        event_id,
                        cid,
                        at,
                        None,
                        "系统",
                        kind,
                        status,
                        status,
                        "",
                        {"key": key, "level": level, "person": person},
                        False,
                    )
                )
                event_id += 1
            if not anonymous:
                p = pool[cid % IDENTITY_POOL]
                identities.append((identity_id, cid, *p))
                identity_id += 1
            if paused_at is not None:
                pauses.append((pause_id, cid, paused_at, "等待投诉人补充材料"))
                pause_id += 1
            audits.append(
                (
                    audit_id,
                    registered,
                    office_id,
                    office_name,
                    "create",
                    "complaints.complaint",
                    str(cid),
                    f"{number} {title}"[:200],
                    {"number": number, "status": "registered", "unit": u.id},
                )
            )
            audit_id += 1
            if index and index % 200_000 == 0:
                progress(f"    … {index:,} complaints")

    # Complaints stream straight into the table; their dependants are collected and written after.
    chunk = 100_000
    rows = complaint_rows()
    while True:
        block = list(take(rows, chunk))
        if not block:
            break
        sink.write(
            Complaint,
            [
                "id",
                "number",
                "tracking_code",
                "channel",
                "type",
                "category_id",
                "matter",
                "received_at",
                "registered_at",
                "registered_by_id",
                "subject_unit_id",
                "subject_department_id",
                "subject_person_id",
                "title",
                "content",
                "price_related",
                "complex_matter",
                "anonymous",
                "unit_id",
                "department_id",
                "first_inquiry_person_id",
                "handler_id",
                "escalation_level",
                "status",
                "status_before_pause",
                "sla_policy_id",
                "clock_started_at",
                "sign_by",
                "feedback_by",
                "resolve_by",
                "deadline_uncertain",
                "paused_at",
                "signed_at",
                "overdue_since",
                "reject_reason",
                "reply",
                "replied_at",
                "verification",
                "satisfaction",
                "closed_at",
                "updated_at",
            ],
            block,
            {
                "importance": "normal",
                "multi_department": False,
                "consent_publish": False,
                "external_ref": "",
                "subject_person_name": "",
                "sla_override_reason": "",
                "extension_count": 0,
                "redo_count": 0,
                "reported_to_supervisor": False,
                "express_reported_at": None,
            },
        )
        del block
        _flush_dependants(sink, events, identities, pauses, steps, audits)
    # Gap-free numbering continues from here.
    from xiaoneng.complaints.models import ComplaintSequence as Seq

    for year, last in year_counter.items():
        updated = Seq.objects.filter(year=year).update(last=last)
        if not updated:
            Seq.objects.create(year=year, last=last)
    return stats


def _flush_dependants(sink, events, identities, pauses, steps, audits) -> None:
    from xiaoneng.complaints.models import (
        ComplainantIdentity,
        ComplaintEvent,
        ComplaintPause,
        EscalationStep,
    )

    sink.write(
        ComplaintEvent,
        [
            "id",
            "complaint_id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "from_status",
            "to_status",
            "note",
            "data",
            "public",
        ],
        events,
    )
    events.clear()
    sink.write(
        ComplainantIdentity,
        [
            "id",
            "complaint_id",
            "name_enc",
            "phone_enc",
            "id_number_enc",
            "address_enc",
            "phone_index",
            "phone_last4",
        ],
        identities,
    )
    identities.clear()
    sink.write(
        ComplaintPause,
        ["id", "complaint_id", "started_at", "reason"],
        pauses,
        {"ended_at": None, "working_seconds": 0.0},
    )
    pauses.clear()
    sink.write(
        EscalationStep,
        [
            "id",
            "complaint_id",
            "kind",
            "key",
            "level",
            "person_id",
            "at",
            "reason",
            "office_notified",
        ],
        steps,
        {"resolved": False},
    )
    steps.clear()
    sink.write(
        AuditRecord,
        [
            "id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "after",
        ],
        audits,
        {"before": None, "reason": "", "request_id": "", "ip": None},
    )
    audits.clear()
