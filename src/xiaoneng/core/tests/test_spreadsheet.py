"""The xlsx reader and writer: positions, types and the files other programs make."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from datetime import date, datetime

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

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


# --- writing: several sheets, text never a formula -------------------------------------------
def test_a_workbook_has_its_sheets_titles_and_text_cells():
    sheets = [
        xlsx.Sheet("甲", ["名称", "数"], [["=1+1", 3], ["@cmd", None]], title="标题"),
        xlsx.Sheet("甲", ["x"], [["+2"]]),  # a repeated name gets a suffix
    ]
    data, count = xlsx.write_workbook(sheets)
    assert count == 3
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["甲", "甲 (2)"]
    ws = wb["甲"]
    assert ws["A1"].value == "标题" and ws["A2"].value == "名称"
    assert ws["A3"].value == "=1+1" and ws["A3"].data_type == "s" and ws["A3"].quotePrefix
    assert ws["B3"].value == 3 and not ws["B3"].quotePrefix
    book = xlsx.open_workbook(data)
    assert book.sheet_names == ["甲", "甲 (2)"]
    assert list(book.rows("甲 (2)")) == [["x"], ["+2"]]


def test_the_download_response_names_the_file():
    response = xlsx.xlsx_response("投诉.xlsx", [xlsx.Sheet("s", ["a"], [["b"]])])
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert "filename*=UTF-8''%E6%8A%95%E8%AF%89.xlsx" in response["Content-Disposition"]


# --- reading: limits checked on the package before anything is parsed ----------------------------
def _bomb(unpacked_mb: int) -> bytes:
    """A valid-looking workbook whose one sheet is `unpacked_mb` MB of repetitive XML."""
    data, _n = xlsx.write_xlsx([["a"]], header=["h"])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'
    block = row * (1024 * 1024 // len(row))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(info.filename, source.read(info.filename))
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for _i in range(unpacked_mb):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_decompression_bomb_is_refused_before_it_is_read():
    bomb = _bomb(300)  # ~300 MB of XML in well under 1 MB
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(xlsx.XlsxError) as refused:
            xlsx.read_xlsx(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # never unpacked into memory
    assert xlsx.is_user_message(refused.value)
    with translation.override("zh-hans"), pytest.raises(xlsx.XlsxError) as refused:
        xlsx.read_xlsx(bomb)
    assert "解压" in str(refused.value) or "压缩" in str(refused.value)


def test_a_sheet_that_unpacks_beyond_the_size_limit_is_refused_even_at_a_plain_ratio(settings):
    settings.XLSX_MAX_UNPACKED_BYTES = 1024 * 1024
    rows = [[f"第{i}行 " + "说明" * 20, i] for i in range(20_000)]
    data, _n = xlsx.write_xlsx(rows, header=["说明", "序号"])
    with pytest.raises(xlsx.XlsxError, match="MB"):
        xlsx.read_xlsx(data)


def test_a_directory_that_understates_the_size_does_not_help(settings):
    """The zip directory claims a 1 KB sheet: reading stops at the claimed size with a CRC
    error (refused as not a workbook) rather than unpacking the real 8 MB."""
    settings.XLSX_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    settings.XLSX_MAX_COMPRESSION_RATIO = 1_000_000
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + row * (8 * 1024 * 1024 // len(row))
        + b"</sheetData></worksheet>"
    )
    data, _n = xlsx.write_xlsx([["a"]], header=["h"])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            body = source.read(info.filename)
            zf.writestr(info.filename, sheet if info.filename.endswith("sheet1.xml") else body)
    bomb = bytearray(out.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at, name_at in ((b"PK\x01\x02", 24, 46), (b"PK\x03\x04", 22, 30)):
        at = 0
        while (at := bomb.find(signature, at)) >= 0:
            if bomb[at + name_at : at + name_at + len(name)] == name:
                bomb[at + size_at : at + size_at + 4] = (1024).to_bytes(4, "little")
            at += 4
    assert zipfile.ZipFile(io.BytesIO(bytes(bomb))).getinfo(name.decode()).file_size == 1024
    with pytest.raises(xlsx.XlsxError):
        xlsx.read_xlsx(bytes(bomb))


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ('<row r="250001"><c r="A250001"><v>1</v></c></row>', "250000"),
        ('<row r="2"><c r="ZZ2"><v>1</v></c></row>', "10 columns"),
        ('<row r="2"><c r="XFD1048576"><v>1</v></c></row>', "rows|columns"),
        ('<row r="2"><c r="B2"><v>1</v></c></row><dimension ref="A1:XFD5"/>', "columns"),
    ],
)
def test_rows_and_columns_beyond_the_limits_are_refused(settings, cells, message):
    settings.XLSX_MAX_ROWS = 250_000
    settings.XLSX_MAX_COLUMNS = 10
    data, _n = xlsx.write_xlsx([["a"]], header=["h"])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", cells.encode() + b"</sheetData>")
            zf.writestr(info.filename, body)
    with translation.override("en"), pytest.raises(xlsx.XlsxError, match=message):
        xlsx.read_xlsx(out.getvalue())


def test_too_many_rows_is_refused(settings):
    settings.XLSX_MAX_ROWS = 100
    data, _n = xlsx.write_xlsx([[i] for i in range(150)], header=["h"])
    with pytest.raises(xlsx.XlsxError, match="100"):
        xlsx.read_xlsx(data)
    settings.XLSX_MAX_ROWS = 200
    assert len(list(xlsx.read_xlsx(data))) == 151
