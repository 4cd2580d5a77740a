"""What the self-inspection services share: who may record for a unit, now, files, the create audit."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import Person, StoredFile, Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import require_permission, require_writable

# --- helpers ---------------------------------------------------------------------------------------


def _manage(actor: User | None) -> None:
    require_permission(actor, "campaign.manage")
    require_writable(actor)


def can_record_for(actor: User | None, unit: Unit) -> bool:
    return bool(
        actor is not None
        and actor.has_permission("campaign.submit")
        and scope_for(actor).contains_unit(unit)
    )


def _record_for(actor: User | None, unit: Unit) -> None:
    if not can_record_for(actor, unit):
        raise Forbidden(_("You may only record for units in your data scope."))
    require_writable(actor)


def _is_self(actor: User | None, person: Person | None) -> bool:
    return bool(actor is not None and person is not None and actor.person_id == person.pk)


def _now():
    return clock.now()


def _files(files: Iterable[StoredFile] | None) -> list[StoredFile]:
    return list(files or [])


def _created(obj, actor) -> None:
    audit.record("create", obj, after=audit.snapshot(obj), actor=actor)
