import pytest

from xiaoneng.servicetimes import ingest, services
from xiaoneng.servicetimes.models import LogSource


@pytest.fixture(autouse=True)
def log_store(settings, tmp_path):
    settings.SERVICELOG_DIR = tmp_path / "servicelogs"
    return settings.SERVICELOG_DIR


@pytest.fixture
def his(db):
    return LogSource.objects.get(code="his")


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Upload a file as `actor` and run its job now; returns the refreshed LogImport."""

    def run(actor, source, data: bytes, name: str = "log.csv"):
        with django_capture_on_commit_callbacks(execute=False):
            record = services.import_start(actor=actor, source=source, data=data, name=name)
        ingest.run_job(record.job_id)
        record.refresh_from_db()
        record.job.refresh_from_db()
        return record

    return run


def csv_bytes(rows, header="就诊号,事件,时间,机构编码,科室,工号") -> bytes:
    return ("\n".join([header, *[",".join(r) for r in rows]]) + "\n").encode()
