"""The permission catalogue and the built-in roles (seeded as data, editable by admins).

Permissions are plain codes a role bundles; a view or service checks one with
``user.has_permission(code)``. Modules add their codes here so the role editor lists them.
"""

from django.utils.translation import gettext_lazy as _

PERMISSIONS: dict[str, str] = {
    "org.manage": _("Manage units, departments and people"),
    "org.import": _("Import the organisation from Excel"),
    "users.manage": _("Manage user accounts and roles"),
    "audit.view": _("View audit records"),
    "loginlog.view": _("View the login log"),
    "calendar.manage": _("Edit the working-day calendar"),
    "complaint.register": _("Register complaints"),
    "complaint.dispatch": _("Accept, dispatch and close complaints"),
    "complaint.handle": _("Sign for and handle dispatched complaints"),
    "complaint.verify": _("Verify complaint outcomes and approve extensions"),
    "complainant.view": _("See complainant identity (audited)"),
    "rectification.manage": _("Record issues and rectification progress"),
    "rectification.verify": _("Verify close-out and run spot checks"),
    "campaign.manage": _("Configure campaigns"),
    "campaign.submit": _("Submit campaign deliverables"),
    "supervision.report": _("Report observations as a supervisor"),
    "evaluation.manage": _("Run satisfaction surveys and evaluation rounds, confirm consequences"),
    "survey.distribute": _("Issue survey links and QR codes for the own unit"),
    "ethics.evaluate": _("Write department and unit evaluations in medical-ethics files"),
    "ethics.grade": _("Grade medical-ethics files"),
}

OFFICE_PERMS = [
    "org.manage",
    "org.import",
    "audit.view",
    "loginlog.view",
    "calendar.manage",
    "complaint.register",
    "complaint.dispatch",
    "complaint.verify",
    "complainant.view",
    "rectification.manage",
    "rectification.verify",
    "campaign.manage",
    "evaluation.manage",
    "survey.distribute",
    "ethics.grade",
]

# code: (name, data scope, permissions, read_only)
BUILTIN_ROLES: dict[str, tuple[str, str, list[str], bool]] = {
    "sysadmin": ("系统管理员", "all", list(PERMISSIONS), False),
    "office": ("效能办", "all", OFFICE_PERMS, False),
    "discipline": (
        "纪检监察室",
        "all",
        ["complainant.view", "audit.view", "complaint.verify"],
        False,
    ),
    "leader": ("局领导", "all", [], True),
    "unit_admin": (
        "单位管理员",
        "unit_and_below",
        [
            "complaint.register",
            "complaint.handle",
            "rectification.manage",
            "campaign.submit",
            "org.manage",
            "survey.distribute",
            "ethics.evaluate",
            "ethics.grade",
        ],
        False,
    ),
    "dept_head": (
        "部门负责人",
        "department",
        ["complaint.handle", "rectification.manage", "ethics.evaluate"],
        False,
    ),
    "staff": ("职工", "self", ["complaint.register"], False),
    "supervisor": ("社会监督员", "self", ["supervision.report"], False),
}
