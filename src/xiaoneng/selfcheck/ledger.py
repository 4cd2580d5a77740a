"""The bridge to the rectification ledger (问题清单/整改台账).

Every "有问题" answer becomes a ledger issue with source ``self_inspection`` in the same
transaction as the answer (PRODUCT.md capability 4), through the ledger's own service
``rectification.services.issue_create`` — the one way another app opens a ledger issue.
"""

from __future__ import annotations

from xiaoneng.rectification.models import Issue
from xiaoneng.rectification.services import issue_create

SOURCE = "self_inspection"


def open_issue(answer, *, actor) -> Issue:
    """Open the ledger issue for a "problem" answer."""
    assignment = answer.assignment
    item = answer.item
    who = assignment.person.name if assignment.person_id else assignment.unit.name
    title = f"【{assignment.template.name}】{item.title}"
    description = f"{answer.description}\n\n自查项目：{item.text}\n自查对象：{who}"
    # Users who may record issues do so in their own name; anyone else (a staff member answering
    # a personal checklist) is recorded as the finder of a system-created issue.
    may_record = actor is not None and actor.has_permission("rectification.manage")
    return issue_create(
        actor=actor if may_record else None,
        found_by=actor,
        unit=assignment.unit,
        source=SOURCE,
        title=title[:200],
        description=description,
        files=list(answer.files.all()),
        people=[assignment.person] if assignment.person_id else [],
        campaign=assignment.campaign,
        source_ref=f"selfcheck.answer:{answer.pk}",
    )
