"""Writes of the service time limits: standards and overrides, log sources, imports (a job),
and the office's decision on a ledger proposal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.models import Job, Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import apply_changes, fail, full_clean, require, transition
from xiaoneng.rectification.models import Issue
from xiaoneng.rectification.services import issue_create

from . import engine, ingest
from .models import LedgerProposal, LogImport, LogSource, ServiceStandard, StandardOverride
from .vocab import IMPORT_KIND, MANAGE
from .workflow import PROPOSAL

STANDARD_FIELDS = {
    "name",
    "start_event",
    "end_event",
    "limit_minutes",
    "calendar_kind",
    "threshold_percent",
    "missing_end",
    "source_quote",
    "is_active",
    "order",
}


@transaction.atomic
def standard_update(*, actor: User, standard: ServiceStandard, **changes: Any) -> ServiceStandard:
    """The office edits a standard (rules as data); results follow at the next recompute."""
    require(actor, MANAGE)
    before = audit.snapshot(standard)
    changed = apply_changes(standard, changes, allowed=STANDARD_FIELDS)
    if changed:
        full_clean(standard)
        standard.save(update_fields=changed)
        b, a = audit.diff(before, audit.snapshot(standard))
        audit.record("update", standard, before=b, after=a, actor=actor)
    return standard


@transaction.atomic
def override_set(
    *,
    actor: User,
    standard: ServiceStandard,
    unit: Unit,
    limit_minutes: int | None = None,
    threshold_percent=None,
    is_active: bool = True,
) -> StandardOverride:
    """A unit's own limit or threshold for a standard (the office decides it)."""
    require(actor, MANAGE)
    if not scope_for(actor).contains_unit(unit):
        fail({"unit": [_("This unit is outside your data scope.")]})
    obj, created = StandardOverride.objects.get_or_create(standard=standard, unit=unit)
    before = {} if created else audit.snapshot(obj)
    obj.limit_minutes = limit_minutes
    obj.threshold_percent = threshold_percent
    obj.is_active = is_active
    full_clean(obj)
    obj.save()
    b, a = audit.diff(before, audit.snapshot(obj))
    audit.record("create" if created else "update", obj, before=b, after=a, actor=actor)
    return obj


def _clean_mapping(mapping: dict, errors: dict[str, list[str]]) -> dict[str, str]:
    clean = {}
    for key in LogSource.FIELDS:
        value = str(mapping.get(key) or "").strip()[:100]
        if key in LogSource.REQUIRED and not value:
            errors.setdefault("mapping", []).append(
                _("Name the column of %(field)s.") % {"field": key}
            )
        if value:
            clean[key] = value
    return clean


@transaction.atomic
def source_save(
    *, actor: User, code: str, name: str, mapping: dict, source: LogSource | None = None
) -> LogSource:
    """Create or update a source system and its column mapping."""
    require(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    clean = _clean_mapping(mapping or {}, errors)
    fail(errors)
    before = audit.snapshot(source) if source else {}
    obj = source or LogSource()
    obj.code, obj.name, obj.mapping = code.strip(), name.strip(), clean
    full_clean(obj, validate_unique=True)
    obj.save()
    b, a = audit.diff(before, audit.snapshot(obj))
    audit.record("update" if source else "create", obj, before=b, after=a, actor=actor)
    return obj


@transaction.atomic
def import_start(
    *,
    actor: User,
    source: LogSource,
    name: str,
    data: bytes | None = None,
    kept: ingest.Kept | None = None,
    idempotency_key: str = "",
) -> LogImport:
    """Queue the import of one log file (checked by content first, or already kept by
    ``ingest.keep_upload`` for the mapping step); the job shows progress."""
    require(actor, MANAGE)
    if kept is None:
        kept = ingest.keep_upload(data or b"", name)
    kind, path, digest = kept.kind, kept.path, kept.sha256
    job = Job.objects.create(
        kind=IMPORT_KIND,
        params={"source": source.code}
        | ({"idempotency_key": idempotency_key} if idempotency_key else {}),
        created_by=actor,
        created_at=clock.now(),
    )
    record = LogImport.objects.create(
        source=source,
        job=job,
        file_name=name[:200],
        file_path=path,
        file_kind=kind,
        sha256=digest,
        created_by=actor,
        created_at=clock.now(),
    )
    audit.record("create", record, after={"file": name, "source": source.code}, actor=actor)
    from .tasks import run_import_job

    transaction.on_commit(lambda: run_import_job(job.pk))
    return record


@transaction.atomic
def recompute_all(*, actor: User) -> dict[str, int]:
    """Recompute every result (after the office changed standards or overrides)."""
    require(actor, MANAGE)
    figures = engine.recompute(None)
    for standard in ServiceStandard.objects.filter(is_active=True):
        audit.record("recompute", standard, after=figures, actor=actor)
    return figures


def _issue_text(proposal: LedgerProposal) -> tuple[str, str]:
    """The issue's title and description: the figures and a sample of the worst cases, read
    from the event store when the office confirms (one unit-month; nothing is stored)."""
    r = proposal.result
    month = r.month.strftime("%Y年%m月")
    title = f"【限时服务】{r.standard.name}达标率{r.rate}%低于{r.threshold_percent}%（{month}）"
    lines = [
        f"标准：{r.standard.name}（时限{r.limit_minutes}分钟）",
        f"统计月份：{month}",
        f"病例数{r.cases}，达标{r.compliant}，达标率{r.rate}%，阈值{r.threshold_percent}%；"
        f"缺少结束事件{r.missing_end}例。",
        "超时病例（样本）：",
    ]
    for case in engine.worst_cases(r, limit=5):
        took = (
            f"{round(case['seconds'] / 60, 1)}分钟"
            if case.get("seconds") is not None
            else "无结束事件"
        )
        lines.append(f"  就诊号{case['encounter']}：{case['start']} 起，{took}")
    return title[:200], "\n".join(lines)


@transaction.atomic
def proposal_confirm(*, actor: User, proposal: LedgerProposal) -> Issue:
    """The office confirms a proposal: a ledger issue (source 限时服务) with figures and cases."""
    require(actor, MANAGE)
    title, description = _issue_text(proposal)
    issue = issue_create(
        actor=actor,
        unit=proposal.unit,
        source="service_time",
        title=title,
        description=description,
        source_ref=f"servicetimes.proposal:{proposal.pk}",
    )
    transition(
        PROPOSAL,
        proposal,
        "confirm",
        actor=actor,
        issue=issue,
        decided_by=actor,
        decided_at=clock.now(),
    )
    return issue


@transaction.atomic
def proposal_dismiss(*, actor: User, proposal: LedgerProposal, reason: str = "") -> LedgerProposal:
    require(actor, MANAGE)
    if not reason.strip():
        raise ValidationFailed(_("Give a reason."), errors={"reason": [_("Give a reason.")]})
    transition(
        PROPOSAL,
        proposal,
        "dismiss",
        actor=actor,
        reason=reason,
        decided_by=actor,
        decided_at=clock.now(),
    )
    return proposal


def local_month(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m")
