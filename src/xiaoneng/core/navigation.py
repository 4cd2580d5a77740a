"""The left navigation: one entry per module, shown only to people who can use it.

Each module and sub-entry carries a *rule*: ``None`` (everyone signed in), a permission code,
a tuple of codes (any one of them), or a callable ``rule(user) -> bool``. A module whose URL
does not resolve (its app is not installed in this build) is hidden, never greyed out.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

Rule = None | str | tuple[str, ...] | Callable[[object], bool]


def reads_widely(user) -> bool:
    """Holds a read-only role (局领导): sees the modules' lists without acting in them."""
    cached = getattr(user, "_xiaoneng_reads_widely", None)
    if cached is None:
        cached = user.is_superuser or user.roles.filter(read_only=True).exists()
        user._xiaoneng_reads_widely = cached
    return cached


def is_staff_member(user) -> bool:
    """Works in the health system (any role but an outside social supervisor's)."""
    codes = set(user.permission_codes()) - {"supervision.report"}
    return bool(codes) or reads_widely(user)


def _any(*codes: str) -> Callable[[object], bool]:
    def rule(user) -> bool:
        return any(user.has_permission(code) for code in codes) or reads_widely(user)

    return rule


COMPLAINTS = _any(
    "complaint.register",
    "complaint.dispatch",
    "complaint.handle",
    "complaint.verify",
    "complainant.view",
)
LEDGER = _any("rectification.manage", "rectification.verify")
CAMPAIGNS = _any("campaign.manage", "campaign.submit")
DASHBOARD = ("stats.view",)  # the dashboard refuses anyone else


def answers_for_a_unit(user) -> bool:
    """Manages a unit's ledger (a unit admin, not a department head): the unit replies to its
    督办单 and records its 检讨发言 under 明查暗访."""
    if not user.has_permission("rectification.manage"):
        return False
    cached = getattr(user, "_xiaoneng_answers_for_a_unit", None)
    if cached is None:
        unit_wide = ("all", "custom", "unit_and_below", "unit")
        cached = user.roles.filter(data_scope__in=unit_wide).exists()
        user._xiaoneng_answers_for_a_unit = cached
    return cached


_INSPECTION_WORK = _any("inspection.manage", "inspection.inspect", "bulletin.approve")


def INSPECTIONS(user) -> bool:
    return _INSPECTION_WORK(user) or answers_for_a_unit(user)


EVALUATION = _any(
    "evaluation.manage",
    "survey.distribute",
    "ethics.evaluate",
    "ethics.grade",
    "assessment.manage",
    "award.nominate",
    "award.decide",
)
SERVICE_TIMES = _any("servicetime.manage", "stats.view")
ACCOUNTABILITY = _any("accountability.view", "accountability.manage", "accountability.approve")
OPENNESS = _any("openness.manage", "openness.edit")
PARTY = _any("party.manage", "party.edit", "award.decide")
DOCUMENTS = _any("document.draft", "document.review", "document.sign", "document.receive")
ORG_READ = _any("org.manage", "users.manage")
SYSTEM = _any(
    "org.manage",
    "org.import",
    "users.manage",
    "audit.view",
    "loginlog.view",
    "calendar.manage",
)

# (label, icon, url name, rule, [(child label, url name, rule)])
MODULES: list[tuple] = [
    (_("Workbench"), "house", "home", None, []),
    (_("Complaints"), "megaphone", "complaints:queue", COMPLAINTS, []),
    (_("Rectification ledger"), "journal-check", "rectification:ledger", LEDGER, []),
    (_("Campaigns"), "flag", "campaigns:list", CAMPAIGNS, []),
    (_("Self-inspection"), "list-check", "selfcheck:mine", is_staff_member, []),
    (_("Report a problem"), "send", "supervision:mine", "supervision.report", []),
    (_("Inspections"), "search", "inspections:list", INSPECTIONS, []),
    (_("Evaluation"), "clipboard-data", "evaluations:home", EVALUATION, []),
    (_("Accountability"), "shield-exclamation", "accountability:list", ACCOUNTABILITY, []),
    (_("Social supervisors"), "eye", "supervision:roster", "supervision.manage", []),
    (_("Reception days and disclosure"), "door-open", "openness:disclosures", OPENNESS, []),
    (_("Party building (创先争优)"), "star", "party:home", PARTY, []),
    (_("Official documents"), "file-earmark-text", "documents:list", DOCUMENTS, []),
    (_("Service time limits"), "stopwatch", "servicetimes:home", SERVICE_TIMES, []),
    (_("Statistics"), "bar-chart", "reports:dashboard", DASHBOARD, []),
    (
        _("System"),
        "gear",
        "org:units",
        SYSTEM,
        [
            (_("Units"), "org:units", ORG_READ),
            (pgettext_lazy("menu", "Departments"), "org:departments", ORG_READ),
            (pgettext_lazy("menu", "People"), "org:people", ORG_READ),
            (_("Import organisation"), "org:import", "org.import"),
            (_("Working-day calendar"), "org:calendar", _any("calendar.manage", "org.manage")),
            (_("Login log"), "org:loginlog", "loginlog.view"),
            (_("Audit log"), "org:audit", "audit.view"),
            (_("Open311 keys"), "open311:keys", "users.manage"),
        ],
    ),
]


def allows(rule: Rule, user) -> bool:
    if rule is None:
        return True
    if isinstance(rule, str):
        return user.has_permission(rule)
    if isinstance(rule, tuple):
        return any(user.has_permission(code) for code in rule)
    return bool(rule(user))


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _module_prefix(url: str | None) -> str | None:
    """The first path segment of a module's URL ("/complaints/queue/" → "/complaints/")."""
    if not url or url == "/":
        return None
    return "/" + url.strip("/").split("/")[0] + "/"


def build_nav(request) -> list[dict]:
    path = request.path
    user = request.user
    items = []
    for label, icon, name, rule, children in MODULES:
        url = _url(name)
        if url is None or not allows(rule, user):
            continue
        kids = []
        for child_label, child_name, child_rule in children:
            child_url = _url(child_name)
            if child_url and allows(child_rule, user):
                kids.append(
                    {"label": child_label, "url": child_url, "active": path.startswith(child_url)}
                )
        if children and not kids:
            continue
        if kids and not any(k["url"] == url for k in kids):
            url = kids[0]["url"]
        prefix = _module_prefix(url)
        active = (
            (url == "/" and path == "/")
            or bool(prefix and path.startswith(prefix))
            or any(k["active"] for k in kids)
        )
        items.append({"label": label, "icon": icon, "url": url, "active": active, "children": kids})
    return items
