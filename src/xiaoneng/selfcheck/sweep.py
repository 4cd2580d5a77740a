"""The daily self-inspection sweep: in-app reminders, each sent once (dedup keys).

- 五个一: a unit that has no record of an activity for the last completed period (last month /
  last quarter) → its unit admins (campaign.submit in that unit);
- 建章立制: a rule whose next review is within ``REVIEW_NOTICE_DAYS`` or past → the rule's
  owner and the unit admins;
- 自查: an open checklist past its due date → the person it is assigned to, or the unit admins;
- ledger: "problem" answers recorded while the rectification app was absent get their issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.core.notify import notify
from xiaoneng.core.services.base import unit_admins, user_of

from . import ledger, selectors
from .models import ChecklistAnswer

REVIEW_NOTICE_DAYS = 14


@dataclass
class SweepResult:
    missing: int = 0
    reviews: int = 0
    overdue: int = 0
    issues: int = 0
    queued: int = 0
    details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"missing activities {self.missing}, rules due for review {self.reviews}, "
            f"overdue checklists {self.overdue}, issues opened {self.issues}, "
            f"notifications queued {self.queued}"
        )


def _link(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def link_pending(result: SweepResult) -> None:
    """Problem answers without their ledger issue (recorded before the link existed) get one."""
    pending = ChecklistAnswer.objects.filter(
        result=ChecklistAnswer.Result.PROBLEM, issue_id__isnull=True
    ).select_related("assignment__template", "assignment__unit", "assignment__person", "item")
    for answer in pending:
        with transaction.atomic():
            answer.issue = ledger.open_issue(answer, actor=answer.answered_by)
            answer.save(update_fields=["issue"])
            result.issues += 1


def sweep(now=None) -> SweepResult:
    now = now or clock.now()
    day = timezone.localdate(now)
    result = SweepResult()
    with clock.frozen_now(now):
        for m in selectors.missing_occurrences(as_of=day):
            result.missing += 1
            result.queued += notify(
                event="selfcheck.activity_missing",
                dedup_key=f"selfcheck:activity:{m.activity.pk}:{m.unit.pk}:{m.period}",
                recipients=unit_admins(m.unit, permission="campaign.submit"),
                subject=f"【五个一】{m.unit.name} 未记录 {m.period}「{m.activity.name}」",
                body=f"请补充登记 {m.period} 的「{m.activity.name}」开展情况。",
                link=_link("selfcheck:activities"),
            )
        for rule in selectors.rules_due_for_review(on=day, within_days=REVIEW_NOTICE_DAYS):
            result.reviews += 1
            recipients = unit_admins(rule.unit, permission="campaign.submit") + [
                u for u in [user_of(rule.owner)] if u
            ]
            result.queued += notify(
                event="selfcheck.rule_review",
                dedup_key=f"selfcheck:rule-review:{rule.pk}:{rule.next_review_on.isoformat()}",
                recipients=recipients,
                subject=f"【建章立制】{rule.unit.name}「{rule.name}」应于 {rule.next_review_on} 前复审",
                body="请复审该制度并登记下次复审日期。",
                link=_link("selfcheck:register"),
            )
        for assignment in selectors.overdue_assignments(on=day).select_related(
            "template", "unit", "person"
        ):
            result.overdue += 1
            person_user = user_of(assignment.person)
            recipients = (
                [person_user]
                if person_user
                else unit_admins(assignment.unit, permission="campaign.submit")
            )
            result.queued += notify(
                event="selfcheck.checklist_overdue",
                dedup_key=f"selfcheck:checklist-overdue:{assignment.pk}",
                recipients=recipients,
                subject=f"【自查】「{assignment.template.name}」已超期（应于 {assignment.due_on} 前完成）",
                body="请尽快完成自查并提交。",
                link=_link("selfcheck:mine"),
            )
        link_pending(result)
    return result
