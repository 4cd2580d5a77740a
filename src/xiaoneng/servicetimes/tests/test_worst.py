"""The worst cases are not stored: the drill-down, the API's one result and the issue text read
them from the unit-month's partitions. They equal a hand calculation on the small fixed log."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from xiaoneng.servicetimes import engine
from xiaoneng.servicetimes.models import ComplianceResult

from .conftest import csv_bytes
from .test_engine import APRIL, MARCH


@pytest.fixture
def march(org, his, run_import):
    return run_import(org.alice, his, csv_bytes(MARCH))


def _result(code, unit, department=None):
    return ComplianceResult.objects.get(
        standard__code=code, unit=unit, month=date(2026, 3, 1), department=department
    )


def test_the_drill_down_lists_the_worst_cases_of_the_hand_calculation(org, march, client):
    # 急诊处置 ≤ 5 min in unit A, March: E4 has no treatment (counts as late, so first), then
    # E2 6.5 min (23:58 → 00:04:30), E3 5.0 min (zoned times, 08:00 → 08:05 local), E1 3.0 min
    client.force_login(org.alice)
    r = _result("er-treatment", org.unit_a)
    page = client.get(reverse("servicetimes:result", args=[r.pk])).content.decode()
    rows = re.findall(r'<tr data-testid="case" class="([^"]*)">(.*?)</tr>', page)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for _cls, row in rows]
    assert [c[0] for c in cells] == ["E4", "E2", "E3", "E1"]
    assert [c[1] for c in cells] == ["急诊科"] * 4
    assert [c[2] for c in cells] == [
        "2026-03-03 09:00:00",
        "2026-03-01 23:58:00",
        "2026-03-02 08:00:00",
        "2026-03-01 10:00:00",
    ]
    assert [c[3] for c in cells][1:] == [
        "2026-03-02 00:04:30",
        "2026-03-02 08:05:00",
        "2026-03-01 10:03:00",
    ]
    assert [re.sub(r"<.*", "", c[4]).strip() for c in cells] == ["—", "6.5", "5.0", "3.0"]
    assert [cls for cls, _row in rows] == ["table-danger", "table-danger", "", ""]


def test_a_department_and_another_unit_see_only_their_cases(org, march):
    in_dept = engine.worst_cases(_result("er-treatment", org.unit_a, org.dept_a1))
    assert [(c["encounter"], c["seconds"]) for c in in_dept] == [
        ("E4", None),
        ("E2", 390.0),
        ("E3", 300.0),
        ("E1", 180.0),
    ]
    assert {c["department_id"] for c in in_dept} == {org.dept_a1.pk}
    unit_b = engine.worst_cases(_result("er-treatment", org.unit_b))
    assert [(c["encounter"], c["seconds"]) for c in unit_b] == [("E9", 60.0)]


def test_a_case_ending_next_month_and_excluded_cases_last(org, his, march, run_import):
    # 检验急诊: missing reports are excluded, so they come last (by encounter); L1's report
    # arrives in April (20 min), read from the next month's partition
    lab = _result("lab-emergency", org.unit_a)
    assert [(c["encounter"], c["end"]) for c in engine.worst_cases(lab)] == [
        ("L1", None),
        ("L2", None),
    ]
    run_import(org.alice, his, csv_bytes(APRIL))
    cases = engine.worst_cases(_result("lab-emergency", org.unit_a))
    assert [(c["encounter"], c["end"], c["seconds"]) for c in cases] == [
        ("L1", "2026-04-01 00:10:00", 1200.0),
        ("L2", None, None),
    ]


def test_at_most_ten_the_longest_first(org, his, run_import):
    rows = []
    for i in range(12):  # E00 … E11 take 1 … 12 minutes
        rows.append((f"E{i:02d}", "er_arrival", f"2026-03-05 {8 + i:02d}:00:00", "UA", "", ""))
        rows.append(
            (
                f"E{i:02d}",
                "er_first_treatment",
                f"2026-03-05 {8 + i:02d}:{i + 1:02d}:00",
                "UA",
                "",
                "",
            )
        )
    run_import(org.alice, his, csv_bytes(rows))
    cases = engine.worst_cases(_result("er-treatment", org.unit_a))
    assert [c["encounter"] for c in cases] == [f"E{i:02d}" for i in range(11, 1, -1)]
    assert cases[0]["seconds"] == 12 * 60 and cases[0]["department_id"] is None


def test_the_api_gives_them_for_one_result_and_null_in_lists(org, march, api_as):
    r = _result("er-treatment", org.unit_a)
    one = api_as(org.bob).get(reverse("api-service-compliance-detail", args=[r.pk])).json()
    assert one["worst"] == [
        {"encounter": "E4", "start": "2026-03-03 09:00:00", "end": None, "seconds": None,
         "department_id": org.dept_a1.pk},
        {"encounter": "E2", "start": "2026-03-01 23:58:00", "end": "2026-03-02 00:04:30",
         "seconds": 390.0, "department_id": org.dept_a1.pk},
        {"encounter": "E3", "start": "2026-03-02 08:00:00", "end": "2026-03-02 08:05:00",
         "seconds": 300.0, "department_id": org.dept_a1.pk},
        {"encounter": "E1", "start": "2026-03-01 10:00:00", "end": "2026-03-01 10:03:00",
         "seconds": 180.0, "department_id": org.dept_a1.pk},
    ]  # fmt: skip
    assert (one["cases"], one["rate"]) == (4, "50.00")
    listed = api_as(org.bob).get(reverse("api-service-compliance")).json()["results"]
    assert listed and all(row["worst"] is None for row in listed)
    other = api_as(org.carol).get(reverse("api-service-compliance-detail", args=[r.pk]))
    assert other.status_code == 404
