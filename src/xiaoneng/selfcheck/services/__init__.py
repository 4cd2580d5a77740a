"""Writes of the self-inspection app. Every function: keyword-only, atomic, validated, audited.

Who may do what (until dedicated permission codes exist, see the app's report):
- ``campaign.manage`` (the office) configures checklist templates, learning requirements and
  recurring-activity definitions, assigns checklists and reviews commitments;
- ``campaign.submit`` (unit admins) records for units in their data scope: checklist answers,
  self-inspection material, commitments, learning records and group sessions, activity
  occurrences and institution rules; they may also hand personal checklists to their people
  and review their people's commitments;
- every person answers their own personal checklists and records their own learning;
- a "problem" answer opens a ledger issue, which needs ``rectification.manage`` unless the
  person answers their own personal checklist.
"""

from __future__ import annotations

from .activities import activity_create, activity_record_create  # noqa: F401
from .checklists import (  # noqa: F401
    assignment_answer,
    assignment_attach_material,
    assignment_create,
    assignments_create,
    can_answer,
    template_create,
    template_update,
)
from .commitments import can_review, commitment_create, commitment_review  # noqa: F401
from .common import can_record_for  # noqa: F401
from .learning import (  # noqa: F401
    group_session_record,
    learning_record_create,
    requirement_create,
)
from .rules import RULE_FIELDS, rule_create, rule_review, rule_update  # noqa: F401
