"""Scale data for complaints (the ``gen-scale`` hook; see ``core.scale``): complaints in every
state with their deadlines (the working-day calendar and the seeded ``SlaPolicy`` rules),
timelines, protected identities, pauses, escalation steps consistent with the SLA sweep as of
``now``, and audit records. Identities are encrypted once per distinct value and reused."""

from __future__ import annotations

from xiaoneng.core import scale

from ..models import ComplainantIdentity, Complaint, ComplaintEvent, EscalationStep
from .plan import PATHS, TARGET, tracking_code
from .rows import generate_complaints

__all__ = ["PATHS", "TARGET", "generate_complaints", "tracking_code"]


def _tables() -> list[str]:
    return [
        m._meta.db_table for m in (Complaint, ComplaintEvent, ComplainantIdentity, EscalationStep)
    ]


scale.step(key="complaints", count="complaints", label="complaints", order=10, tables=_tables)(
    generate_complaints
)
