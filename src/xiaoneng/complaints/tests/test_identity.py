"""Complainant protection: identity encrypted at rest, readable only with complainant.view, every
read audited, never by the unit complained about; anonymous complaints; phone blind index."""

from __future__ import annotations

import pytest
from django.db import connection

from xiaoneng.complaints import services
from xiaoneng.complaints.models import ComplainantIdentity
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import AuditRecord, Person, Role
from xiaoneng.core.testing import make_user

from .test_lifecycle import IDENTITY, dispatched, register

pytestmark = pytest.mark.django_db


def reads(complaint) -> list[tuple[str, str]]:
    return list(
        AuditRecord.objects.filter(
            action="view_sensitive", object_type="complaints.complaint", object_id=str(complaint.pk)
        )
        .order_by("id")
        .values_list("actor_name", "reason")
    )


def test_the_identity_is_encrypted_at_rest(org):
    c = register(org)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name_enc, phone_enc, id_number_enc, address_enc, phone_index, phone_last4 "
            "FROM complaints_complainantidentity WHERE complaint_id = %s",
            [c.pk],
        )
        row = cursor.fetchone()
    raw = " ".join(str(v) for v in row)
    for secret in ("张三丰", "13800138000", "410101199001011234", "郑州市"):
        assert secret not in raw
    assert row[5] == "8000" and len(row[4]) == 64


def test_alice_reads_it_and_every_read_is_audited(org):
    c = register(org)
    for reason in ("核实情况", "回访"):
        data = services.identity_read(complaint=c, actor=org.alice, reason=reason)
        assert data["name"] == "张三丰"
        assert data["phone"] == "13800138000"  # normalised: +86 and separators removed
        assert data["id_number"] == IDENTITY["id_number"] and data["address"] == "郑州市金水路1号"
        assert data["anonymous"] is False
    assert reads(c) == [("alice", "核实情况"), ("alice", "回访")]


def test_bob_is_refused_and_nothing_is_recorded_as_read(org):
    c = dispatched(org)
    with pytest.raises(Forbidden):
        services.identity_read(complaint=c, actor=org.bob, reason="想看")
    assert reads(c) == []


def test_the_complained_about_unit_never_sees_it_even_with_the_permission(org):
    office = Role.objects.get(code="office")
    c = dispatched(org)  # about unit A, handled by unit A
    insider = make_user("insider", Person.objects.create(name="内部人", unit=org.unit_a))
    insider.roles.set([office])
    with pytest.raises(Forbidden):
        services.identity_read(complaint=c, actor=insider, reason="核实")
    # the discipline office (bureau) may
    inspector = make_user(
        "inspector", Person.objects.create(name="纪检", unit=org.bureau), "discipline"
    )
    assert services.identity_read(complaint=c, actor=inspector, reason="核查")["name"] == "张三丰"
    assert reads(c) == [("inspector", "核查")]


def test_anonymous_complaints_have_no_identity(org):
    c = register(org, complainant={"anonymous": True})
    assert c.anonymous
    assert not ComplainantIdentity.objects.filter(complaint=c).exists()
    data = services.identity_read(complaint=c, actor=org.alice, reason="核实")
    assert data["anonymous"] is True and data["name"] == "" and data["phone"] == ""
    assert len(reads(c)) == 1


def test_repeat_callers_are_found_by_the_blind_index(org):
    first = register(org)
    second = register(org, complainant={"phone": "8613800138000", "anonymous": False})
    register(org, complainant={"phone": "13900000000", "anonymous": False})
    found = set(services.complaints_by_phone(phone="138 0013 8000").values_list("pk", flat=True))
    assert found == {first.pk, second.pk}


def test_the_public_tracking_check_uses_the_last_four_digits(org):
    c = register(org)
    assert services.tracking_matches(c, "8000")
    assert not services.tracking_matches(c, "0000")
    assert not services.tracking_matches(c, "١٢٣٤")  # non-ASCII digits: a plain no, not a 500
    assert not services.tracking_matches(c, "八千")
