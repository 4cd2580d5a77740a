"""Ingest of hospital system logs (HIS/LIS/PACS/queueing) into the Parquet store.

A file (CSV, .xlsx or Parquet) is read with its source's column mapping; every row is
checked (encounter, event, timestamp and unit present; the timestamp a date and time; the unit
a unit code; the department, when given, one of the unit's). One bad row rejects the file:
nothing is written and the errors name the rows (row 1 is the header). Timestamps without a
zone are local time (Asia/Shanghai); those with one are converted to it. An event already
stored for the same source, encounter and event kind — or repeated in the file — is ignored.
The new events are written as Parquet files partitioned by unit and month, then the engine
recomputes only those partitions (``engine.recompute``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.models import Department, Job, Unit
from xiaoneng.core.spreadsheet import RowError, XlsxError, read_xlsx

from . import engine, storage
from .models import LogImport, LogSource
from .vocab import IMPORT_KIND, LOCAL_ZONE

CSV, XLSX, PARQUET = "csv", "xlsx", "parquet"
MAX_ERRORS = 1000
ZONED = r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$"
HAS_TIME = r"\d{1,2}:\d{2}"


def file_kind(data: bytes) -> str | None:
    """What the bytes are (never the file name): Parquet, an xlsx workbook or text (CSV)."""
    if data[:4] == b"PAR1" and data[-4:] == b"PAR1":
        return PARQUET
    if data[:2] == b"PK" and b"xl/" in data[:65536]:
        return XLSX
    if b"\x00" in data[:65536]:
        return None
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 65530:  # a multi-byte character cut at the end is fine
            return None
    return CSV


@dataclass
class Outcome:
    rows: int = 0
    added: int = 0
    duplicates: int = 0
    partitions: list[tuple[int, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _raw_view(con, path: Path, kind: str) -> list[str]:
    """Create the view ``raw0`` over the file; returns its column names."""
    if kind == CSV:
        con.execute(
            "CREATE OR REPLACE TEMP VIEW raw0 AS SELECT * FROM read_csv("
            f"{_lit(str(path))}, all_varchar = true, header = true, auto_detect = true)"
        )
    elif kind == PARQUET:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW raw0 AS SELECT * FROM read_parquet({_lit(str(path))})"
        )
    else:
        rows = read_xlsx(path.read_bytes())
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        columns: list[list[str | None]] = [[] for _h in header]
        for row in rows:
            if not any(v not in (None, "") for v in row):
                row = []
            for i in range(len(header)):
                v = row[i] if i < len(row) else None
                columns[i].append(
                    None
                    if v is None
                    else (v.isoformat(sep=" ") if hasattr(v, "isoformat") else str(v))
                )
        table = pa.table(
            {
                h or f"_{i}": pa.array(c, pa.string())
                for i, (h, c) in enumerate(zip(header, columns, strict=True))
            }
        )
        con.register("xlsx_table", table)
        con.execute("CREATE OR REPLACE TEMP VIEW raw0 AS SELECT * FROM xlsx_table")
    return [r[0] for r in con.execute("DESCRIBE raw0").fetchall()]


def columns_of(path: Path, kind: str) -> list[str]:
    """The column headings of a kept file (for the mapping step)."""
    try:
        return _raw_view(storage.connect(), path, kind)
    except (XlsxError, duckdb.Error):  # an unreadable file has no columns; the import says why
        return []


def _col(mapping: dict, key: str) -> str:
    name = mapping.get(key) or ""
    return f"nullif(trim(CAST({_q(name)} AS VARCHAR)), '')" if name else "CAST(NULL AS VARCHAR)"


ERROR_MESSAGES = {
    "encounter": lambda: _("The encounter id is missing."),
    "event": lambda: _("The event is missing."),
    "timestamp": lambda: _("This is not a date and time."),
    "unit": lambda: _("No unit has this code."),
    "department": lambda: _("The unit has no department of this name."),
}


def _parsed_sql(source: LogSource) -> str:
    """The mapped columns as trimmed text and the timestamp — the plain form
    ``YYYY-MM-DD HH:MM:SS`` by strptime, the others (zoned, fractional, with slashes) by the
    slower checks — one row per row of ``raw0``."""
    m = source.mapping
    return f"""
        SELECT encounter, event, ts_text, unit_code, dept_name, staff,
            coalesce(
                try_strptime(ts_text, '%Y-%m-%d %H:%M:%S'),
                CASE WHEN regexp_matches(ts_text, '{ZONED}')
                     THEN timezone('{LOCAL_ZONE}',
                                   TRY_CAST(replace(ts_text, 'Z', '+00:00') AS TIMESTAMPTZ))
                     WHEN regexp_matches(ts_text, '{HAS_TIME}')
                     THEN TRY_CAST(replace(ts_text, '/', '-') AS TIMESTAMP)
                END
            ) AS ts
        FROM (
            SELECT {_col(m, "encounter")} AS encounter, {_col(m, "event")} AS event,
                {_col(m, "timestamp")} AS ts_text, {_col(m, "unit")} AS unit_code,
                {_col(m, "department")} AS dept_name, {_col(m, "staff")} AS staff
            FROM raw0
        )"""


def _parse(con, source: LogSource) -> None:
    """The table ``parsed``: the file's rows parsed, with their row numbers (the header is
    row 1) — for the rows' errors and for the first of duplicates (the careful path)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE parsed AS "
        f"SELECT row_number() OVER () + 1 AS _row, * FROM ({_parsed_sql(source)})"
    )


ERRORS_SQL = """
SELECT _row, col FROM (
    SELECT _row, 'encounter' AS col FROM parsed WHERE encounter IS NULL
    UNION ALL SELECT _row, 'event' FROM parsed WHERE event IS NULL
    UNION ALL SELECT _row, 'timestamp' FROM parsed WHERE ts IS NULL
    UNION ALL SELECT _row, 'unit' FROM parsed p WHERE NOT EXISTS
        (SELECT 1 FROM units u WHERE u.code = p.unit_code)
    UNION ALL SELECT _row, 'department' FROM parsed p JOIN units u ON u.code = p.unit_code
        WHERE p.dept_name IS NOT NULL AND NOT EXISTS
        (SELECT 1 FROM depts d WHERE d.unit_id = u.id AND d.name = p.dept_name)
)
"""


def _reference_tables(con) -> dict[str, int]:
    """The tables ``units`` and ``depts`` in DuckDB; returns the unit ids by code."""
    units = list(Unit.objects.values_list("code", "pk"))
    con.register(
        "units_arrow", pa.table({"code": [c for c, _p in units], "id": [p for _c, p in units]})
    )
    con.execute("CREATE OR REPLACE TEMP TABLE units AS SELECT * FROM units_arrow")
    depts = list(Department.objects.values_list("unit_id", "name", "pk"))
    con.register(
        "depts_arrow",
        pa.table(
            {
                "unit_id": pa.array([d[0] for d in depts], pa.int64()),
                "name": pa.array([d[1] for d in depts], pa.string()),
                "id": pa.array([d[2] for d in depts], pa.int64()),
            }
        ),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE depts AS SELECT * FROM depts_arrow")
    return dict(units)


def _missing_columns(source: LogSource, names: list[str]) -> list[RowError]:
    out = []
    for key in LogSource.FIELDS:
        column = source.mapping.get(key) or ""
        if (key in LogSource.REQUIRED and not column) or (column and column not in names):
            out.append(
                RowError(
                    1,
                    column or key,
                    _("The file has no column %(name)s.") % {"name": column or key},
                )
            )
    return out


def ingest(
    *,
    path: Path,
    kind: str,
    source: LogSource,
    import_id: int,
    con=None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Validate and write one file's events (nothing written when a row is bad)."""
    con = con or storage.connect()
    bump = progress or (lambda done, total: None)
    out = Outcome()
    try:
        names = _raw_view(con, path, kind)
    except XlsxError as exc:
        out.errors = [RowError(None, "", str(exc))]
        out.error_count = 1
        return out
    except duckdb.Error as exc:  # an unreadable or malformed file
        out.errors = [
            RowError(None, "", _("The file could not be read: %(why)s") % {"why": str(exc)[:200]})
        ]
        out.error_count = 1
        return out
    out.errors = _missing_columns(source, names)
    if out.errors:
        out.error_count = len(out.errors)
        return out
    bump(0, 3)
    units_by_code = _reference_tables(con)
    m = source.mapping
    try:
        # one cheap pass: the rows, their distinct keys (hashed) and the unit codes
        rows, keys, codes = con.execute(
            "SELECT count(*), count(DISTINCT hash(encounter, event)), list(DISTINCT unit_code) "
            f"FROM (SELECT {_col(m, 'encounter')} AS encounter, {_col(m, 'event')} AS event, "
            f"{_col(m, 'unit')} AS unit_code FROM raw0)"
        ).fetchall()[0]
    except duckdb.Error as exc:  # a malformed file shows when it is read
        return _unreadable(out, exc)
    if rows == keys and all(c in units_by_code for c in codes):
        # No key twice in the file (distinct hashes mean distinct keys) and every unit known:
        # parse, check and write in one pass; a bad row stops the write (the careful path
        # below then names it).
        bump(1, 3)
        units = sorted({units_by_code[c] for c in codes})
        _stage(con, source, f"({_parsed_sql(source)})", units, careful=False)
        bump(2, 3)
        try:
            out.added, out.partitions = _write(con, import_id)
        except duckdb.Error:
            pass
        else:
            out.rows = rows
            out.duplicates = out.rows - out.added
            return out
    # The careful path: row numbers, every bad row named, the first of duplicates kept.
    try:
        _parse(con, source)
    except duckdb.Error as exc:
        return _unreadable(out, exc)
    out.rows = con.execute("SELECT count(*) FROM parsed").fetchall()[0][0]
    out.error_count = con.execute(f"SELECT count(*) FROM ({ERRORS_SQL})").fetchall()[0][0]
    if out.error_count:
        for row, col in con.execute(
            f"{ERRORS_SQL} ORDER BY _row, col LIMIT {MAX_ERRORS}"
        ).fetchall():
            out.errors.append(RowError(row, source.mapping.get(col) or col, ERROR_MESSAGES[col]()))
        return out
    bump(1, 3)
    units = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT u.id FROM parsed p JOIN units u ON u.code = p.unit_code"
        ).fetchall()
    ]
    _stage(con, source, "parsed", units, careful=True)
    bump(2, 3)
    out.added, out.partitions = _write(con, import_id)
    out.duplicates = out.rows - out.added
    return out


BAD_ROW = "xiaoneng: a bad row"


def _unreadable(out: Outcome, exc: Exception) -> Outcome:
    out.errors = [
        RowError(None, "", _("The file could not be read: %(why)s") % {"why": str(exc)[:200]})
    ]
    out.error_count = 1
    return out


def _stage(con, source: LogSource, parsed: str, units: list[int], *, careful: bool) -> None:
    """The view ``staged``: the rows to write, without events already stored for the same
    source, encounter and event (in the units' partitions). Careful: ``parsed`` is the checked
    table with row numbers and the first row of a repeated key is kept. Otherwise ``parsed``
    is the parsing query over a file without repeated keys, and a bad row (what ``ERRORS_SQL``
    would find) raises ``BAD_ROW`` — in the encounter, which the anti-join reads too, so a bad
    row is caught even where its event is already stored."""
    existing = storage.files_for(units)
    anti = ""
    if existing:
        anti = (
            f"WHERE NOT EXISTS (SELECT 1 FROM {storage.scan(existing)} e WHERE e.source = "
            f"{_lit(source.code)} AND e.encounter = s.encounter AND e.event = s.event)"
        )
    if careful:
        encounter = "p.encounter"
        join = "JOIN"
        first = "QUALIFY row_number() OVER (PARTITION BY p.encounter, p.event ORDER BY p._row) = 1"
    else:
        encounter = (
            "CASE WHEN p.encounter IS NULL OR p.event IS NULL OR p.ts IS NULL OR u.id IS NULL "
            "OR (p.dept_name IS NOT NULL AND d.id IS NULL) "
            f"THEN error({_lit(BAD_ROW)}) ELSE p.encounter END"
        )
        join = "LEFT JOIN"
        first = ""
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW staged AS
        SELECT * FROM (
            SELECT {_lit(source.code)} AS source, {encounter} AS encounter, p.event, p.ts,
                   u.id AS unit_id, d.id AS department_id, p.staff,
                   strftime(p.ts, '%Y-%m') AS month
            FROM {parsed} p {join} units u ON u.code = p.unit_code
            LEFT JOIN depts d ON d.unit_id = u.id AND d.name = p.dept_name
            {first}
        ) s {anti}"""
    )


def _write(con, import_id: int) -> tuple[int, list[tuple[int, str]]]:
    """Write ``staged`` (de-duplicated in the same query) as new files in the partitions,
    through a staging directory: a partition new to the store is moved in whole, an existing
    one gets the new files. Returns the number of events written and the partitions."""
    base = storage.root()
    tmp = base / f".staging-{import_id}-{secrets.token_hex(4)}"
    try:
        added = con.execute(
            "COPY (SELECT source, encounter, event, ts, department_id, staff, unit_id, month "
            f"FROM staged) TO {_lit(str(tmp))} (FORMAT parquet, PARTITION_BY (unit_id, month), "
            f"FILENAME_PATTERN 'imp{import_id}_{{i}}', COMPRESSION zstd)"
        ).fetchall()[0][0]
        pairs: list[tuple[int, str]] = []
        for unit_dir in sorted(tmp.glob("unit_id=*")) if added else []:
            target_unit = base / unit_dir.name
            unit_id = int(unit_dir.name.removeprefix("unit_id="))
            months = sorted(d.name for d in unit_dir.glob("month=*"))
            pairs.extend((unit_id, m.removeprefix("month=")) for m in months)
            if not target_unit.exists():
                unit_dir.rename(target_unit)
                continue
            for month in months:
                target = target_unit / month
                if not target.exists():
                    (unit_dir / month).rename(target)
                    continue
                for f in (unit_dir / month).glob("*.parquet"):
                    f.rename(target / f.name)
        return added, pairs
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- the job ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kept:
    kind: str
    path: str
    sha256: str

    @classmethod
    def find(cls, token: str) -> Kept | None:
        """A kept upload by its file name (what the mapping step carries in the session)."""
        if not re.fullmatch(r"[0-9a-f]{32}\.(csv|xlsx|parquet)", token or ""):
            return None
        path = storage.root() / "uploads" / token
        if not path.is_file():
            return None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return cls(kind=token.rsplit(".", 1)[1], path=str(path), sha256=digest)

    @property
    def token(self) -> str:
        return Path(self.path).name


def keep_upload(data: bytes, name: str) -> Kept:
    """Check an uploaded log by content and keep it in the store."""
    if not data:
        msg = _("The file is empty.")
        raise ValidationFailed(msg, errors={"file": [msg]})
    kind = file_kind(data)
    if kind is None:
        msg = _("Upload a CSV (UTF-8), .xlsx or Parquet file.")
        raise ValidationFailed(msg, errors={"file": [msg]})
    folder = storage.root() / "uploads"
    folder.mkdir(exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}.{kind}"
    path.write_bytes(data)
    return Kept(kind=kind, path=str(path), sha256=hashlib.sha256(data).hexdigest())


def run_job(job_id: int) -> dict:
    """Run a queued log import (called by the task worker)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED, kind=IMPORT_KIND).update(
        status=Job.Status.RUNNING, total=4
    )
    if not claimed:
        return {"skipped": True}
    record = LogImport.objects.select_related("source", "job").get(job_id=job_id)
    try:
        return _run(record)
    except Exception as exc:  # the job records the failure; the worker keeps running
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            errors=[{"row": 0, "column": "", "message": str(exc)[:500]}],
            finished_at=clock.now(),
        )
        raise


def _run(record: LogImport) -> dict:
    job_id = record.job_id

    def bump(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total + 1)

    out = ingest(
        path=Path(record.file_path),
        kind=record.file_kind,
        source=record.source,
        import_id=record.pk,
        progress=bump,
    )
    if out.error_count:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            errors=[e.as_dict() for e in out.errors],
            result={"rows": out.rows, "error_count": out.error_count},
            finished_at=clock.now(),
        )
        return {"errors": out.error_count}
    with transaction.atomic():
        figures = engine.recompute(out.partitions) if out.partitions else {}
        LogImport.objects.filter(pk=record.pk).update(
            rows=out.rows,
            added=out.added,
            duplicates=out.duplicates,
            partitions=[list(p) for p in out.partitions],
        )
        result = {
            "rows": out.rows,
            "added": out.added,
            "duplicates": out.duplicates,
            "partitions": len(out.partitions),
        } | figures
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.DONE, done=4, total=4, result=result, finished_at=clock.now()
        )
        record.refresh_from_db()
        audit.record("import", record, after=result, actor=record.created_by)
    return result
