"""The left menu by role: each role sees the modules it can use, nothing greyed out."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from xiaoneng.core.navigation import build_nav
from xiaoneng.core.testing import make_user

pytestmark = pytest.mark.django_db

HOME = reverse("home")
COMPLAINTS = reverse("complaints:queue")
LEDGER = reverse("rectification:ledger")
CAMPAIGNS = reverse("campaigns:list")
SELFCHECK = reverse("selfcheck:mine")
REPORT = reverse("supervision:mine")  # the supervisor's own page (issue 20)
SUPERVISORS = reverse("supervision:roster")
UNITS = reverse("org:units")
INSPECTIONS = reverse("inspections:list")
EVALUATION = reverse("evaluations:home")
ACCOUNTABILITY = reverse("accountability:list")
DOCUMENTS = reverse("documents:list")
SERVICE_TIMES = reverse("servicetimes:home")
DASHBOARD = reverse("reports:dashboard")
OPENNESS = reverse("openness:disclosures")
PARTY = reverse("party:home")
CALENDAR = reverse("org:calendar")


def menu(user, path="/") -> list[str]:
    request = RequestFactory().get(path)
    request.user = user
    return [item["url"] for item in build_nav(request)]


def children(user) -> list[str]:
    request = RequestFactory().get(UNITS)
    request.user = user
    return [k["url"] for item in build_nav(request) for k in item["children"]]


def test_the_office_sees_every_built_module_and_the_system_pages(org):
    assert menu(org.alice) == [
        HOME,
        COMPLAINTS,
        LEDGER,
        CAMPAIGNS,
        SELFCHECK,
        INSPECTIONS,
        EVALUATION,
        ACCOUNTABILITY,
        SUPERVISORS,
        OPENNESS,
        PARTY,
        DOCUMENTS,
        SERVICE_TIMES,
        DASHBOARD,
        UNITS,
    ]
    kids = children(org.alice)
    assert reverse("org:import") in kids
    assert reverse("org:audit") in kids
    assert reverse("open311:keys") not in kids  # users.manage is the administrator's


def test_a_unit_admin_sees_its_work_modules_and_its_organisation(org):
    # no inspections or accountability: those are the office's; documents: the ones received
    assert menu(org.bob) == [
        HOME,
        COMPLAINTS,
        LEDGER,
        CAMPAIGNS,
        SELFCHECK,
        INSPECTIONS,  # the unit replies to its 督办单 and records its 检讨发言
        EVALUATION,
        OPENNESS,
        PARTY,
        DOCUMENTS,
        SERVICE_TIMES,
        DASHBOARD,
        UNITS,
    ]
    kids = children(org.bob)
    assert reverse("org:people") in kids
    assert reverse("org:audit") not in kids
    assert reverse("org:loginlog") not in kids


def test_a_department_head_has_no_campaigns_and_no_system_pages(org):
    assert menu(org.erin) == [HOME, COMPLAINTS, LEDGER, SELFCHECK, EVALUATION]


def test_staff_register_complaints_and_answer_checklists_only(org):
    assert menu(org.dave) == [HOME, COMPLAINTS, SELFCHECK]


def test_the_leader_reads_every_module_but_imports_nothing(org):
    assert menu(org.leader) == [
        HOME,
        COMPLAINTS,
        LEDGER,
        CAMPAIGNS,
        SELFCHECK,
        INSPECTIONS,
        EVALUATION,
        ACCOUNTABILITY,
        OPENNESS,
        PARTY,
        DOCUMENTS,
        SERVICE_TIMES,
        DASHBOARD,
        UNITS,
    ]
    kids = children(org.leader)
    assert reverse("org:people") in kids
    assert reverse("org:import") not in kids
    assert reverse("org:audit") not in kids


def test_a_social_supervisor_sees_only_what_a_supervisor_uses(org):
    supervisor = make_user("sv", None, "supervisor")
    assert menu(supervisor) == [HOME, REPORT]


def test_an_inspector_sees_the_inspections(org):
    inspector = make_user("insp", None, "inspector")
    assert menu(inspector) == [HOME, SELFCHECK, INSPECTIONS]


def test_a_user_without_a_role_sees_only_the_workbench(org):
    assert menu(org.nobody) == [HOME]


def test_modules_not_built_are_hidden_not_greyed_out(org, client):
    client.force_login(org.alice)
    html = client.get(HOME).content.decode()
    assert "disabled" not in html.split('id="sidenav"')[1].split("</nav>")[0]
    assert all(item["url"] for item in build_nav(_request(org.alice)))


def test_the_module_of_the_current_page_is_marked_active(org):
    active = [i["url"] for i in build_nav(_request(org.alice, CALENDAR)) if i["active"]]
    assert active == [UNITS]


def _request(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return request
