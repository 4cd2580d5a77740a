"""Where the events live: Parquet files partitioned by unit and month.

``<XIAONENG_VAR_DIR>/servicelogs/unit_id=<id>/month=<YYYY-MM>/imp<import>_<n>.parquet``
(settings ``SERVICELOG_DIR`` overrides the directory). Each file holds the columns
source, encounter, event, ts (local wall time, Asia/Shanghai), department_id, staff.
"""

from __future__ import annotations

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
    """The Parquet files of these units and months (None = all)."""
    base = root()
    unit_dirs = (
        [base / f"unit_id={u}" for u in sorted(set(unit_ids))]
        if unit_ids is not None
        else sorted(base.glob("unit_id=*"))
    )
    wanted = set(months) if months is not None else None
    out: list[str] = []
    for unit_dir in unit_dirs:
        if not unit_dir.is_dir():
            continue
        for month_dir in sorted(unit_dir.glob("month=*")):
            if wanted is not None and month_dir.name.removeprefix("month=") not in wanted:
                continue
            out.extend(str(p) for p in sorted(month_dir.glob("*.parquet")))
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
