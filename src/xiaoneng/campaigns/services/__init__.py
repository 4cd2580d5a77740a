"""Writes of the campaigns app. Each service is keyword-only, atomic, checks the permission
(``campaign.manage`` for the office, ``campaign.submit`` for units, inside their data scope),
writes, audits, and queues notifications through the outbox.

Sources: PRODUCT.md capabilities 1–3; seeds 000/001/002/003 for the templates.
"""

from __future__ import annotations

from .campaigns import (  # noqa: F401
    _check_dates,
    _match_units,
    _split_names,
    _transition_campaign,
    campaign_close,
    campaign_create,
    campaign_create_from_template,
    campaign_start,
    default_units,
)
from .common import _date, _invalid, _link, _manage, _today, rolled  # noqa: F401
from .key_tasks import key_task_create, key_task_report  # noqa: F401
from .setup import (  # noqa: F401
    CAMPAIGN_FIELDS,
    campaign_update,
    group_member_add,
    group_member_remove,
    group_save,
    key_task_update,
    phase_add,
    phase_delete,
    phase_move,
    phase_update,
    requirement_update,
)
from .submissions import (  # noqa: F401
    _may_submit_for,
    due_dates,
    remind,
    requirement_create,
    submission_accept,
    submission_return,
    submission_submit,
    submissions_urge,
)
from .targets import (  # noqa: F401
    TARGET_FIELDS,
    _apply_standard,
    _methods,
    measurement_record,
    target_create,
    target_update,
)
