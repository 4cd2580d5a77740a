"""Every Open311 GeoReport v2 route and key page against the permission matrix
(``core.testing_matrix``). The GeoReport reads are public (anonymous and staff alike); the key
pages belong to whoever manages integrations."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from xiaoneng.complaints.models import Category
from xiaoneng.core import testing_matrix as m
from xiaoneng.open311 import services

pytestmark = pytest.mark.django_db
OFF, A, B = m.OFFICE, m.UNIT_A, m.UNIT_B


def all_users(status) -> dict:
    return {**m.everyone(status), m.ANONYMOUS: status}


def category(w: m.World) -> Category:
    return w.once(
        "category",
        lambda: Category.objects.get_or_create(
            code="fees-o311", defaults={"name": "乱收费（测试）", "group": "收费"}
        )[0],
    )


def request_a(w: m.World):
    """A service request the 12345 hotline filed through Open311 about unit A."""

    def make():
        key, _raw = key_a(w)
        data = {
            "service_code": category(w).code,
            "attribute[unit]": w.org.unit_a.code,
            "attribute[type]": "complaint",
            "description": "门诊收费项目不明，重复收费。",
            "first_name": "四",
            "last_name": "李",
            "phone": "13900139000",
        }
        return services.submit(key=key, data=QueryDict(urlencode(data)))[0]

    return w.once("request_a", make)


def key_a(w: m.World):
    return w.once(
        "key_a", lambda: services.key_create(actor=None, name="12345 热线", channel="hotline_12345")
    )


JSON = {"fmt": "json"}
KEY = lambda w: {"pk": key_a(w)[0].pk}  # noqa: E731

ROWS = [
    m.Row("open311:discovery", all_users(200), kwargs=JSON, public=True),
    m.Row("open311:services", all_users(200), kwargs=JSON, public=True),
    m.Row(
        "open311:service",
        all_users(m.FOUND),
        kwargs=lambda w: {"code": category(w).code, "fmt": "json"},
        public=True,
    ),
    m.Row("open311:requests", all_users(m.FOUND), kwargs=JSON, public=True),
    m.Row(
        "open311:request",
        all_users(m.FOUND),
        kwargs=lambda w: {"number": request_a(w).public_id, "fmt": "json"},
        public=True,
    ),
    m.Row(
        "open311:token",
        all_users(404),
        kwargs={"token": "no-such-token", "fmt": "json"},
        public=True,
    ),
    m.Row("open311:unknown", all_users(404), kwargs={"rest": "nothing.json"}, public=True),
    # keys are the system administrator's (none of the matrix users)
    m.Row("open311:keys", m.permitted()),
    m.Row("open311:key-create", m.permitted(), method="post"),
    m.Row("open311:key-revoke", m.permitted(), kwargs=KEY, method="post"),
]


@m.parametrize(ROWS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("open311", ROWS)
