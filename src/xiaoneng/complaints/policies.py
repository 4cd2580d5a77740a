"""Who may do what on ONE complaint: the actor's role on this case, never mere visibility.

Seeing a case (data scope, ``core.scope``) is not a licence to act on it: the registrar of a case
about another unit sees it, and a bureau leader sees everything, but neither handles it. Every
complaint action (services, API, pages, duplicates) asks ``require(actor, complaint, action)`` /
``can(actor, complaint, action)`` here; internal notes are read through ``reads_internal``; the
complainant's identity and tracking code through ``can_view_identity``.

Roles on a case (``roles_on``):

- ``office``     complaint.dispatch and the case in the actor's data scope;
- ``handler``    complaint.handle and the actor is on the handling side (the responsible unit or
                 above it in the actor's scope, the responsible department, or the handler);
- ``verifier``   complaint.verify, the case in scope, and not of the unit complained about or
                 the responsible unit (nobody judges their own unit's case);
- ``handling``   on the handling side, whatever the permissions (e.g. the assigned handler);
- ``bureau``     a bureau-wide data scope (office, discipline, bureau leaders: oversight reads);
- ``registrar``  registered the case (sees the record and the public timeline only);
- ``public_site`` the public site's system account acting for a complainant who proved a
                 complainant secret (portal.services): return visit from a rating, reopen on a
                 redo request.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from xiaoneng.core.errors import Forbidden
from xiaoneng.core.scope import scope_for, scoped
from xiaoneng.core.services.base import require_writable

from .models import Complaint

# The public site's system role (portal.services.system_actor); the account has no usable password.
PUBLIC_SITE_ROLE = "public_site"


class CaseRole(StrEnum):
    OFFICE = "office"
    HANDLER = "handler"
    VERIFIER = "verifier"
    HANDLING = "handling"
    BUREAU = "bureau"
    REGISTRAR = "registrar"
    PUBLIC_SITE = "public_site"


OFFICE = frozenset({CaseRole.OFFICE})
HANDLER = frozenset({CaseRole.HANDLER})
# action → the case roles that may take it (one table for services, API and pages).
ACTION_ROLES: dict[str, frozenset[CaseRole]] = {
    "accept": OFFICE,
    "reject": OFFICE,
    "dispatch": OFFICE,
    "close": OFFICE,
    "reopen": OFFICE | {CaseRole.PUBLIC_SITE},
    "mark_important": OFFICE,
    "override_sla": OFFICE,
    "decide_extension": OFFICE,
    "merge": OFFICE,
    "dismiss_duplicate": OFFICE,
    "sign": HANDLER,
    "send_back": HANDLER,
    "assign": HANDLER,
    "pause": HANDLER,
    "resume": HANDLER,
    "request_extension": HANDLER,
    "reply": HANDLER,
    "escalate": OFFICE | HANDLER,
    "verify": frozenset({CaseRole.VERIFIER}),
    "return_visit": frozenset({CaseRole.VERIFIER, CaseRole.PUBLIC_SITE}),
}
# Who reads internal notes (non-public timeline events, escalations, extensions, audit history).
INTERNAL_READERS = frozenset(
    {CaseRole.OFFICE, CaseRole.HANDLER, CaseRole.HANDLING, CaseRole.BUREAU, CaseRole.VERIFIER}
)


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def in_complained_unit(user, complaint: Complaint) -> bool:
    """The user works in the unit complained about or in the responsible unit."""
    if not getattr(user, "person_id", None):
        return False
    unit_id = user.person.unit_id
    return unit_id in {complaint.subject_unit_id, complaint.unit_id}


def is_public_site(user) -> bool:
    """The public site's system account: the role, and a password nobody can log in with."""
    if not _authenticated(user) or user.has_usable_password():
        return False
    cached = getattr(user, "_xiaoneng_public_site", None)
    if cached is None:
        cached = user.roles.filter(code=PUBLIC_SITE_ROLE).exists()
        user._xiaoneng_public_site = cached
    return cached


def on_handling_side(user, complaint: Complaint) -> bool:
    """The case is dispatched to a unit in the user's scope, or to their department, or to them."""
    if complaint.unit_id is None:
        return False
    scope = scope_for(user)
    if complaint.unit is not None and scope.contains_unit(complaint.unit):
        return True
    if complaint.department_id and complaint.department_id in scope.department_ids:
        return True
    return bool(complaint.handler_id and complaint.handler_id == scope.person_id)


def _visible(user, complaint: Complaint) -> bool:
    if scope_for(user).everything:
        return True
    return scoped(user, Complaint).filter(pk=complaint.pk).exists()


def _staff_roles(user, complaint: Complaint) -> set[CaseRole]:
    """The roles of a staff account (anyone but the public site's system account)."""
    roles: set[CaseRole] = set()
    if on_handling_side(user, complaint):
        roles.add(CaseRole.HANDLING)
        if user.has_permission("complaint.handle"):
            roles.add(CaseRole.HANDLER)
    if scope_for(user).everything:
        roles.add(CaseRole.BUREAU)
    if complaint.registered_by_id and complaint.registered_by_id == user.pk:
        roles.add(CaseRole.REGISTRAR)
    office = user.has_permission("complaint.dispatch")
    verifier = user.has_permission("complaint.verify") and (
        user.is_superuser or not in_complained_unit(user, complaint)
    )
    if (office or verifier) and _visible(user, complaint):
        if office:
            roles.add(CaseRole.OFFICE)
        if verifier:
            roles.add(CaseRole.VERIFIER)
    return roles


def roles_on(user, complaint: Complaint) -> frozenset[CaseRole]:
    """The user's roles on this case (cached per user and case state for the request)."""
    if not _authenticated(user):
        return frozenset()
    key = (complaint.pk, complaint.unit_id, complaint.department_id, complaint.handler_id)
    cache = getattr(user, "_xiaoneng_case_roles", None)
    if cache is None:
        cache = user._xiaoneng_case_roles = {}
    if key not in cache:
        if is_public_site(user):
            cache[key] = frozenset({CaseRole.PUBLIC_SITE})
        else:
            cache[key] = frozenset(_staff_roles(user, complaint))
    return cache[key]


def can(user, complaint: Complaint, action: str) -> bool:
    """May the user take `action` (a workflow step name, e.g. "send_back") on this case?"""
    allowed = ACTION_ROLES.get(action.replace("-", "_"))
    if allowed is None:
        raise KeyError(f"unknown complaint action {action!r}")
    return bool(allowed & roles_on(user, complaint))


def require(user, complaint: Complaint, action: str) -> None:
    """Forbidden unless the user's role on this case allows `action`; read-only roles never write."""
    if not _authenticated(user):
        raise Forbidden(_("You do not have permission to do this."))
    if not can(user, complaint, action):
        if ACTION_ROLES[action.replace("-", "_")] == HANDLER and user.has_permission(
            "complaint.handle"
        ):
            raise Forbidden(_("This complaint is not handled by your unit."))
        raise Forbidden(_("You do not have permission to do this."))
    require_writable(user)


def reads_internal(user, complaint: Complaint) -> bool:
    """Internal notes (non-public timeline, escalations, extensions, audit history): the handling
    side and the office/bureau only — never a registrar or another unit that merely sees the case."""
    if _authenticated(user) and user.is_superuser:
        return True
    return bool(INTERNAL_READERS & roles_on(user, complaint))


def can_view_identity(user, complaint: Complaint) -> bool:
    """complainant.view, and not a user of the unit complained about or the responsible unit
    (PRODUCT.md "Complainant protection"). The same rule guards the tracking code, a complainant
    secret (docs/SECURITY.md)."""
    if not _authenticated(user) or not user.has_permission("complainant.view"):
        return False
    if user.is_superuser:
        return True
    return not in_complained_unit(user, complaint)
