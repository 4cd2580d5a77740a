"""The permission matrix over every named URL pattern of core (each app holds its own rows in
``<app>/tests/test_permission_matrix.py``; a test below makes sure every app has them).

Users: anonymous, alice (office, all units), bob (unit A admin), carol (unit B admin).
Objects named in URLs live in unit A, so carol must get 404 wherever bob gets in.
See ``xiaoneng.core.testing_matrix`` for the row format and how other apps add theirs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import xiaoneng
from xiaoneng.core import inbox
from xiaoneng.core import testing_matrix as m
from xiaoneng.core.models import Job, Message
from xiaoneng.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

OFFICE, UNIT_A, UNIT_B, ANONYMOUS = m.OFFICE, m.UNIT_A, m.UNIT_B, m.ANONYMOUS
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
pk = m.pk


# --- objects of unit A the rows point at ---------------------------------------------------------
def message_of_bob(w: m.World):
    def make():
        inbox.inbox_deliver(recipients=[w.org.bob], title="测试消息", body="", link="/")
        return Message.objects.filter(recipient=w.org.bob).latest("id")

    return w.once("message_of_bob", make)


def job_of_bob(w: m.World):
    return w.once(
        "job_of_bob",
        lambda: Job.objects.create(kind="import", created_by=w.org.bob, created_at=timezone.now()),
    )


def attachment_a(w: m.World):
    """A PDF attached (by the office) to unit A's complaint."""
    from xiaoneng.complaints.tests.test_permission_matrix import complaint_a

    def make():
        from xiaoneng.core.files import store_bytes

        stored = store_bytes(data=PDF, name="证据.pdf", actor=w.org.alice)
        complaint_a(w).attachments.add(stored)
        return stored

    return w.once("attachment_a", make)


def a_pdf(w: m.World) -> dict:
    return {"file": SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")}


UNIT_A_PK = lambda w: {"pk": w.org.unit_a.pk}  # noqa: E731
DEPT_A_PK = lambda w: {"pk": w.org.dept_a1.pk}  # noqa: E731
PERSON_A_PK = lambda w: {"pk": w.org.dave.person.pk}  # noqa: E731
MULTIPART = {"format": "multipart"}

# --- core ----------------------------------------------------------------------------------------
CORE = [
    m.Row("home", m.everyone()),
    m.Row("login", m.everyone(302, **{ANONYMOUS: 200}), public=True),
    m.Row("logout", m.everyone(302), method="post"),
    m.Row("password_change", m.everyone()),
    m.Row("inbox", m.everyone()),
    m.Row("notification-preferences", m.everyone()),
    m.Row(
        "inbox-read",
        {OFFICE: 404, UNIT_A: 302, UNIT_B: 404},  # only the recipient may open a message
        kwargs=pk(message_of_bob),
        method="post",
    ),
    m.Row("inbox-read-all", m.everyone(302), method="post"),
    m.Row("org:units", m.everyone()),
    m.Row("org:unit", m.scoped(), kwargs=UNIT_A_PK),
    m.Row("org:unit-edit", m.scoped(), kwargs=UNIT_A_PK),
    m.Row("org:departments", m.everyone()),
    m.Row("org:department", m.scoped(), kwargs=DEPT_A_PK),
    m.Row("org:people", m.everyone()),
    m.Row("org:person", m.scoped(), kwargs=PERSON_A_PK),
    m.Row("org:import", m.permitted(OFFICE)),
    m.Row("org:calendar", m.everyone()),
    m.Row("org:loginlog", m.permitted(OFFICE)),
    m.Row("org:audit", m.permitted(OFFICE)),
    # API
    m.Row(
        "api-token",
        m.everyone(201, **{ANONYMOUS: 201}),
        method="post",
        data={"username": "bob", "password": PASSWORD},
        public=True,
    ),
    m.Row(
        "api-token",
        m.everyone(400, **{ANONYMOUS: 400}),
        method="post",
        data={"username": "bob", "password": "Wrong-pass-1"},
        public=True,
        label="bad password",
    ),
    m.Row("api-token-revoke", m.everyone(403), method="post"),  # only a bearer token revokes
    m.Row("api-token-revoke-all", m.everyone(200), method="post"),  # one's own tokens only
    m.Row("api-me", m.everyone()),
    m.Row("api-units", m.everyone()),
    m.Row(
        "api-units",
        m.permitted(OFFICE, UNIT_A, status=201, denied=400),  # unit B may not pick unit A
        method="post",
        data=lambda w: {"name": "新分院", "code": "UA9", "parent": w.org.unit_a.pk},
        label="create",
    ),
    m.Row(
        "api-units",
        m.permitted(OFFICE, status=201),  # a top-level unit is the office's (issue #21)
        method="post",
        data={"name": "新单位", "code": "TOP9"},
        label="create top-level",
    ),
    m.Row("api-unit", m.scoped(), kwargs=UNIT_A_PK),
    m.Row("api-unit", m.scoped(), kwargs=UNIT_A_PK, method="patch", data={"phone": "1"}),
    m.Row(
        "api-unit",
        m.scoped(403, **{OFFICE: 200}),  # activation is the office's (issue #21)
        kwargs=UNIT_A_PK,
        method="patch",
        data={"is_active": False},
        label="deactivate",
    ),
    m.Row("api-departments", m.everyone()),
    m.Row(
        "api-departments",
        m.permitted(OFFICE, UNIT_A, status=201, denied=400),
        method="post",
        data=lambda w: {"unit": w.org.unit_a.pk, "name": "儿科", "kind": "clinical"},
        label="create",
    ),
    m.Row("api-department", m.scoped(), kwargs=DEPT_A_PK),
    m.Row("api-department", m.scoped(), kwargs=DEPT_A_PK, method="patch", data={"phone": "1"}),
    m.Row("api-people", m.everyone()),
    m.Row(
        "api-people",
        m.permitted(OFFICE, UNIT_A, status=201, denied=400),
        method="post",
        data=lambda w: {"unit": w.org.unit_a.pk, "name": "新人"},
        label="create",
    ),
    m.Row("api-person", m.scoped(), kwargs=PERSON_A_PK),
    m.Row("api-person", m.scoped(), kwargs=PERSON_A_PK, method="patch", data={"phone": "1"}),
    m.Row("api-files", m.everyone(201), method="post", data=a_pdf, extra=MULTIPART),
    m.Row("api-job", {OFFICE: 404, UNIT_A: 200, UNIT_B: 404}, kwargs=pk(job_of_bob)),
    # Files: whoever sees the object they belong to; another unit gets 404 (issue 21 item 10).
    m.Row("file", m.scoped(), kwargs=pk(attachment_a)),
    m.Row("api-file", m.scoped(), kwargs=pk(attachment_a)),
]

ROWS = CORE


@m.parametrize(ROWS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("core", ROWS)


def test_the_completeness_check_notices_a_missing_row(db):
    with pytest.raises(AssertionError, match="org:audit"):
        m.assert_complete("core", [r for r in ROWS if r.name != "org:audit"])


def test_the_enumeration_finds_ui_and_api_patterns_of_each_app(db):
    core = m.app_patterns("core")
    assert {"home", "org:unit", "api-me", "api-files"} <= set(core)
    assert "api-complaint" in m.app_patterns("complaints")
    assert "api-commitment-detail" in m.app_patterns("selfcheck")
    assert "admin:index" not in core
    assert "api-schema" not in core


def test_every_app_with_urls_checks_its_own_matrix_is_complete(db):
    """Each app that serves URLs has ``tests/test_permission_matrix.py`` calling
    ``assert_complete("<app>", …)`` — a new app cannot ship pages without rows."""
    root = Path(xiaoneng.__file__).parent
    apps = sorted({p.parent.name for p in root.glob("*/apps.py")} - {"core"})
    missing = []
    for app in apps:
        if not m.app_patterns(app):
            continue
        test = root / app / "tests" / "test_permission_matrix.py"
        text = test.read_text(encoding="utf-8") if test.exists() else ""
        if f'm.assert_complete("{app}"' not in text:
            missing.append(app)
    assert not missing, f"apps without their permission-matrix completeness test: {missing}"
