"""Where the events live: Parquet files partitioned by unit and month.

``<XIAONENG_VAR_DIR>/servicelogs/unit_id=<id>/month=<YYYY-MM>/imp<import>_<n>.parquet``
(settings ``SERVICELOG_DIR`` overrides the directory). Each file holds the columns
source, encounter, event, ts (local wall time, Asia/Shanghai), department_id, staff.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import duckdb
from django.conf import settings

from .vocab import LOCAL_ZONE


def root() -> Path:
    path = Path(getattr(settings, "SERVICELOG_DIR", None) or settings.VAR_DIR / "servicelogs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def clear() -> None:
    """Remove every partition (the store of a database that has no imports: a fresh demo)."""
    import shutil

    base = root()
    for unit_dir in base.glob("unit_id=*"):
        shutil.rmtree(unit_dir, ignore_errors=True)


def partition_dir(unit_id: int, month: str) -> Path:
    return root() / f"unit_id={unit_id}" / f"month={month}"


def files_for(
    unit_ids: Iterable[int] | None = None, months: Iterable[str] | None = None
) -> list[str]:
    """The Parquet files of these units and months (None = all). os.scandir: a province's
    store has thousands of partition directories (pathlib's glob is several times slower)."""
    base = root()
    if unit_ids is not None:
        unit_dirs = [base / f"unit_id={u}" for u in sorted(set(unit_ids))]
    else:
        unit_dirs = sorted(
            Path(e.path) for e in os.scandir(base) if e.name.startswith("unit_id=") and e.is_dir()
        )
    wanted = set(months) if months is not None else None
    out: list[str] = []
    for unit_dir in unit_dirs:
        if not unit_dir.is_dir():
            continue
        month_dirs = sorted(
            e.path
            for e in os.scandir(unit_dir)
            if e.name.startswith("month=")
            and e.is_dir()
            and (wanted is None or e.name.removeprefix("month=") in wanted)
        )
        for month_dir in month_dirs:
            out.extend(
                sorted(
                    e.path
                    for e in os.scandir(month_dir)
                    if e.name.endswith(".parquet") and not e.name.startswith(".")
                )
            )
    return out


def scan(files: list[str]) -> str:
    """A read_parquet() expression over these files with the partition columns typed."""
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return (
        f"read_parquet([{listed}], hive_partitioning = true, "
        "hive_types = {'unit_id': BIGINT, 'month': VARCHAR})"
    )


def connect(memory_limit: str = "2GB") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"memory_limit": memory_limit})
    con.execute(f"SET TimeZone = '{LOCAL_ZONE}'")
    con.execute("SET enable_progress_bar = false")
    spill = root() / ".tmp"
    con.execute("SET temp_directory = " + "'" + str(spill).replace("'", "''") + "'")
    return con
