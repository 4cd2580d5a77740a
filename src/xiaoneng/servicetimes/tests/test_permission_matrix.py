"""Every page and endpoint of the service time limits as anonymous, office, unit A and unit B:
compliance figures and proposals are scoped (unit B: 404 on unit A's); standards are read by
everyone who sees the module; sources, imports and decisions are the office's."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.core import testing_matrix as m
from xiaoneng.servicetimes import ingest, services
from xiaoneng.servicetimes.models import (
    ComplianceResult,
    LedgerProposal,
    LogSource,
    ServiceStandard,
)

from .conftest import csv_bytes
from .test_engine import MARCH

OF, A, B = m.OFFICE, m.UNIT_A, m.UNIT_B


def imported(w):
    def make():
        record = services.import_start(
            actor=w.org.alice,
            source=LogSource.objects.get(code="his"),
            data=csv_bytes(MARCH),
            name="m.csv",
        )
        ingest.run_job(record.job_id)
        return record

    return w.once("import", make)


def result_a(w):
    imported(w)
    return ComplianceResult.objects.get(
        standard__code="er-treatment", unit=w.org.unit_a, department__isnull=True
    )


def proposal_a(w):
    imported(w)
    return LedgerProposal.objects.get(unit=w.org.unit_a, result__standard__code="er-treatment")


def standard(w):
    return ServiceStandard.objects.get(code="er-treatment")


def his(w):
    return LogSource.objects.get(code="his")


def upload(w):
    return {"source": "his", "file": SimpleUploadedFile("m.csv", csv_bytes(MARCH[:2]))}


ROWS = [
    m.Row("servicetimes:home", m.everyone()),
    m.Row("servicetimes:result", m.scoped(), kwargs=m.pk(result_a)),
    m.Row("servicetimes:standards", m.everyone()),
    m.Row("servicetimes:standard", m.permitted(OF), kwargs=m.pk(standard)),
    m.Row("servicetimes:override", m.permitted(OF)),
    m.Row("servicetimes:recompute", m.permitted(OF, status=302), method="post"),
    m.Row("servicetimes:sources", m.permitted(OF)),
    m.Row("servicetimes:source-new", m.permitted(OF)),
    m.Row("servicetimes:source", m.permitted(OF), kwargs=m.pk(his)),
    m.Row("servicetimes:imports", m.permitted(OF)),
    m.Row("servicetimes:map", m.permitted(OF, status=302)),
    m.Row("servicetimes:import", m.permitted(OF, denied=403), kwargs=m.pk(imported)),
    m.Row("servicetimes:proposals", m.everyone()),
    m.Row(
        "servicetimes:proposal-confirm",
        {OF: 302, A: 403, B: 404},
        kwargs=m.pk(proposal_a),
        method="post",
    ),
    m.Row(
        "servicetimes:proposal-dismiss",
        {OF: 302, A: 403, B: 404},
        kwargs=m.pk(proposal_a),
        method="post",
        data={"reason": "数据源有误"},
    ),  # fmt: skip
    m.Row("api-service-standards", m.everyone()),
    m.Row("api-service-logs", m.everyone()),
    m.Row(
        "api-service-logs",
        m.permitted(OF, status=202),
        method="post",
        data=upload,
        extra={"format": "multipart"},
        label="upload",
    ),  # fmt: skip
    m.Row("api-service-log", m.permitted(OF, denied=404), kwargs=m.pk(imported)),
    m.Row("api-service-compliance", m.everyone()),
    m.Row("api-service-compliance-detail", m.scoped(), kwargs=m.pk(result_a)),
]


@m.parametrize(ROWS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("servicetimes", ROWS)
