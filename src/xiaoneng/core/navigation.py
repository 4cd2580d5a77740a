"""The left navigation: one entry per module; modules not built yet show as disabled."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, icon, url name, [(child label, url name, permission or None)])
MODULES = [
    (_("Workbench"), "house", "home", []),
    (_("Complaints"), "megaphone", "complaints:queue", []),
    (_("Rectification ledger"), "journal-check", "rectification:ledger", []),
    (_("Campaigns"), "flag", "campaigns:list", []),
    (_("Self-inspection"), "list-check", "selfcheck:mine", []),
    (_("Inspections"), "search", "inspections:list", []),
    (_("Evaluation"), "clipboard-data", "evaluations:home", []),
    (_("Accountability"), "shield-exclamation", "accountability:list", []),
    (_("Service time limits"), "stopwatch", "servicetimes:home", []),
    (_("Statistics"), "bar-chart", "reports:dashboard", []),
    (
        _("System"),
        "gear",
        "org:units",
        [
            (_("Units"), "org:units", None),
            (_("Departments"), "org:departments", None),
            (_("People"), "org:people", None),
            (_("Import organisation"), "org:import", "org.import"),
            (_("Working-day calendar"), "org:calendar", None),
            (_("Login log"), "org:loginlog", "loginlog.view"),
            (_("Audit log"), "org:audit", "audit.view"),
            (_("Open311 keys"), "open311:keys", "users.manage"),
        ],
    ),
]


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
    for label, icon, name, children in MODULES:
        url = _url(name)
        kids = []
        for child_label, child_name, perm in children:
            child_url = _url(child_name)
            if child_url and (perm is None or user.has_permission(perm)):
                kids.append(
                    {"label": child_label, "url": child_url, "active": path.startswith(child_url)}
                )
        prefix = _module_prefix(url)
        active = (
            (url == "/" and path == "/")
            or bool(prefix and path.startswith(prefix))
            or any(k["active"] for k in kids)
        )
        items.append({"label": label, "icon": icon, "url": url, "active": active, "children": kids})
    return items
