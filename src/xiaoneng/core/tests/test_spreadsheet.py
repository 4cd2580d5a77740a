"""The xlsx reader and writer: positions, types and the files other programs make."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from xiaoneng.core import spreadsheet as xlsx


def test_what_the_writer_writes_reads_back_the_same():
    rows = [[1, "窗口<服务>&", date(2030, 12, 31), None, 2.5, "ZG2026000001"]]
    data, count = xlsx.write_xlsx(rows, header=["序号", "描述", "时限", "空", "数", "编号"])
    assert count == 1
    header, row = list(xlsx.read_xlsx(data))
    assert header == ["序号", "描述", "时限", "空", "数", "编号"]
    assert row == [1, "窗口<服务>&", datetime(2030, 12, 31), None, 2.5, "ZG2026000001"]


def test_a_sheet_from_another_program_keeps_excel_row_and_column_positions():
    wb = Workbook()  # shared strings and date styles, as Excel and WPS write them
    ws = wb.active
    ws["C1"] = "表头"
    ws["B3"] = "第三行"
    ws["D3"] = datetime(2031, 1, 2)
    ws["E3"] = 7
    buffer = io.BytesIO()
    wb.save(buffer)
    rows = list(xlsx.read_xlsx(buffer.getvalue()))
    assert rows[0][2] == "表头" and rows[0][:2] == [None, None]
    assert all(v is None for v in rows[1])  # the empty row 2 is kept
    assert rows[2][1:5] == ["第三行", None, datetime(2031, 1, 2), 7]


def test_anything_else_is_refused():
    with pytest.raises(xlsx.XlsxError):
        list(xlsx.read_xlsx(b"PK\x03\x04 not really a zip"))
