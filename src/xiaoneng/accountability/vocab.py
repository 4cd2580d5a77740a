"""The words of accountability (问责) and the annual assessment (年度考核)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Clue registered")  # 线索登记
    REVIEWING = "reviewing", _("Preliminary check")  # 初核
    FILED = "filed", _("Case filed")  # 立案
    DISMISSED = "dismissed", _("Not filed")  # 不予立案
    INVESTIGATING = "investigating", _("Under investigation")  # 调查
    PROPOSED = "proposed", _("Handling proposed")  # 拟处理意见
    APPROVED = "approved", pgettext_lazy("accountability case", "Approved")  # 审批
    SERVED = "served", _("Decision served")  # 决定送达
    APPEALING = "appealing", _("Under appeal")  # 申诉
    CLOSED = "closed", pgettext_lazy("accountability case", "Closed")  # 结案


OPEN_STATUSES = tuple(s for s in CaseStatus if s not in (CaseStatus.DISMISSED, CaseStatus.CLOSED))
# A decision exists from approval on: it counts for vetoes and the assessment.
DECIDED_STATUSES = (
    CaseStatus.APPROVED,
    CaseStatus.SERVED,
    CaseStatus.APPEALING,
    CaseStatus.CLOSED,
)


class SourceKind(models.TextChoices):
    COMPLAINT = "complaint", _("Verified complaint")  # 投诉属实
    FINDING = "finding", _("Inspection finding")  # 明查暗访发现
    SUPERVISION_ORDER = "supervision_order", _("Overdue supervision order")  # 督办单逾期
    SPOT_CHECK = "spot_check", _("Failed spot check")  # 抽查不到位/虚假整改
    EVALUATION = "evaluation", _("Evaluation consequence")  # 评议结果
    SERVICE_TIME = "service_time", _("Service time violation")  # 限时服务
    MANUAL = "manual", _("Registered by hand")  # 手工登记


class SubjectRole(models.TextChoices):
    """一案双查: the direct responsibility holder and the leaders who answer for the area."""

    DIRECT = "direct", _("Directly responsible")  # 直接责任人
    DEPARTMENT_HEAD = "department_head", _("Department head")  # 部门负责人
    LEADER_IN_CHARGE = "leader_in_charge", _("Leader in charge")  # 分管领导
    PRINCIPAL = "principal", _("Principal leader")  # 主要领导
    OTHER = "other", _("Other")


LEADER_ROLES = (SubjectRole.DEPARTMENT_HEAD, SubjectRole.LEADER_IN_CHARGE, SubjectRole.PRINCIPAL)


class Grade(models.TextChoices):
    """年度考核等次, best first (their order is the cap order)."""

    EXCELLENT = "excellent", _("Excellent")  # 优秀
    GOOD = "good", _("Good")  # 良好
    PASS = "pass", _("Pass")  # 合格
    FAIL = "fail", _("Fail")  # 不合格


GRADE_ORDER = [g.value for g in Grade]


def worse_grade(a: str, b: str) -> str:
    return a if GRADE_ORDER.index(a) >= GRADE_ORDER.index(b) else b


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assessment scheme", "Draft")
    LOCKED = "locked", _("Locked")
    PUBLISHED = "published", pgettext_lazy("assessment scheme", "Published")


class ScoreRule(models.TextChoices):
    RATE = "rate", _("Rate: points in proportion between the floor and the target")
    DEDUCT = "deduct", _("Deduction: points off per occurrence")
    MANUAL = "manual", _("Manual: scored by the office")


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    CONFIRMED = "confirmed", pgettext_lazy("nomination", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("nomination", "Rejected")


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Clue registered")
    REVIEW = "review", _("Preliminary check started")
    FILE = "file", _("Case filed")
    DISMISS = "dismiss", _("Not filed")
    INVESTIGATE = "investigate", _("Investigation started")
    PROPOSE = "propose", _("Handling proposed")
    SEND_BACK = "send_back", _("Sent back for more investigation")
    APPROVE = "approve", _("Decision approved")
    SERVE = "serve", _("Decision served")
    APPEAL = "appeal", _("Appeal recorded")
    CLOSE = "close", _("Case closed")
    SUBJECT_ADDED = "subject_added", _("Person added")
    SUBJECT_REMOVED = "subject_removed", _("Person removed")
    STEP_OVERDUE = "step_overdue", _("Step past its time limit")
