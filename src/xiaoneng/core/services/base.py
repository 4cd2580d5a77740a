"""Helpers every service uses: permission checks, validation failures, who acted, who to tell,
and state transitions with their audit record. Apps use these instead of writing their own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .. import audit
from ..errors import Forbidden, ValidationFailed
from ..models import Department, Person, Role, Unit, User
from ..workflow import StateMachine


def require_permission(actor, code: str) -> None:
    if actor is None or not actor.has_permission(code):
        raise Forbidden(_("You do not have permission to do this."))


def require_writable(actor) -> None:
    if actor is None or actor.is_superuser:
        return
    # The roles the permission check read (one query per user object, not one more here).
    roles = actor.role_list() if hasattr(actor, "role_list") else actor.roles.all()
    if all(r.read_only for r in roles):
        raise Forbidden(_("Your role is read-only."))


def require(actor, code: str) -> None:
    """The actor holds ``code`` and a role that may write (a read-only role may not)."""
    require_permission(actor, code)
    require_writable(actor)


def fail(errors: dict[str, list[str]]) -> None:
    """Raise the collected field errors at once (nothing to raise when there are none)."""
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors=errors)


def check_department(
    unit: Unit | None,
    department: Department | None,
    errors: dict[str, list[str]],
    field: str = "department",
) -> None:
    """The one "department belongs to the unit" rule (services only: forms and API serializers
    leave it to the service, whose error lands on the field)."""
    if unit is not None and department is not None and department.unit_id != unit.pk:
        errors[field] = [_("This department does not belong to the unit.")]


def actor_name(actor: User | None) -> str:
    """How timelines name who acted: the person's name, else the user name; 系统 for the system."""
    if actor is None:
        return "系统"
    return actor.display_name if actor.person_id else actor.username


def user_of(person: Person | None) -> User | None:
    """The active user account of a person (None: no account, or it is disabled)."""
    if person is None:
        return None
    return User.objects.filter(person=person, is_active=True).first()


# Who is told: by permission here, by role in complaints (``complaints.services.users_with_role``).
# ``unit_admins`` / ``users_with`` pick recipients by what their roles *grant*: work that anyone
# able to act on it should see. Complaint notices are addressed to a post instead — the 效能办
# (role ``office``), a unit's 单位管理员 (``unit_admin``), the 局领导 (``leader``) — and the two
# are not the same people in the built-in roles (core.permissions.BUILTIN_ROLES): ``sysadmin``
# holds every permission (so "whoever may dispatch complaints" adds the system administrators
# to every new case's notice), ``dept_head`` also holds ``complaint.handle`` (so "a unit's
# handlers" adds each department head to the unit's dispatch notice), and the leaders' only
# permissions (``stats.view``, approvals) are held by many other roles. Merging the two would
# change who is notified of complaints (complaints/tests/test_notifications.py and
# test_escalation.py pin the recipients), so both stay, each
# documented; a new app notifies by permission unless its notice is addressed to a post.
def unit_admins(unit: Unit, *, permission: str) -> list[User]:
    """The active users attached to ``unit`` (their person works there) whose roles grant
    ``permission`` — who is told about the unit's work of that kind."""
    users = (
        User.objects.filter(is_active=True, person__unit=unit)
        .select_related("person")
        .prefetch_related("roles")
        .order_by("id")
    )
    return [u for u in users if u.has_permission(permission)]


def users_with(code: str) -> list[User]:
    """The active users anywhere whose roles grant ``code`` — who is told about work of that kind
    across units (the office, the leaders); ``unit_admins`` is the same for one unit's users.
    Two queries: the roles, then their users."""
    roles = [r.pk for r in Role.objects.only("pk", "permissions") if code in (r.permissions or [])]
    if not roles:
        return []
    return list(User.objects.filter(is_active=True, roles__in=roles).distinct().order_by("id"))


def transition(
    machine: StateMachine, obj: models.Model, name: str, *, actor, reason: str = "", **changes
) -> str:
    """Move ``obj`` through the machine's transition ``name`` (conditional UPDATE: a lost race
    or an illegal transition is ``Conflict``) and audit it; returns the new state. Apps add their
    own timeline entry around it."""
    before = audit.snapshot(obj)
    target = machine.apply(obj, name, **changes)
    b, a = audit.diff(before, audit.snapshot(obj))
    audit.record(name, obj, before=b, after=a, actor=actor, reason=reason[:500])
    return target


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def full_clean(obj: models.Model, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise ValidationFailed(_("Please correct the errors below."), errors=validation_errors(exc))


def apply_changes(obj: models.Model, changes: dict[str, Any], *, allowed: set[str]) -> list[str]:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(
            _("Unknown fields."),
            errors={f: [_("This field cannot be changed here.")] for f in sorted(unknown)},
        )
    changed = []
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        if isinstance(field, models.Field) and (field.many_to_one or field.one_to_one):
            # Compare ids: reading an unset relation raises.
            new_id = value.pk if isinstance(value, models.Model) else value
            if getattr(obj, field.attname) != new_id or (
                new_id is None and field.attname not in obj.__dict__
            ):
                setattr(obj, name if isinstance(value, models.Model) else field.attname, value)
                changed.append(name)
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
