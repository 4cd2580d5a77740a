"""Words for the codes people see: audit actions, timeline events, model field names.

Audit records and timelines store short ASCII codes ("sign", "overdue_reminder"); every page
that shows one goes through :func:`action_label` so a Chinese page never shows a raw code.
The codes are plain strings shared by the apps (core imports no app): an app that records a
new action adds its word here. Words for the same English verb that mean different things in
Chinese carry a message context (``pgettext``).
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS = {
    # generic record keeping
    "create": pgettext_lazy("audit action", "Created"),
    "update": pgettext_lazy("audit action", "Updated"),
    "delete": pgettext_lazy("audit action", "Deleted"),
    "import": pgettext_lazy("audit action", "Imported"),
    "view_sensitive": _("Viewed complainant information"),
    "password_change": _("Password changed"),
    "notification_preferences": _("Notification preferences changed"),
    "notification_retry": _("Notification sent again"),
    "revoke": pgettext_lazy("audit action", "Revoked"),
    "publish": pgettext_lazy("audit action", "Published"),
    "unpublish": pgettext_lazy("audit action", "Withdrawn from publication"),
    "open311_submit": _("Received through the Open311 interface"),
    # complaints
    "register": pgettext_lazy("audit action", "Registered"),
    "registered": pgettext_lazy("audit action", "Registered"),
    "accept": pgettext_lazy("audit action", "Accepted"),
    "dispatch": pgettext_lazy("audit action", "Dispatched"),
    "reject": pgettext_lazy("audit action", "Rejected"),
    "sign": pgettext_lazy("audit action", "Signed for"),
    "send_back": pgettext_lazy("audit action", "Sent back"),
    "assign": pgettext_lazy("audit action", "Handler assigned"),
    "reply": pgettext_lazy("audit action", "Replied"),
    "pause": pgettext_lazy("audit action", "Clock paused"),
    "resume": pgettext_lazy("audit action", "Clock resumed"),
    "request_extension": pgettext_lazy("audit action", "Extension requested"),
    "decide_extension": pgettext_lazy("audit action", "Extension decided"),
    "verify": pgettext_lazy("audit action", "Verified"),
    "return_visit": pgettext_lazy("audit action", "Return visit made"),
    "close": pgettext_lazy("audit action", "Closed"),
    "reopen": pgettext_lazy("audit action", "Reopened"),
    "redo": pgettext_lazy("audit action", "Sent for redo"),
    "escalate": pgettext_lazy("audit action", "Escalated"),
    "mark_important": pgettext_lazy("audit action", "Marked as important"),
    "merge": _("Merged into another case"),
    "merge_in": _("Duplicate merged into this case"),
    "dismiss_duplicate": _("Duplicate suggestion dismissed"),
    "urge": pgettext_lazy("audit action", "Urged"),
    # the escalation ladder (complaints.EscalationStep.Kind)
    "ladder": _("Escalated on the ladder"),
    "sign_reminder": _("Sign-for reminder"),
    "sign_escalation": _("Not signed for: escalated to the principal leader"),
    "overdue_reminder": _("Overdue reminder (催办)"),
    "written_criticism": _("Written criticism proposed"),
    "manual": _("Escalated by hand"),
    # rectification ledger
    "start": pgettext_lazy("audit action", "Progress reported"),
    "progress": pgettext_lazy("audit action", "Progress reported"),
    "request_close": pgettext_lazy("audit action", "Close-out requested"),
    "milestone": pgettext_lazy("audit action", "Milestone completed"),
    "spot_check_result": _("Spot check result recorded"),
    # campaigns
    "submit": pgettext_lazy("audit action", "Submitted"),
    "submit_late": pgettext_lazy("audit action", "Submitted late"),
    "return": pgettext_lazy("audit action", "Returned for revision"),
    # self-inspection
    "complete": pgettext_lazy("audit action", "Completed"),
    "review": pgettext_lazy("audit action", "Reviewed"),
    "attach_material": _("Material attached"),
    # inspections, evaluations, accountability
    "draw": _("Random draw made"),
    "record": pgettext_lazy("audit action", "Recorded"),
    "lookback": _("Look-back check recorded"),
    "open": pgettext_lazy("audit action", "Opened"),
    "confirm": pgettext_lazy("audit action", "Confirmed"),
    "dismiss": pgettext_lazy("audit action", "Dismissed"),
    "grade": pgettext_lazy("audit action", "Graded"),
    "ballot_links": _("Ballot links issued"),
    "refresh_figures": _("Figures refreshed"),
    "transition": _("Case moved to its next step"),
    "subject_add": _("Person examined added"),
    "subject_update": _("Finding or measure recorded"),
    "subject_remove": _("Person examined removed"),
    "compute": _("Scores computed"),
    "adjust": _("Score adjusted"),
    "indicator_save": _("Indicator changed"),
    "lock": pgettext_lazy("audit action", "Locked"),
    "unlock": pgettext_lazy("audit action", "Unlocked"),
    "override": _("Confirmed despite a veto"),
    # service time limits
    "recompute": _("Compliance recomputed"),
}


def action_label(code: str) -> str:
    """The word for an action code; an unknown code is shown as 其他操作 (never the raw code)."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else str(_("Other action"))


# Fields models declare without a verbose name of their own.
COMMON_FIELDS = {
    "id": _("ID"),
    "created_at": _("Created at"),
    "created_by": _("Created by"),
    "updated_at": _("Updated at"),
    "updated_by": _("Updated by"),
    "reviewed_by": _("Reviewed by"),
    "reviewed_at": _("Reviewed at"),
    "at": _("Time"),
    "actor": _("Actor"),
    "user": _("User"),
    "person": _("Person"),
    "complaint": _("Complaint"),
    "item": _("Rectification item"),
    "year": _("Year"),
    "kind": _("Type"),
    "level": _("Level"),
    "reason": _("Reason"),
    "from_status": _("Status before"),
    "to_status": _("Status after"),
    "requested_by": _("Requested by"),
    "requested_at": _("Requested at"),
    "decided_by": _("Decided by"),
    "decided_at": _("Decided at"),
    "approved": _("Approved"),
    "decision_reason": _("Reason for the decision"),
    "uploaded_by": _("Uploaded by"),
    "answered_by": _("Answered by"),
    "submitted_by": _("Submitted by"),
    "reported_by": _("Reported by"),
    "checked_by": _("Checked by"),
    "author": _("Author"),
}


def field_label(object_type: str, field: str) -> str:
    """A model field's verbose name ("complaints.complaint", "resolve_by" → 办结时限)."""
    base = field.removesuffix("_id")
    if field in COMMON_FIELDS or base in COMMON_FIELDS:
        return str(COMMON_FIELDS.get(field) or COMMON_FIELDS[base])
    try:
        model = apps.get_model(object_type)
        return str(model._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return str(ACTION_LABELS.get(field, "")) or field


def value_label(object_type: str, field: str, value):
    """A stored choice code as its label (status "pending" → 待处理); other values unchanged."""
    if not isinstance(value, str):
        return value
    try:
        model = apps.get_model(object_type)
        choices = dict(model._meta.get_field(field).flatchoices)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return value
    return str(choices.get(value, value))


def object_label(object_type: str) -> str:
    """A model's name for an audit record's object type ("complaints.complaint" → 投诉)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
