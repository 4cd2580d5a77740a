"""The synthetic logs import cleanly and show a few slow departments."""

from __future__ import annotations

from django.core.management import call_command

from xiaoneng.servicetimes.models import ComplianceResult, LogSource


def test_generated_logs_import_and_some_departments_fall_below(org, run_import, tmp_path):
    out = tmp_path / "gen.csv"
    call_command("gen_service_logs", events=4000, out=str(out), months=2, seed=3)
    record = run_import(org.alice, LogSource.objects.get(code="his"), out.read_bytes(), "gen.csv")
    assert record.job.status == "done", record.job.errors
    assert 3900 < record.added <= 4000
    departments = ComplianceResult.objects.filter(department__isnull=False, cases__gte=20)
    rates = [r.rate for r in departments if r.rate is not None]
    assert rates and max(rates) >= 90
    assert min(rates) < 85  # the slow departments
