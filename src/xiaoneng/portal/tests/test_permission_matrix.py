"""Every page and endpoint of the public site against the permission matrix
(``core.testing_matrix``): the site is public, so anonymous visitors and signed-in staff get the
same answers; a case page opens only in a browser session that proved the tracking code (anyone
else is sent to the tracking form)."""

from __future__ import annotations

import pytest

from xiaoneng.complaints import services as engine
from xiaoneng.complaints.models import Category
from xiaoneng.core import testing_matrix as m

pytestmark = pytest.mark.django_db


def all_users(status) -> dict:
    return {**m.everyone(status), m.ANONYMOUS: status}


def complaint_a(w: m.World):
    def make():
        category = Category.objects.get_or_create(code="other", defaults={"name": "其他"})[0]
        return engine.complaint_register(
            actor=w.org.alice,
            channel="phone",
            type="complaint",
            category=category,
            subject_unit=w.org.unit_a,
            title="挂号窗口态度差",
            content="窗口工作人员态度生硬。",
            complainant={"name": "张三", "phone": "13800138000", "anonymous": False},
        )

    return w.once("complaint_a", make)


CODE = lambda w: {"code": complaint_a(w).tracking_code}  # noqa: E731
TRACKING = lambda w: {"tracking_code": complaint_a(w).tracking_code}  # noqa: E731

ROWS = [
    m.Row("portal:home", all_users(200), public=True),
    m.Row("portal:submit", all_users(200), public=True),
    m.Row("portal:submitted", all_users(m.FOUND), public=True),
    m.Row("portal:captcha", all_users(200), public=True),
    m.Row("portal:track", all_users(200), public=True),
    m.Row("portal:case", all_users(302), kwargs=CODE, public=True),  # code not proved here
    m.Row("portal:rate", all_users(m.FOUND), kwargs=CODE, method="post", public=True),
    m.Row("public-categories", all_users(200), public=True),
    m.Row("public-units", all_users(200), public=True),
    m.Row("public-departments", all_users(m.FOUND), public=True),
    m.Row("public-complaint-create", all_users(400), method="post", public=True),  # empty body
    m.Row(
        "public-complaint-track",
        all_users(200),
        kwargs=TRACKING,
        data={"phone_last4": "8000"},  # named cases answer only with the phone's last digits
        public=True,
    ),
]


@m.parametrize(ROWS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("portal", ROWS)
