"""Staff pages of the complaint engine: office queue, unit queue, my cases, registration, the case
page with its actions, identity reveal (audited) and the printable express report (快报).

Reads start from ``selectors`` (out of scope = 404); every write is a ``services`` call. The pages
live in sub-modules (queues, register, case); every name is importable from this package.
"""

from __future__ import annotations

from .case import (
    ACTIONS,
    ACTIONS_BY_SEGMENT,
    EVENT_LABELS,
    SERVICE_BY_SEGMENT,
    STATUS_LABELS,
    SYSTEM_ACTOR_NAME,
    ActionSpec,
    action,
    available_actions,
    detail,
    express,
    identity,
    labelled_timeline,
)
from .queues import (
    COLUMNS,
    DEFAULT_ORDER,
    EXPORT_LIMIT,
    PAGE_SIZE,
    UNIT_TABS,
    Col,
    deadline_info,
    export_xlsx,
    list_queryset,
    mine,
    queue,
    unit_queue,
)
from .register import FIELD_ALIASES, departments, new

__all__ = [
    "ACTIONS",
    "ACTIONS_BY_SEGMENT",
    "ActionSpec",
    "COLUMNS",
    "Col",
    "DEFAULT_ORDER",
    "EVENT_LABELS",
    "EXPORT_LIMIT",
    "FIELD_ALIASES",
    "PAGE_SIZE",
    "SERVICE_BY_SEGMENT",
    "STATUS_LABELS",
    "SYSTEM_ACTOR_NAME",
    "UNIT_TABS",
    "action",
    "available_actions",
    "deadline_info",
    "departments",
    "detail",
    "export_xlsx",
    "express",
    "identity",
    "labelled_timeline",
    "list_queryset",
    "mine",
    "new",
    "queue",
    "unit_queue",
]
