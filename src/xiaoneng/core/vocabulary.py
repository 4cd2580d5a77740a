"""Words for the codes people see: audit actions, timeline events, model field names.

Audit records and timelines store short ASCII codes ("sign", "overdue_reminder"); every page
that shows one goes through :func:`action_label` so a Chinese page never shows a raw code.
The codes are plain strings shared by the apps (core imports no app): an app that records a
new action adds its word here. Words for the same English verb that mean different things in
Chinese carry a message context (``pgettext``).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
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
    # campaign set-up, social supervisors
    "reorder": _("Phases reordered"),
    "end": _("Appointment ended"),
    "reappoint": _("Re-appointed"),
    "to_complaint": _("Turned into a complaint"),
    "to_issue": _("Entered in the ledger"),
    "note": _("Noted with an answer"),
    # openness (院务公开), party (创先争优)
    "approve": pgettext_lazy("audit action", "Approved"),
    "revise": pgettext_lazy("audit action", "Reopened for revision"),
    "evaluate_self": _("Self-evaluation recorded"),
    "evaluate_department": _("Department evaluation recorded"),
    "evaluate_unit": _("Unit evaluation recorded"),
    "tokens_revoke_all": _("All API tokens revoked"),
    # the steps of an accountability case (accountability.workflow), stored as "action"
    "file": pgettext_lazy("audit action", "Case filed"),
    "investigate": pgettext_lazy("audit action", "Investigation started"),
    "propose": pgettext_lazy("audit action", "Handling proposed"),
    "serve": pgettext_lazy("audit action", "Decision served"),
    "appeal": pgettext_lazy("audit action", "Appeal recorded"),
    # official documents
    "sign_off": _("Signed off and issued"),
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


# Keys audit records store next to a model's fields (counts, computed lists, JSON parts) and
# fields declared without a verbose name: used when the model (or a related one) has no word.
EXTRA_FIELDS = {
    "action": _("Step"),
    "nominated_by": _("Nominated by"),
    "issued_by": _("Issued by"),
    "closed_by": _("Closed by"),
    "self_at": _("Self-evaluated at"),
    "department_by": _("Department evaluation by"),
    "department_at": _("Department evaluation at"),
    "unit_by": _("Unit evaluation by"),
    "unit_at": _("Unit evaluation at"),
    "due_dates": _("Due dates"),
    "position": _("Order"),
    "position_order": _("Order"),
    "sort_order": _("Order"),
    "status_before_pause": _("Status before the pause"),
    "proposed": _("Consequences proposed"),
    "group": _("Group"),
    "count": _("Count"),
    "revoked": _("Revoked"),
    "sample": _("Sample"),
    "blocking": _("Blocking"),
    "text": _("Text"),
    "findings": _("Findings"),
    "by_severity": _("By severity"),
    "units": pgettext_lazy("audit field", "Units"),
    "unit": _("Unit"),
    "note": _("Note"),
    "result": _("Result"),
    "case": _("Accountability case"),
    "subjects": _("People examined"),
    "step_reminded_at": _("Step reminder sent at"),
    "last_reminder": _("Last reminder"),
    "spot_check": _("Spot check"),
    "inspectors": _("Inspectors"),
    "attendees": _("Attendees"),
    "depth": _("Depth in the tree"),
    "path": _("Position in the tree"),
}

# Codes stored inside JSON values (no model field declares them as choices).
VALUE_WORDS = {
    "veto": _("Veto"),
    "open_case": _("Open accountability case"),
    "assessment": _("Annual assessment"),
}


def register_value_words(words: dict) -> None:
    """Codes an app stores without a choices field (a registry's keys) named for the audit log;
    called from the app's ``AppConfig.ready``."""
    VALUE_WORDS.update(words)


# Source references stored as "<kind>:<id>" (rectification.Issue.source_ref).
CODE = re.compile(r"[a-z][a-z0-9_]*")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
SOURCE_REF = re.compile(r"^([a-z_]+\.[a-z_]+):(\d+)$")
SOURCE_REFS = {
    "inspection.finding": _("Inspection finding"),
    "selfcheck.answer": _("Self-inspection answer"),
}


def _own_field(model, name: str):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        try:  # "unit_id" → unit
            field = model._meta.get_field(name.removesuffix("_id"))
        except FieldDoesNotExist:
            return None
    return None if field.auto_created and not field.concrete else field


@lru_cache(maxsize=2048)
def model_field(object_type: str, name: str):
    """The field an audit record's key names: on the record's model, else on a model whose rows
    point at it (a case's subjects, an item's spot check results), the first that has it."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    field = _own_field(model, name)
    if field is not None:
        return field
    for rel in model._meta.related_objects:  # the rows that point at it (a case's subjects)
        related = rel.related_model
        if related is model or not isinstance(related, type):
            continue
        if not related.__module__.startswith("xiaoneng."):
            continue
        field = _own_field(related, name)
        if field is not None:
            return field
    return None


def _has_own_name(field) -> bool:
    # Django names a field without verbose_name after itself ("nominated_by" → "nominated by").
    return str(field.verbose_name) != field.name.replace("_", " ")


def field_label(object_type: str, field: str) -> str:
    """A model field's verbose name ("complaints.complaint", "resolve_by" → 办结时限)."""
    base = field.removesuffix("_id")
    if field in COMMON_FIELDS or base in COMMON_FIELDS:
        return str(COMMON_FIELDS.get(field) or COMMON_FIELDS[base])
    found = model_field(object_type, field)
    if found is not None and _has_own_name(found):
        return str(found.verbose_name)
    if field in EXTRA_FIELDS or base in EXTRA_FIELDS:
        return str(EXTRA_FIELDS.get(field) or EXTRA_FIELDS[base])
    if found is not None:
        return str(found.verbose_name)
    return str(ACTION_LABELS.get(field, "")) or code_label(object_type, field) or field


@lru_cache(maxsize=64)
def _codes(app_label: str) -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("xiaoneng."):
            continue
        if app_label and model._meta.app_label != app_label:
            continue
        for f in model._meta.get_fields():
            for value, label in getattr(f, "flatchoices", None) or []:
                if isinstance(value, str) and value:
                    labels.setdefault(value, label)
    # Choices kept in JSON lists have no field (campaigns.EvaluationMethod): their classes.
    prefix = f"xiaoneng.{app_label}." if app_label else "xiaoneng."
    for choices in _subclasses(models.Choices):
        if choices.__module__.startswith(prefix):
            for value, label in choices.choices:
                if isinstance(value, str) and value:
                    labels.setdefault(value, label)
    return labels


def _subclasses(cls: type[models.Choices]) -> list[type[models.Choices]]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def code_label(object_type: str, code: str) -> str | None:
    """The label of a stored choice code found inside a JSON value, where no field says which
    choices it is: the record's own app's models first (a bulletin's "serious" is a finding's
    较重), then every model of the project."""
    app_label = object_type.partition(".")[0]
    label = _codes(app_label).get(code) or _codes("").get(code)
    return None if label is None else str(label)


def value_label(object_type: str, field: str, value):
    """A stored choice code as its label (status "pending" → 待处理); other values unchanged."""
    if not isinstance(value, str):
        return value
    if field == "action" and value in ACTION_LABELS:
        return str(ACTION_LABELS[value])
    found = model_field(object_type, field)
    choices = dict(found.flatchoices) if found is not None and found.flatchoices else {}
    if value in choices:
        return str(choices[value])
    ref = SOURCE_REF.match(value)
    if ref and ref.group(1) in SOURCE_REFS:
        return f"{SOURCE_REFS[ref.group(1)]} #{ref.group(2)}"
    if value in VALUE_WORDS:
        return str(VALUE_WORDS[value])
    if CODE.fullmatch(value):  # a code in a JSON list ("methods": ["material"]): this app's word
        label = _codes(object_type.partition(".")[0]).get(value)
        if label is not None:
            return str(label)
    return value


def related_model(object_type: str, field: str):
    """The model a key's stored id points at (a foreign key of the record's model), or None."""
    found = model_field(object_type, field)
    if found is None or not (found.many_to_one or found.one_to_one):
        return None
    return found.related_model


def object_names(pairs) -> dict[tuple[type[models.Model], int], str]:
    """Names for (model, id) pairs: one query per model, so a page of audit records shows
    "单位: 青山县人民医院" rather than "单位: 2"."""
    wanted: dict[type[models.Model], set[int]] = {}
    for model, pk in pairs:
        wanted.setdefault(model, set()).add(pk)
    names: dict[tuple[type[models.Model], int], str] = {}
    for model, ids in wanted.items():
        qs = model._default_manager.filter(pk__in=ids)
        if any(f.name == "person" and f.is_relation for f in model._meta.get_fields()):
            qs = qs.select_related("person")
        for obj in qs:
            names[(model, obj.pk)] = str(getattr(obj, "display_name", None) or obj)
    return names


def display_value(object_type: str, field: str, value, names: dict | None = None) -> str:
    """A stored value as people read it: choice codes as their labels, yes/no, ids of linked
    rows as their names (``names`` from :func:`object_names`), and the parts of JSON values
    (dicts, lists) with their keys named — never a raw code or a JSON dump."""
    if value is None or value == "":
        return "—"
    if names and isinstance(value, int) and not isinstance(value, bool):
        model = related_model(object_type, field)
        if model is not None and (model, value) in names:
            return names[(model, value)]
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict):
        return "；".join(
            f"{_key_label(object_type, k)}：{display_value(object_type, k, v, names)}"
            for k, v in value.items()
        )
    if isinstance(value, list):
        joiner = " / " if any(isinstance(v, dict) for v in value) else "、"
        return joiner.join(display_value(object_type, field, v, names) for v in value)
    if isinstance(value, str) and INSTANT.match(value):
        return _local_instant(value)
    return str(value_label(object_type, field, value))


def _local_instant(value: str) -> str:
    """A stored ISO instant ("2026-12-02T12:42:38.07+00:00") as local time to the minute."""
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(at):
        at = timezone.localtime(at)
    return at.strftime("%Y-%m-%d %H:%M")


def _key_label(object_type: str, key: str) -> str:
    if key in EXTRA_FIELDS:  # a part of a JSON value: its own word, not a namesake field's
        return str(EXTRA_FIELDS[key])
    if model_field(object_type, key) is not None or key in COMMON_FIELDS:
        return field_label(object_type, key)
    return code_label(object_type, key) or str(
        VALUE_WORDS.get(key) or field_label(object_type, key)
    )


def object_label(object_type: str) -> str:
    """A model's name for an audit record's object type ("complaints.complaint" → 投诉)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
