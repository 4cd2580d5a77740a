"""The permission catalogue and the built-in roles (seeded as data, editable by admins).

Permissions are plain codes a role bundles; a view or service checks one with
``user.has_permission(code)``. Modules add their codes here so the role editor lists them.
"""

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

PERMISSIONS: dict[str, StrOrPromise] = {
    "org.manage": _("Manage units, departments and people"),
    "org.structure": _(
        "Change the organisation structure: add top-level units, move, activate or deactivate units"
    ),
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
    "supervision.manage": _(
        "Keep the roster of social supervisors and decide what their reports become"
    ),
    "accountability.view": _("See accountability cases"),
    "accountability.manage": _("Register and investigate accountability cases"),
    "accountability.approve": _("Approve accountability decisions"),
    "assessment.manage": _("Run the annual assessment"),
    "award.nominate": _("Nominate for awards"),
    "award.decide": _("Confirm award nominations"),
    "stats.view": _("View the statistics dashboards (within the data scope)"),
    "inspection.manage": _("Plan inspections, publish visits, issue orders and compose bulletins"),
    "inspection.inspect": _("Record inspection visits and findings"),
    "bulletin.approve": _("Approve exposure bulletins"),
    "evaluation.manage": _("Run satisfaction surveys and evaluation rounds, confirm consequences"),
    "survey.distribute": _("Issue survey links and QR codes for the own unit"),
    "ethics.evaluate": _("Write department and unit evaluations in medical-ethics files"),
    "ethics.grade": _("Grade medical-ethics files"),
    "openness.manage": _(
        "Publish leader reception days and approve units' public disclosure pages"
    ),
    "openness.edit": _("Edit the own unit's public disclosure page (院务公开)"),
    "party.manage": _("Run 创先争优: star-rating schemes, ratings and leaders' contact points"),
    "party.edit": _("Keep the own unit's party organisations, members and star ratings"),
    "document.draft": _("Draft official documents and build campaign archives"),
    "document.review": _("Review official documents before sign-off"),
    "document.sign": _("Sign off and issue official documents"),
    "document.receive": _("Receive official documents addressed to the unit"),
    "servicetime.manage": _(
        "Manage service time standards, import hospital system logs, confirm ledger proposals"
    ),
}

OFFICE_PERMS = [
    "org.manage",
    "org.structure",
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
    "accountability.view",
    "accountability.manage",
    "assessment.manage",
    "award.nominate",
    "award.decide",
    "stats.view",
    "inspection.manage",
    "inspection.inspect",
    "evaluation.manage",
    "survey.distribute",
    "ethics.grade",
    "supervision.manage",
    "openness.manage",
    "party.manage",
    "document.draft",
    "document.review",
    "servicetime.manage",
]

# code: (name, data scope, permissions, read_only)
BUILTIN_ROLES: dict[str, tuple[str, str, list[str], bool]] = {
    "sysadmin": ("系统管理员", "all", list(PERMISSIONS), False),
    "office": ("效能办", "all", OFFICE_PERMS, False),
    "discipline": (
        "纪检监察室",
        "all",
        [
            "complainant.view",
            "audit.view",
            "complaint.verify",
            "stats.view",
            "accountability.view",
            "accountability.manage",
        ],
        False,
    ),
    # Read-only, except that a leader approves bulletins and accountability decisions and signs
    # official documents.
    "leader": (
        "局领导",
        "all",
        [
            "stats.view",
            "accountability.view",
            "accountability.approve",
            "bulletin.approve",
            "document.sign",
        ],
        True,
    ),
    "unit_admin": (
        "单位管理员",
        "unit_and_below",
        [
            "complaint.register",
            "complaint.handle",
            "rectification.manage",
            "campaign.submit",
            "org.manage",
            "award.nominate",
            "stats.view",
            "survey.distribute",
            "ethics.evaluate",
            "ethics.grade",
            "openness.edit",
            "party.edit",
            "document.receive",
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
    "inspector": ("督查员", "self", ["inspection.inspect"], False),
}
