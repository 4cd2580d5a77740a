"""The Excel round trip: export in the standard layout, re-import unchanged, bulk progress by item
number, whole-file validation (one bad row imports nothing and names the row), jobs."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from xiaoneng.core.clock import frozen_now
from xiaoneng.core.files import store_bytes
from xiaoneng.core.models import Job
from xiaoneng.rectification import excel
from xiaoneng.rectification.models import Issue, ProgressUpdate, RectificationItem

from .helpers import at, issue, item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2026():
    with frozen_now(at(2026, 3, 2, 9, 0)):
        yield


def workbook(rows, header=excel.HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(**over):
    values = {
        "序号": 1,
        "问题来源": "明查暗访",
        "问题描述": "导诊台无人值守",
        "整改类型": "即时整改",
        "整改措施": "安排专人值守",
        "整改目标": "全天有人",
        "整改时限": "2026-12-31",
        "责任单位": "甲医院",
        "责任人": "鲍勃",
        "责任领导": "甲院长",
        "进展情况": "",
        "状态": "待整改",
        "销号日期": None,
        "事项编号": "",
    }
    values.update(over)
    return [values[h] for h in excel.HEADERS]


def read(data: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_it_exports_the_standard_layout(org):
    with frozen_now(at(2026, 3, 2, 9, 0)):
        it = item(org, deadline=date(2026, 4, 30), responsible_person=org.dave.person)
    data, count = excel.export_items(actor=org.alice)
    rows = read(data)
    assert count == 1
    assert rows[0] == excel.HEADERS
    assert rows[1][:12] == [
        1, "明查暗访", it.issue.description, "即时整改", "安排专人值守导诊台", "导诊台全天有人",
        rows[1][6], "甲医院", "大卫", None, None, "待整改",
    ]  # fmt: skip
    assert rows[1][6].date() == date(2026, 4, 30)
    assert rows[1][13] == it.number


def test_the_export_goes_unit_by_unit_in_tree_order_whatever_the_chunk(org, monkeypatch):
    made = []
    for unit in (org.unit_b, org.unit_a_child, org.unit_a, org.unit_b, org.unit_a):
        made.append(item(org, issue(org, unit=unit), responsible_unit=unit))
    by_tree = sorted(made, key=lambda i: (i.responsible_unit.path, i.issue_id, i.id))
    expected = [i.number for i in by_tree]
    for chunk in (1, 2, 1000):
        monkeypatch.setattr(excel.export, "UNIT_CHUNK", chunk)
        data, count = excel.export_items(actor=org.alice)
        assert count == 5
        assert [r[13] for r in read(data)[1:]] == expected
        assert [r[0] for r in read(data)[1:]] == [1, 2, 3, 4, 5]


def test_an_exported_ledger_reimports_unchanged(org):
    with frozen_now(at(2026, 3, 2, 9, 0)):
        for _ in range(3):
            item(org, deadline=date(2026, 12, 30))
    before = list(RectificationItem.objects.values_list("number", "status", "latest_progress"))
    data, _count = excel.export_items(actor=org.alice)
    result, errors = excel.import_bytes(actor=org.alice, data=data)
    assert errors == []
    assert result == {
        "issues_created": 0, "items_created": 0, "progress_updated": 0, "unchanged": 3, "rows": 3,
    }  # fmt: skip
    assert list(RectificationItem.objects.values_list("number", "status", "latest_progress")) == (
        before
    )


def test_bulk_progress_updates_match_by_item_number(org):
    it = item(org, deadline=date(2026, 12, 30))
    data = workbook([row(事项编号=it.number, 进展情况="已安排专人，每日巡查")])
    result, errors = excel.import_bytes(actor=org.bob, data=data)
    assert errors == [] and result["progress_updated"] == 1
    it.refresh_from_db()
    assert it.status == "in_progress" and it.latest_progress == "已安排专人，每日巡查"
    assert ProgressUpdate.objects.get(item=it).author == org.bob


def test_a_good_file_imports_issues_and_items(org):
    with frozen_now(at(2026, 3, 2, 9, 0)):
        data = workbook(
            [
                row(),
                row(序号=2, 整改措施="建立巡查制度", 整改类型="长期整改", 整改时限=None),
                row(
                    序号=3,
                    问题描述="收费公示不全",
                    责任单位="UB",
                    进展情况="已补齐",
                    整改时限=date(2026, 6, 30),
                ),
            ]
        )
        result, errors = excel.import_bytes(actor=org.alice, data=data)
    assert errors == []
    assert result["issues_created"] == 2 and result["items_created"] == 3
    first = Issue.objects.get(description="导诊台无人值守")
    assert first.items.count() == 2 and first.number.startswith("WT2026")
    long_term = first.items.get(type="long_term")
    assert long_term.deadline == at(2027, 3, 2, 23, 59, 59)  # the type's default: 12 months
    b_item = RectificationItem.objects.get(responsible_unit=org.unit_b)
    assert b_item.status == "in_progress" and b_item.latest_progress == "已补齐"
    assert b_item.deadline == at(2026, 6, 30, 23, 59, 59)  # a real Excel date cell
    assert first.items.get(type="immediate").responsible_leader.name == "甲院长"


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(org):
    data = workbook(
        [
            row(),
            row(序号=2, 责任单位="不存在医院"),
            row(序号=3, 整改时限="明年", 整改措施=""),
        ]
    )
    result, errors = excel.import_bytes(actor=org.alice, data=data)
    assert [(e.row, e.column) for e in errors] == [
        (3, "责任单位"),
        (4, "整改措施"),
        (4, "整改时限"),
    ]
    assert "不存在医院" in errors[0].message
    assert not Issue.objects.exists() and not RectificationItem.objects.exists()


def test_a_unit_admin_cannot_import_into_another_unit(org):
    errors = excel.import_bytes(actor=org.bob, data=workbook([row(责任单位="乙医院")]))[1]
    assert [(e.row, e.column) for e in errors] == [(2, "责任单位")]
    other = item(org, issue(org, unit=org.unit_b), deadline=date(2026, 12, 30))
    errors = excel.import_bytes(
        actor=org.bob, data=workbook([row(事项编号=other.number, 进展情况="x")])
    )[1]
    assert [(e.row, e.column) for e in errors] == [(2, "事项编号")]


def test_a_wrong_header_is_rejected(org):
    errors = excel.import_bytes(actor=org.alice, data=workbook([row()], header=["a", "b"]))[1]
    assert errors[0].row == 1
    errors = excel.import_bytes(actor=org.alice, data=b"not a workbook")[1]
    assert errors[0].row == 1


def test_import_and_export_run_as_jobs(org, django_capture_on_commit_callbacks):
    upload = store_bytes(data=workbook([row(), row(序号=2)]), name="ledger.xlsx", actor=org.alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = excel.start_import(actor=org.alice, upload=upload)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.total == 2 and job.percent == 100
    assert job.result["items_created"] == 2
    bad = store_bytes(data=workbook([row(责任单位="?")]), name="bad.xlsx", actor=org.alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = excel.start_import(actor=org.alice, upload=bad)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors == [{"row": 2, "column": "责任单位", "message": job.errors[0]["message"]}]
    with django_capture_on_commit_callbacks(execute=True):
        export = excel.start_export(actor=org.alice, params={})
    export.refresh_from_db()
    assert export.status == Job.Status.DONE and export.result == {"rows": 2}
    assert len(read(export.output_file.file.read())) == 3


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite has one writer: progress shows at commit (see excel.write._progress_outside)",
)
@pytest.mark.django_db(transaction=True)
def test_import_progress_is_visible_while_its_transaction_is_still_open(org, monkeypatch):
    from django.db import DEFAULT_DB_ALIAS, connections

    monkeypatch.setattr(excel.write, "BATCH", 2)
    outside = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []
    insert = excel.write._insert

    def watched(model, rows):
        insert(model, rows)
        if model is RectificationItem:
            with outside.cursor() as cursor:
                cursor.execute("SELECT done, total FROM core_job ORDER BY id DESC LIMIT 1")
                done, total = cursor.fetchone()
                cursor.execute("SELECT count(*) FROM rectification_rectificationitem")
                seen.append((done, total, cursor.fetchone()[0]))

    monkeypatch.setattr(excel.write, "_insert", watched)
    upload = store_bytes(
        data=workbook([row(序号=i, 问题描述=f"问题{i}") for i in range(1, 7)]),
        name="ledger.xlsx",
        actor=org.alice,
    )
    job = excel.start_import(actor=org.alice, upload=upload)  # runs at commit (immediate queue)
    outside.close()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["items_created"] == 6
    # Seen from another connection after each batch: nothing committed yet, progress moving.
    assert [items for _done, _total, items in seen] == [0, 0, 0]
    assert [done for done, _total, _items in seen][1:] == [4, 5]
    assert all(total == 6 for _done, total, _items in seen)
