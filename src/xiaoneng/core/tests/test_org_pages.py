"""Organisation pages: permission matrix, lists (filters, sort, export, query counts), details, edit."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiaoneng.core import audit, selectors
from xiaoneng.core.models import AuditRecord, Department, Unit
from xiaoneng.core.services import org as org_services

pytestmark = pytest.mark.django_db

LISTS = ["org:units", "org:departments", "org:people"]


def names(response) -> list[str]:
    return [str(getattr(o, "name", o)) for o in response.context["page"].object_list]


def detail_urls(org, *, unit_b: bool):
    unit = org.unit_b if unit_b else org.unit_a
    dept = org.dept_b1 if unit_b else org.dept_a1
    person = unit.principal or unit.people.first()
    return [
        reverse("org:unit", args=[unit.pk]),
        reverse("org:department", args=[dept.pk]),
        reverse("org:person", args=[person.pk]),
    ]


# --- permission matrix ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [*LISTS, "org:import", "org:calendar"],
)
def test_it_sends_anonymous_users_to_the_login_page(client, org, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_sends_anonymous_users_to_login_from_detail_and_edit_pages(client, org):
    for url in [*detail_urls(org, unit_b=False), reverse("org:unit-edit", args=[org.unit_a.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name", LISTS)
def test_a_user_without_a_role_sees_empty_lists(client, org, name):
    client.force_login(org.nobody)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert names(response) == []
    assert 'data-testid="empty"' in response.content.decode()


def test_a_user_without_a_role_gets_404_on_every_detail(client, org):
    client.force_login(org.nobody)
    for url in [*detail_urls(org, unit_b=False), reverse("org:unit-edit", args=[org.unit_a.pk])]:
        assert client.get(url).status_code == 404, url


def test_a_unit_admin_sees_their_unit_and_its_child_only(client, org):
    client.force_login(org.bob)
    response = client.get(reverse("org:units"))
    assert names(response) == ["甲医院", "甲医院分院"]
    depts = client.get(reverse("org:departments"))
    assert {d.unit_id for d in depts.context["page"]} == {org.unit_a.pk}
    people = client.get(reverse("org:people"))
    assert {p.unit_id for p in people.context["page"]} == {org.unit_a.pk}
    for url in detail_urls(org, unit_b=False):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("org:unit", args=[org.unit_a_child.pk])).status_code == 200


def test_a_unit_admin_gets_404_for_another_units_pages(client, org):
    client.force_login(org.bob)
    for url in [*detail_urls(org, unit_b=True), reverse("org:unit-edit", args=[org.unit_b.pk])]:
        assert client.get(url).status_code == 404, url
    # ...and the same 404 as for an id that does not exist.
    assert client.get(reverse("org:unit", args=[999999])).status_code == 404


def test_the_office_sees_everything(client, org):
    client.force_login(org.alice)
    assert names(client.get(reverse("org:units"))) == [
        "测试县卫生健康局",
        "甲医院",
        "甲医院分院",
        "乙医院",
    ]
    assert len(client.get(reverse("org:departments")).context["page"]) == 3
    for url in [*detail_urls(org, unit_b=True), *detail_urls(org, unit_b=False)]:
        assert client.get(url).status_code == 200, url


def test_filter_choices_are_limited_to_the_users_scope(client, org):
    client.force_login(org.bob)
    response = client.get(reverse("org:people"))
    units = list(response.context["filters"].fields["unit"].queryset)
    assert org.unit_b not in units and org.unit_a in units
    # A unit outside the scope in the query string is refused, not used.
    response = client.get(reverse("org:departments"), {"unit": org.unit_b.pk})
    assert all(d.unit_id == org.unit_a.pk for d in response.context["page"])


# --- lists -----------------------------------------------------------------------------------------
def test_the_unit_list_shows_the_tree_indented_by_depth(client, org):
    client.force_login(org.alice)
    response = client.get(reverse("org:units"))
    depths = {u.name: u.indent for u in response.context["page"]}
    assert depths == {"测试县卫生健康局": 0, "甲医院": 1, "甲医院分院": 2, "乙医院": 1}
    assert 'data-depth="2"' in response.content.decode()


def test_the_unit_list_filters_by_name_type_and_parent(client, org):
    client.force_login(org.alice)
    url = reverse("org:units")
    assert names(client.get(url, {"q": "乙"})) == ["乙医院"]
    assert names(client.get(url, {"q": "UA1"})) == ["甲医院分院"]
    assert names(client.get(url, {"kind": Unit.Kind.TOWNSHIP})) == ["甲医院分院"]
    assert names(client.get(url, {"under": org.unit_a.pk})) == ["甲医院", "甲医院分院"]


def test_list_columns_sort_both_ways(client, org):
    client.force_login(org.alice)
    url = reverse("org:units")
    ascending = names(client.get(url, {"sort": "code"}))
    assert ascending == ["测试县卫生健康局", "甲医院", "甲医院分院", "乙医院"]  # B0, UA, UA1, UB
    assert names(client.get(url, {"sort": "-code"})) == list(reversed(ascending))
    # An unknown sort key falls back to the tree order instead of failing.
    assert client.get(url, {"sort": "password"}).status_code == 200


def test_the_people_list_filters_by_department_and_leadership(client, org):
    client.force_login(org.alice)
    url = reverse("org:people")
    assert sorted(names(client.get(url, {"department": org.dept_a1.pk}))) == ["大卫", "艾琳"]
    assert names(client.get(url, {"leadership": "head"})) == ["艾琳"]
    assert names(client.get(url, {"leadership": "principal"})) == ["甲院长"]
    assert names(client.get(url, {"leadership": "in_charge"})) == ["甲副院长"]


def test_lists_paginate(client, org):
    for i in range(25):
        org_services.department_create(actor=None, check=False, unit=org.unit_b, name=f"科{i:02d}")
    client.force_login(org.alice)
    first = client.get(reverse("org:departments"))
    assert len(first.context["page"]) == 20
    second = client.get(reverse("org:departments"), {"page": 2})
    assert len(second.context["page"]) == 28 - 20


@pytest.mark.parametrize(
    ("name", "sheet"), [("org:units", "单位"), ("org:departments", "科室"), ("org:people", "人员")]
)
def test_lists_export_the_filtered_rows_as_xlsx(client, org, name, sheet):
    client.force_login(org.bob)
    response = client.get(reverse(name), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    rows = list(wb[sheet].iter_rows(values_only=True))
    text = repr(rows)
    assert "乙医院" not in text and "卡萝" not in text  # nothing outside bob's scope
    assert len(rows) > 1


def test_the_unit_export_can_be_imported_again(client, org):
    from xiaoneng.core import importing

    client.force_login(org.alice)
    response = client.get(reverse("org:units"), {"export": "xlsx"})
    result = importing.import_org(actor=org.alice, data=response.content)
    assert result.ok, result.errors
    assert result.counts["单位"] == {"created": 0, "updated": 0, "unchanged": 4}


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_do_not_issue_a_query_per_row(client, org, name, django_assert_max_num_queries):
    for i in range(30):
        unit = org_services.unit_create(
            actor=None, check=False, name=f"卫生院{i}", code=f"T{i}", parent=org.unit_b
        )
        dept = org_services.department_create(actor=None, check=False, unit=unit, name="办公室")
        person = org_services.person_create(
            actor=None, check=False, name=f"人{i}", unit=unit, departments=[dept]
        )
        org_services.unit_update(actor=None, check=False, unit=unit, principal=person)
        org_services.department_update(actor=None, check=False, department=dept, head=person)
    client.force_login(org.alice)
    # ~9 for session, user, scope, inbox and navigation; the filter choices; the page and its
    # prefetches (people: departments, principal_of, head_of, oversees). None per row.
    with django_assert_max_num_queries(21):
        response = client.get(reverse(name))
    assert len(response.context["page"]) == 20


# --- details -------------------------------------------------------------------------------------
def test_the_unit_page_shows_departments_people_and_principal(client, org):
    client.force_login(org.bob)
    response = client.get(reverse("org:unit", args=[org.unit_a.pk]))
    html = response.content.decode()
    assert "甲院长" in html  # principal
    assert "急诊科" in html and "内科" in html
    assert "大卫" in html
    assert 'data-testid="edit"' in html


def test_the_department_page_shows_head_leader_and_members(client, org):
    client.force_login(org.bob)
    response = client.get(reverse("org:department", args=[org.dept_a1.pk]))
    assert [p.name for p in response.context["chain"]] == ["艾琳", "甲副院长", "甲院长"]
    assert sorted(p.name for p in response.context["members"]) == ["大卫", "艾琳"]


def test_the_person_page_shows_what_they_head_and_oversee(client, org):
    client.force_login(org.alice)
    deputy = org.dept_a1.leader_in_charge
    response = client.get(reverse("org:person", args=[deputy.pk]))
    assert list(response.context["oversees"]) == [org.dept_a1]
    head = client.get(reverse("org:person", args=[org.dept_a1.head_id]))
    assert list(head.context["heads"]) == [org.dept_a1]
    assert list(head.context["departments"]) == [org.dept_a1]


def test_a_person_in_several_departments_is_listed_in_each(client, org):
    org_services.person_update(
        actor=None, check=False, person=org.dave.person, departments=[org.dept_a1, org.dept_a2]
    )
    client.force_login(org.alice)
    response = client.get(reverse("org:person", args=[org.dave.person_id]))
    assert set(response.context["departments"]) == {org.dept_a1, org.dept_a2}
    people = client.get(reverse("org:people"), {"department": org.dept_a2.pk})
    assert names(people) == ["大卫"]


def test_escalation_chain_goes_head_then_leader_in_charge_then_principal(org):
    chain = selectors.escalation_chain(Department.objects.get(pk=org.dept_a1.pk))
    assert [p.name for p in chain] == ["艾琳", "甲副院长", "甲院长"]
    # Gaps are skipped: department A2 has neither head nor leader in charge.
    assert [p.name for p in selectors.escalation_chain(org.dept_a2)] == ["甲院长"]


# --- edit and history ---------------------------------------------------------------------------------
def edit_data(unit: Unit, **changes) -> dict:
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "level": unit.level,
        "parent": unit.parent_id or "",
        "phone": unit.phone,
        "address": unit.address,
        "principal": unit.principal_id or "",
        "sort_order": unit.sort_order,
        "is_active": "on" if unit.is_active else "",
    }
    if unit.is_window:
        data["is_window"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v != "" or k in {"parent", "principal"}}


def test_editing_a_unit_leaves_an_audit_record_visible_in_its_history(client, org):
    """Acceptance: editing a unit leaves an audit record with before and after values."""
    client.force_login(org.bob)
    url = reverse("org:unit-edit", args=[org.unit_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(org.unit_a, phone="0571-12345678", is_window="on"))
    assert response.status_code == 302, response.context["form"].errors
    org.unit_a.refresh_from_db()
    assert org.unit_a.phone == "0571-12345678" and org.unit_a.is_window

    record = audit.history(org.unit_a).first()
    assert record.action == "update" and record.actor == org.bob
    assert record.before == {"phone": "", "is_window": False}
    assert record.after == {"phone": "0571-12345678", "is_window": True}

    page = client.get(reverse("org:unit", args=[org.unit_a.pk]), {"tab": "history"})
    html = page.content.decode()
    assert "0571-12345678" in html and org.bob.display_name in html  # the person, not the login
    first = page.context["history"][0]
    assert {c["label"] for c in first["changes"]} == {
        str(Unit._meta.get_field("phone").verbose_name),
        str(Unit._meta.get_field("is_window").verbose_name),
    }


def test_history_names_related_people_instead_of_ids(client, org):
    deputy = org.dept_a1.leader_in_charge
    client.force_login(org.alice)
    url = reverse("org:unit-edit", args=[org.unit_a.pk])
    client.post(url, edit_data(org.unit_a, principal=deputy.pk))
    history = client.get(reverse("org:unit", args=[org.unit_a.pk])).context["history"]
    change = history[0]["changes"][0]
    assert (change["before"], change["after"]) == ("甲院长", "甲副院长")


def test_a_failed_edit_keeps_what_was_typed_and_names_every_error(client, org):
    client.force_login(org.alice)
    url = reverse("org:unit-edit", args=[org.unit_a.pk])
    data = edit_data(org.unit_a, name="", code="UB", phone="0571-999")
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "code"}
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html
    assert 'value="0571-999"' in html  # what was typed is kept
    assert AuditRecord.objects.filter(action="update", object_id=str(org.unit_a.pk)).count() == 1


def test_a_unit_cannot_be_moved_under_its_own_child(client, org):
    client.force_login(org.alice)
    url = reverse("org:unit-edit", args=[org.unit_a.pk])
    response = client.post(url, edit_data(org.unit_a, parent=org.unit_a_child.pk))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    org.unit_a.refresh_from_db()
    assert org.unit_a.parent_id == org.bureau.pk


def test_a_unit_admin_cannot_move_their_unit_under_a_unit_outside_their_scope(client, org):
    client.force_login(org.bob)
    url = reverse("org:unit-edit", args=[org.unit_a.pk])
    # The parent is fixed on the form for a unit admin: a posted one is ignored.
    assert client.post(url, edit_data(org.unit_a, parent=org.unit_b.pk)).status_code == 302
    org.unit_a.refresh_from_db()
    assert org.unit_a.parent_id == org.bureau.pk
    # Keeping the current parent (the bureau, outside bob's scope) is fine.
    assert client.post(url, edit_data(org.unit_a)).status_code == 302


def test_a_unit_admin_cannot_take_their_unit_off_the_site_through_the_edit_page(client, org):
    """Issue #21 item 2: is_active=false and parent=null on one's own unit are ignored."""
    client.force_login(org.bob)
    url = reverse("org:unit-edit", args=[org.unit_a.pk])
    page = client.get(url)
    form = page.context["form"]
    assert all(form.fields[f].disabled for f in ("parent", "is_active", "code", "kind", "level"))
    assert not form.fields["phone"].disabled
    data = edit_data(org.unit_a, parent="", phone="0571-1", code="HACK")
    data.pop("is_active")
    assert client.post(url, data).status_code == 302
    org.unit_a.refresh_from_db()
    assert org.unit_a.is_active and org.unit_a.parent_id == org.bureau.pk
    assert org.unit_a.code != "HACK" and org.unit_a.phone == "0571-1"


def test_the_office_deactivates_a_unit_through_the_edit_page(client, org):
    client.force_login(org.alice)
    url = reverse("org:unit-edit", args=[org.unit_a.pk])
    data = edit_data(org.unit_a)
    data.pop("is_active")
    assert client.post(url, data).status_code == 302
    org.unit_a.refresh_from_db()
    assert not org.unit_a.is_active
    record = audit.history(org.unit_a).first()
    assert record.actor == org.alice and record.after == {"is_active": False}


@pytest.mark.parametrize("user", ["dave", "leader", "erin"])
def test_users_without_org_manage_cannot_edit(client, org, user):
    client.force_login(getattr(org, user))
    response = client.post(
        reverse("org:unit-edit", args=[org.unit_a.pk]), edit_data(org.unit_a, phone="1")
    )
    # Out of scope (dave, erin) is 404; in scope without permission (leader) is 403.
    assert response.status_code in {403, 404}
    org.unit_a.refresh_from_db()
    assert org.unit_a.phone == ""


def test_the_edit_button_is_hidden_without_permission(client, org):
    client.force_login(org.leader)
    html = client.get(reverse("org:unit", args=[org.unit_a.pk])).content.decode()
    assert 'data-testid="edit"' not in html
    assert client.get(reverse("org:unit-edit", args=[org.unit_a.pk])).status_code == 403
