"""The figures equal a hand calculation on a small fixed log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xiaoneng.rectification.models import Issue
from xiaoneng.servicetimes import engine, services
from xiaoneng.servicetimes.models import ComplianceResult, LedgerProposal, ServiceStandard

from .conftest import csv_bytes

MARCH = [
    # 急诊处置 ≤ 5 min, a missing end counts as non-compliant
    ("E1", "er_arrival", "2026-03-01 10:00:00", "UA", "急诊科", "D01"),
    ("E1", "er_first_treatment", "2026-03-01 10:03:00", "UA", "急诊科", "D01"),
    ("E2", "er_arrival", "2026-03-01 23:58:00", "UA", "急诊科", ""),  # crosses midnight
    ("E2", "er_first_treatment", "2026-03-02 00:04:30", "UA", "急诊科", ""),
    ("E3", "er_arrival", "2026-03-02T08:00:00+08:00", "UA", "急诊科", ""),  # zoned
    ("E3", "er_first_treatment", "2026-03-02T00:05:00Z", "UA", "急诊科", ""),  # 08:05 local
    ("E4", "er_arrival", "2026-03-03 09:00", "UA", "急诊科", ""),  # no treatment
    # 检验急诊 ≤ 30 min, a missing end is excluded
    ("L1", "lab_sample_received", "2026-03-31 23:50:00", "UA", "内科", ""),  # report in April
    ("L2", "lab_sample_received", "2026-03-05 10:00:00", "UA", "内科", ""),  # no report
    ("E9", "er_arrival", "2026-03-04 10:00:00", "UB", "急诊科", ""),
    ("E9", "er_first_treatment", "2026-03-04 10:01:00", "UB", "急诊科", ""),
]
APRIL = [("L1", "lab_report", "2026-04-01 00:10:00", "UA", "内科", "")]


def _result(code, unit, month=date(2026, 3, 1), department=None):
    return ComplianceResult.objects.get(
        standard__code=code, unit=unit, month=month, department=department
    )


@pytest.fixture
def march(org, his, run_import):
    return run_import(org.alice, his, csv_bytes(MARCH))


def test_emergency_figures_equal_the_hand_calculation(org, march):
    assert march.job.status == "done", march.job.errors
    r = _result("er-treatment", org.unit_a)
    # E1 180 s ok · E2 390 s late (across midnight) · E3 300 s ok (zoned) · E4 missing = late
    assert (r.cases, r.compliant, r.missing_end, r.excluded) == (4, 2, 1, 0)
    assert r.rate == Decimal("50.00")
    assert r.median_seconds == 300
    assert r.p90_seconds == pytest.approx(300 + 0.8 * 90)  # quantile of 180, 300, 390
    worst = engine.worst_cases(r)
    assert worst[0]["encounter"] == "E4" and worst[0]["seconds"] is None
    assert worst[1] == worst[1] | {"encounter": "E2", "seconds": 390.0}
    by_dept = _result("er-treatment", org.unit_a, department=org.dept_a1)
    assert (by_dept.cases, by_dept.compliant) == (4, 2)
    assert _result("er-treatment", org.unit_b).rate == Decimal("100.00")


def test_a_missing_end_is_excluded_when_the_standard_says_so(org, march):
    r = _result("lab-emergency", org.unit_a)
    assert (r.cases, r.compliant, r.missing_end, r.excluded) == (0, 0, 2, 2)
    assert r.rate is None


def test_a_new_month_recomputes_only_its_partitions(org, his, march, run_import):
    other = _result("er-treatment", org.unit_b)
    april = run_import(org.alice, his, csv_bytes(APRIL))
    assert april.partitions == [[org.unit_a.pk, "2026-04"]]
    lab = _result("lab-emergency", org.unit_a)  # the March case ended in April
    assert (lab.cases, lab.compliant, lab.excluded) == (1, 1, 1)
    assert lab.median_seconds == 1200
    assert _result("er-treatment", org.unit_b).computed_at == other.computed_at


def test_reimporting_a_file_changes_nothing(org, his, march, run_import):
    before = list(ComplianceResult.objects.order_by("pk").values())
    again = run_import(org.alice, his, csv_bytes(MARCH))
    assert again.job.status == "done"
    assert (again.added, again.duplicates, again.partitions) == (0, len(MARCH), [])
    assert list(ComplianceResult.objects.order_by("pk").values()) == before


def test_duplicates_inside_a_file_count_once(org, his, run_import):
    rows = [*MARCH[:2], MARCH[1]]
    record = run_import(org.alice, his, csv_bytes(rows))
    assert (record.added, record.duplicates) == (2, 1)


def test_a_bad_file_imports_nothing_and_names_the_rows(org, his, run_import, log_store):
    bad = [
        *MARCH[:3],
        ("E5", "er_arrival", "昨天", "UA", "急诊科", ""),
        ("E6", "er_arrival", "2026-03-01 10:00", "NOPE", "", ""),
    ]
    record = run_import(org.alice, his, csv_bytes(bad))
    assert record.job.status == "failed"
    assert {(e["row"], e["column"]) for e in record.job.errors} == {(5, "时间"), (6, "机构编码")}
    assert not list(log_store.glob("unit_id=*/**/*.parquet"))
    assert not ComplianceResult.objects.exists()


def test_a_bad_row_is_rejected_even_when_its_event_is_already_stored(org, his, march, run_import):
    stored = ("E1", "er_arrival", "2026-03-01 10:00:00", "UA", "无此科室", "D01")  # no such dept
    record = run_import(org.alice, his, csv_bytes([stored, MARCH[1]]))
    assert record.job.status == "failed"
    assert [(e["row"], e["column"]) for e in record.job.errors] == [(2, "科室")]


def test_a_missing_column_rejects_the_file(org, his, run_import):
    record = run_import(
        org.alice, his, csv_bytes([("E1", "x", "2026-03-01 10:00")], "就诊号,事件,时间")
    )
    assert record.job.status == "failed"
    assert record.job.errors[0]["column"] == "机构编码"


def test_a_unit_override_changes_the_limit(org, his, run_import):
    standard = ServiceStandard.objects.get(code="er-treatment")
    services.override_set(actor=org.alice, standard=standard, unit=org.unit_a, limit_minutes=7)
    run_import(org.alice, his, csv_bytes(MARCH))
    r = _result("er-treatment", org.unit_a)
    assert (r.compliant, r.limit_minutes) == (3, 7)


def test_below_threshold_proposes_an_issue_the_office_confirms(org, march):
    proposal = LedgerProposal.objects.get(result__standard__code="er-treatment")
    assert proposal.unit == org.unit_a
    assert not LedgerProposal.objects.filter(unit=org.unit_b).exists()
    issue = services.proposal_confirm(actor=org.alice, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.issue) == ("confirmed", issue)
    assert Issue.objects.get(pk=issue.pk).source == "service_time"
    assert "E4" in issue.description and "50.00%" in issue.description


def test_xlsx_and_parquet_logs_import_alike(org, his, run_import, tmp_path):
    import duckdb

    from xiaoneng.core.spreadsheet import Sheet, write_workbook

    header = ["就诊号", "事件", "时间", "机构编码", "科室", "工号"]
    data, _n = write_workbook([Sheet("日志", header, [list(r) for r in MARCH[:4]])])
    record = run_import(org.alice, his, data, "log.xlsx")
    assert (record.file_kind, record.added) == ("xlsx", 4)
    csv = tmp_path / "x.csv"
    csv.write_bytes(csv_bytes(MARCH[4:7]))
    out = tmp_path / "x.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{csv}', all_varchar=true)) TO '{out}' (FORMAT parquet)"
    )
    record = run_import(org.alice, his, out.read_bytes(), "log.parquet")
    assert (record.file_kind, record.added) == ("parquet", 3)
    assert _result("er-treatment", org.unit_a).cases == 4


def test_the_assessment_reads_the_years_rate(org, march):
    from xiaoneng.servicetimes.assessment import service_time_rate

    figures = service_time_rate([org.unit_a.pk, org.unit_b.pk], 2026)
    # unit A: 急诊 2 of 4, 检验 0 of 0 (the missing report is excluded)
    assert figures[org.unit_a.pk].value == Decimal("50.0")
    assert figures[org.unit_b.pk].value == Decimal("100.0")
    assert service_time_rate([org.unit_a.pk], 2025) == {}


def test_a_working_time_standard_leaves_out_the_weekend(org, his, run_import):
    standard = ServiceStandard.objects.get(code="first-ward-round")  # 48 hours
    rows = [
        ("W1", "admission", "2026-03-06 10:00:00", "UA", "内科", ""),  # a Friday
        ("W1", "first_round_record", "2026-03-09 09:00:00", "UA", "内科", ""),  # Monday: 71 h
    ]
    run_import(org.alice, his, csv_bytes(rows))
    natural = _result("first-ward-round", org.unit_a)
    assert (natural.compliant, natural.median_seconds) == (0, 71 * 3600)
    services.standard_update(actor=org.alice, standard=standard, calendar_kind="working")
    services.recompute_all(actor=org.alice)
    working = _result("first-ward-round", org.unit_a)
    assert (working.compliant, working.median_seconds) == (1, 23 * 3600)  # without Sat and Sun


def test_large_inputs_materialise_the_cases_with_the_same_figures(org, march, monkeypatch):
    before = list(ComplianceResult.objects.order_by("pk").values("cases", "compliant", "rate"))
    worst = engine.worst_cases(_result("er-treatment", org.unit_a))
    monkeypatch.setattr(engine, "MATERIALISE_BYTES", 0)  # every input counts as large
    services.recompute_all(actor=org.alice)
    after = list(ComplianceResult.objects.order_by("pk").values("cases", "compliant", "rate"))
    assert after == before
    assert engine.worst_cases(_result("er-treatment", org.unit_a)) == worst


def test_the_recompute_by_groups_of_units_gives_the_same_figures(org, march, monkeypatch):
    from xiaoneng.servicetimes import storage

    files = storage.files_for()
    monkeypatch.setattr(engine, "CHUNK_MIN_BYTES", 0)
    monkeypatch.setattr(engine, "CHUNK_BYTES", 1)  # one unit per group
    groups = engine.chunks(files)
    assert len(groups) == 2  # units A and B, each whole (March and April files together)
    assert sorted(f for g in groups for f in g) == sorted(files)
    assert all(len({f.split("unit_id=")[1].split("/")[0] for f in g}) == 1 for g in groups)
    fields = ("standard_id", "unit_id", "department_id", "month", "cases", "compliant", "rate")
    before = list(ComplianceResult.objects.order_by("pk").values(*fields))
    ComplianceResult.objects.filter(proposal__isnull=True).delete()
    services.recompute_all(actor=org.alice)
    after = sorted(ComplianceResult.objects.values(*fields), key=lambda r: str(r))
    assert after == sorted(before, key=lambda r: str(r))
