"""The bridge to the rectification ledger (问题清单/整改台账), built by another app in parallel.

Every "有问题" answer becomes a ledger issue with source ``self_inspection`` in the same
transaction as the answer (PRODUCT.md capability 4). The call goes to
``xiaoneng.rectification.services.issue_create``; only the keyword arguments that service
accepts are passed, so small differences in its signature do not break this app. When the
rectification app is not installed the answer is kept with ``issue_id = None`` and the daily
sweep opens the missing issues once it is (``link_pending``).
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from django.apps import apps

log = logging.getLogger(__name__)

SOURCE = "self_inspection"


def available() -> bool:
    if not apps.is_installed("xiaoneng.rectification"):
        return False
    try:
        from xiaoneng.rectification import services  # type: ignore[import-not-found]
    except ImportError:
        return False
    return hasattr(services, "issue_create")


def _issue_service():
    from xiaoneng.rectification import services  # type: ignore[import-not-found]

    return services.issue_create


def _call(func, values: dict[str, Any]):
    params = inspect.signature(func).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return func(**values)
    return func(**{k: v for k, v in values.items() if k in params})


def open_issue(answer, *, actor) -> int | None:
    """Open the ledger issue for a "problem" answer; returns its id (None: ledger not installed)."""
    if not available():
        log.warning("rectification app not installed: issue for answer %s deferred", answer.pk)
        return None
    assignment = answer.assignment
    item = answer.item
    who = assignment.person.name if assignment.person_id else assignment.unit.name
    title = f"【{assignment.template.name}】{item.title}"
    description = f"{answer.description}\n\n自查项目：{item.text}\n自查对象：{who}"
    files = list(answer.files.all())
    # Users who may record issues do so in their own name; anyone else (a staff member answering
    # a personal checklist) is recorded as the finder of a system-created issue.
    may_record = actor is not None and actor.has_permission("rectification.manage")
    values = {
        "actor": actor if may_record else None,
        "found_by": actor,
        "unit": assignment.unit,
        "source": SOURCE,
        "title": title[:200],
        "description": description,
        "files": files,
        "people": [assignment.person] if assignment.person_id else [],
        "campaign_id": assignment.campaign_id,
        "source_ref": f"selfcheck.answer:{answer.pk}",
    }
    issue = _call(_issue_service(), values)
    return getattr(issue, "pk", issue)
