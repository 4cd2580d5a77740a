"""Excel import of the organisation: whole-file validation, atomic import, page and CLI."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xiaoneng.core import importing
from xiaoneng.core.errors import Forbidden, ValidationFailed
from xiaoneng.core.models import AuditRecord, Department, Person, Role, Unit
from xiaoneng.core.services import org as org_services

pytestmark = pytest.mark.django_db

UNIT_HEAD = [
    "单位编码*",
    "单位名称*",
    "上级单位编码",
    "单位类型*",
    "级别",
    "联系电话",
    "窗口单位",
    "主要领导工号",
]
DEPT_HEAD = ["单位编码*", "科室名称*", "科室类型", "部门负责人工号", "分管领导工号"]
PERSON_HEAD = ["工号*", "姓名*", "单位编码*", "所属科室", "职务", "职称", "政治面貌"]


def xlsx(units=None, departments=None, people=None, *, headers=None) -> bytes:
    headers = headers or {}
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, head, rows in (
        ("单位", UNIT_HEAD, units),
        ("科室", DEPT_HEAD, departments),
        ("人员", PERSON_HEAD, people),
    ):
        if rows is None:
            continue
        ws = wb.create_sheet(sheet)
        ws.append(headers.get(sheet, head))
        for row in rows:
            ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_UNITS = [
    ["C01", "丙卫生院", "B0", "乡镇卫生院", "", "0571-1", "是", "9001"],
    ["C0101", "丙村卫生室", "C01", "村卫生室", "村级", "", "否", ""],
]
GOOD_DEPTS = [
    ["C01", "全科", "临床", "9002", "9003"],
    ["C01", "公卫科", "行政", "", "9003"],
    ["UA", "药剂科", "医技", "", ""],  # a new department in an existing unit
]
GOOD_PEOPLE = [
    ["9001", "丙院长", "C01", "", "院长", "主任医师", "中共党员"],
    ["9002", "丙医生", "C01", "全科、公卫科", "科主任", "主治医师", "群众"],
    ["9003", "丙副院长", "C01", "公卫科", "副院长", "", "中共预备党员"],
]


def good_file() -> bytes:
    return xlsx(GOOD_UNITS, GOOD_DEPTS, GOOD_PEOPLE)


def counts_of_everything():
    return (
        Unit.objects.count(),
        Department.objects.count(),
        Person.objects.count(),
        AuditRecord.objects.count(),
    )


# --- a good file --------------------------------------------------------------------------------
def test_a_good_file_imports_units_departments_people_and_leadership(org):
    result = importing.import_org(actor=org.alice, data=good_file())
    assert result.ok, result.errors
    assert result.counts == {
        "单位": {"created": 2, "updated": 0, "unchanged": 0},
        "科室": {"created": 3, "updated": 0, "unchanged": 0},
        "人员": {"created": 3, "updated": 0, "unchanged": 0},
    }
    centre = Unit.objects.get(code="C01")
    assert centre.parent == org.bureau and centre.kind == Unit.Kind.TOWNSHIP
    assert centre.level == Unit.Level.TOWNSHIP  # defaulted from the type
    assert centre.is_window and centre.phone == "0571-1"
    assert centre.principal.name == "丙院长"
    village = Unit.objects.get(code="C0101")
    assert village.path.startswith(centre.path) and village.depth == 2
    gp = Department.objects.get(unit=centre, name="全科")
    assert gp.head.name == "丙医生" and gp.leader_in_charge.name == "丙副院长"
    doctor = Person.objects.get(employee_no="9002")
    assert {d.name for d in doctor.departments.all()} == {"全科", "公卫科"}  # several departments
    assert doctor.political_status == Person.Political.MASSES
    assert Person.objects.get(employee_no="9003").political_status == Person.Political.PROBATIONARY
    assert Department.objects.filter(unit=org.unit_a, name="药剂科").exists()


def test_the_import_is_audited_as_the_importer(org):
    importing.import_org(actor=org.alice, data=good_file())
    centre = Unit.objects.get(code="C01")
    actions = list(
        AuditRecord.objects.filter(object_type="core.unit", object_id=str(centre.pk))
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert actions == [("create", "alice"), ("update", "alice")]  # created, then its principal set


def test_importing_again_updates_by_key_and_leaves_the_rest_unchanged(org):
    importing.import_org(actor=org.alice, data=good_file())
    units = [row[:] for row in GOOD_UNITS]
    units[1][5] = "0571-2"  # new phone for the village clinic
    people = [row[:] for row in GOOD_PEOPLE]
    people[1][3] = "全科"  # leaves 公卫科
    result = importing.import_org(actor=org.alice, data=xlsx(units, GOOD_DEPTS, people))
    assert result.ok, result.errors
    assert result.counts["单位"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert result.counts["科室"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert result.counts["人员"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert Unit.objects.get(code="C0101").phone == "0571-2"
    assert [d.name for d in Person.objects.get(employee_no="9002").departments.all()] == ["全科"]
    assert Unit.objects.filter(code="C01").count() == 1


def test_blank_cells_leave_existing_values_unchanged(org):
    org_services.unit_update(actor=None, check=False, unit=org.unit_a, phone="0571-888")
    result = importing.import_org(
        actor=org.alice, data=xlsx([["UA", "甲医院（新名）", "B0", "综合医院", "", "", "", ""]])
    )
    assert result.ok, result.errors
    org.unit_a.refresh_from_db()
    assert org.unit_a.name == "甲医院（新名）" and org.unit_a.phone == "0571-888"


def test_headers_match_in_any_order_with_aliases_and_codes_typed_as_numbers(org):
    data = xlsx(
        units=[["丁医院", 1234, "综合医院", "B0"]],
        headers={"单位": ["名称", "编码", "类型", "上级单位"]},
    )
    result = importing.import_org(actor=org.alice, data=data)
    assert result.ok, result.errors
    assert Unit.objects.get(code="1234").parent == org.bureau


def test_the_downloadable_template_imports_cleanly(org):
    result = importing.import_org(actor=org.alice, data=importing.build_template())
    assert result.ok, result.errors
    assert result.counts["人员"]["created"] == 3


# --- a bad file ---------------------------------------------------------------------------------------
def test_a_bad_file_is_rejected_whole_naming_sheet_row_and_column(org):
    before = counts_of_everything()
    units = [
        *GOOD_UNITS,  # rows 2-3 are fine…
        ["C02", "戊卫生院", "NOPE", "乡镇卫生院", "", "", "", ""],  # row 4: unknown parent
        ["C01", "重复", "B0", "乡镇卫生院", "", "", "", ""],  # row 5: duplicate code
        ["C03", "己卫生院", "B0", "诊所", "", "", "也许", ""],  # row 6: bad type, bad yes/no
        ["C04", "", "B0", "乡镇卫生院", "", "", "", ""],  # row 7: missing name
    ]
    depts = [*GOOD_DEPTS, ["ZZ", "外科", "临床", "", ""], ["C01", "妇科", "临床", "1", ""]]
    people = [*GOOD_PEOPLE, ["9004", "丙护士", "C01", "急诊科", "", "", "党员"]]
    result = importing.import_org(actor=org.alice, data=xlsx(units, depts, people))
    assert not result.ok
    found = {(e.sheet, e.row, e.column) for e in result.errors}
    assert found == {
        ("单位", 4, "上级单位编码"),
        ("单位", 5, "单位编码"),
        ("单位", 6, "单位类型"),
        ("单位", 6, "窗口单位"),
        ("单位", 7, "单位名称"),
        ("科室", 5, "单位编码"),  # unknown unit ZZ
        ("科室", 6, "部门负责人工号"),  # no person with employee number 1
        ("人员", 5, "所属科室"),  # 急诊科 is not in unit C01
        ("人员", 5, "政治面貌"),  # 党员 is not an allowed value
    }
    messages = " ".join(str(e) for e in result.errors)
    assert (
        "NOPE" in messages and "急诊科" in messages and "第 5 行" in messages
    )  # Chinese by default
    assert counts_of_everything() == before  # nothing imported


def test_a_leader_must_belong_to_the_unit(org):
    # 甲院长 has no employee number yet; give unit A's principal one and point unit B at him.
    principal = org.unit_a.principal
    org_services.person_update(actor=None, check=False, person=principal, employee_no="A100")
    result = importing.import_org(
        actor=org.alice,
        data=xlsx([["UB", "乙医院", "B0", "中医医院", "", "", "", "A100"]]),
    )
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("单位", 2, "主要领导工号")]
    org.unit_b.refresh_from_db()
    assert org.unit_b.principal is None


def test_a_unit_cannot_be_placed_under_its_own_descendant(org):
    result = importing.import_org(
        actor=org.alice, data=xlsx([["UA", "甲医院", "UA1", "综合医院", "", "", "", ""]])
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "上级单位编码")]


def test_a_missing_required_column_or_a_non_excel_file_is_reported(org):
    result = importing.import_org(
        actor=org.alice, data=xlsx(units=[["X", "某"]], headers={"单位": ["单位编码", "单位名称"]})
    )
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("单位", 1, "单位类型")]
    assert not importing.import_org(actor=org.alice, data=b"not a workbook").ok
    wb = Workbook()
    wb.active.title = "Sheet1"
    out = BytesIO()
    wb.save(out)
    assert "单位" in str(importing.import_org(actor=org.alice, data=out.getvalue()).errors[0])


def test_a_failure_during_the_write_rolls_everything_back(org, monkeypatch):
    def refuse(**kwargs):
        raise ValidationFailed("boom", errors={"name": ["refused"]})

    monkeypatch.setattr(org_services, "person_create", refuse)
    before = counts_of_everything()
    result = importing.import_org(actor=org.alice, data=good_file())
    assert not result.ok
    assert (result.errors[0].sheet, result.errors[0].row) == ("人员", 2)
    assert counts_of_everything() == before


def test_a_scoped_importer_cannot_reach_units_outside_their_scope(org):
    role = Role.objects.create(
        code="unit_importer", name="导入", data_scope="unit_and_below", permissions=["org.import"]
    )
    org.bob.roles.add(role)
    result = importing.import_org(
        actor=org.bob,
        data=xlsx(
            [["UB", "乙医院改名", "B0", "中医医院", "", "", "", ""]],
            [["UB", "新科室", "", "", ""]],
        ),
    )
    assert {(e.sheet, e.column) for e in result.errors} == {
        ("单位", "单位编码"),
        ("科室", "单位编码"),
    }
    org.unit_b.refresh_from_db()
    assert org.unit_b.name == "乙医院"


def test_the_service_requires_the_import_permission(org):
    with pytest.raises(Forbidden):
        importing.import_org(actor=org.bob, data=good_file())


# --- the page -----------------------------------------------------------------------------------
def upload(data: bytes, name="org.xlsx"):
    return {"file": SimpleUploadedFile(name, data)}


def test_the_import_page_permission_matrix(client, org):
    url = reverse("org:import")
    assert reverse("login") in client.get(url)["Location"]
    for user in (org.nobody, org.bob, org.carol, org.leader):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, upload(good_file())).status_code == 403
    assert not Unit.objects.filter(code="C01").exists()
    client.force_login(org.alice)
    assert client.get(url).status_code == 200


def test_the_import_page_offers_the_template(client, org):
    client.force_login(org.alice)
    page = client.get(reverse("org:import"))
    assert 'data-testid="template"' in page.content.decode()
    response = client.get(reverse("org:import"), {"template": "1"})
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames[:3] == ["单位", "科室", "人员"]
    assert wb["单位"]["A1"].value == "单位编码*"


def test_the_import_page_imports_a_good_file(client, org):
    client.force_login(org.alice)
    response = client.post(reverse("org:import"), upload(good_file()))
    assert response.status_code == 200
    assert 'data-testid="import-counts"' in response.content.decode()
    assert Unit.objects.filter(code="C01").exists()


def test_the_import_page_lists_each_bad_row_and_imports_nothing(client, org):
    client.force_login(org.alice)
    units = [*GOOD_UNITS, ["C02", "戊卫生院", "NOPE", "乡镇卫生院", "", "", "", ""]]
    response = client.post(reverse("org:import"), upload(xlsx(units, GOOD_DEPTS, GOOD_PEOPLE)))
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert html.count('data-testid="import-error"') == 1
    assert "NOPE" in html and "上级单位编码" in html
    assert not Unit.objects.filter(code="C01").exists()


def test_the_import_page_refuses_a_file_that_is_not_xlsx(client, org):
    client.force_login(org.alice)
    response = client.post(reverse("org:import"), upload(b"a,b", name="org.csv"))
    assert "file" in response.context["form"].errors


# --- the command line ------------------------------------------------------------------------------
def test_the_cli_prints_the_counts(org, tmp_path, capsys):
    path = tmp_path / "org.xlsx"
    path.write_bytes(good_file())
    call_command("import_org", str(path))
    out = capsys.readouterr().out
    assert "单位: created 2" in out and "人员: created 3" in out
    assert Unit.objects.get(code="C01").principal.employee_no == "9001"


def test_the_cli_prints_the_errors_and_imports_nothing(org, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([["C02", "戊卫生院", "NOPE", "乡镇卫生院", "", "", "", ""]]))
    with pytest.raises(CommandError):
        call_command("import_org", str(path))
    assert "NOPE" in capsys.readouterr().err
    assert not Unit.objects.filter(code="C02").exists()


def test_the_cli_records_the_named_actor(org, tmp_path):
    path = tmp_path / "org.xlsx"
    path.write_bytes(good_file())
    call_command("import_org", str(path), actor="alice")
    unit = Unit.objects.get(code="C01")
    assert (
        AuditRecord.objects.filter(object_id=str(unit.pk), object_type="core.unit")[0].actor
        == org.alice
    )
    with pytest.raises(CommandError):
        call_command("import_org", str(path), actor="bob")  # no org.import
