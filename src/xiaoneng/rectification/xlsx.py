"""A small, fast streaming .xlsx writer and reader for ledger-sized sheets (100,000+ rows).

openpyxl without lxml spends most of its time building and walking XML element objects per cell;
a ledger is one plain sheet of text, numbers and dates, so the writer formats the sheet XML
directly (inline strings, one date style, a bold header) and streams it into the zip, and the
reader walks the sheet with expat-backed ``iterparse`` (shared and inline strings, numbers,
booleans, dates by their number format). Files from Excel, WPS and openpyxl read the same way.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from xml.etree.ElementTree import iterparse
from xml.sax.saxutils import escape

EPOCH = date(1899, 12, 30)
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Built-in number formats that are dates (ECMA-376 18.8.30).
DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- writing -----------------------------------------------------------------------------------
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Style 0: default; 1: date (yyyy-mm-dd); 2: bold header.
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _cell(ref: str, value, style: int = 0) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{(value - EPOCH).days}</v></c>'
    text = escape(_ILLEGAL.sub("", str(value)))
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{text}</t></is></c>'


def write_xlsx(
    rows: Iterable[list], *, header: list[str], sheet: str = "Sheet1", widths=(), on_row=None
) -> tuple[bytes, int]:
    """One sheet: a bold header, then the rows; returns (file bytes, data row count)."""
    letters = [column_letter(i) for i in range(max(len(header), 64))]
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK.format(name=escape(sheet[:31])))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            head = [
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            ]
            if widths:
                head.append("<cols>")
                head += [
                    f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                    for i, w in enumerate(widths, start=1)
                ]
                head.append("</cols>")
            head.append('<sheetData><row r="1">')
            head += [_cell(f"{letters[i]}1", h, 2) for i, h in enumerate(header)]
            head.append("</row>")
            out.write("".join(head).encode())
            chunk: list[str] = []
            for r, row in enumerate(rows, start=2):
                cells = "".join(_cell(f"{letters[i]}{r}", v) for i, v in enumerate(row))
                chunk.append(f'<row r="{r}">{cells}</row>')
                count += 1
                if len(chunk) >= 2000:
                    out.write("".join(chunk).encode())
                    chunk = []
                    if on_row:
                        on_row(count)
            chunk.append("</sheetData></worksheet>")
            out.write("".join(chunk).encode())
    return buffer.getvalue(), count


# --- reading -----------------------------------------------------------------------------------
class XlsxError(ValueError):
    pass


def _first_sheet_path(zf: zipfile.ZipFile) -> str:
    try:
        with zf.open("xl/workbook.xml") as fh:
            sheet_rid = None
            for _event, el in iterparse(fh):
                if el.tag == f"{NS}sheet":
                    sheet_rid = el.get(f"{REL_NS}id")
                    break
        with zf.open("xl/_rels/workbook.xml.rels") as fh:
            for _event, el in iterparse(fh):
                if el.tag.endswith("Relationship") and el.get("Id") == sheet_rid:
                    target = el.get("Target").lstrip("/")
                    return target if target.startswith("xl/") else f"xl/{target}"
    except KeyError:
        pass
    return "xl/worksheets/sheet1.xml"


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    strings: list[str] = []
    with zf.open("xl/sharedStrings.xml") as fh:
        for _event, el in iterparse(fh):
            if el.tag == f"{NS}si":
                strings.append("".join(t.text or "" for t in el.iter(f"{NS}t")))
                el.clear()
    return strings


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of cell styles whose number format is a date."""
    if "xl/styles.xml" not in zf.namelist():
        return set()
    custom: dict[int, str] = {}
    styles: set[int] = set()
    with zf.open("xl/styles.xml") as fh:
        in_xfs = False
        index = 0
        for event, el in iterparse(fh, events=("start", "end")):
            if el.tag == f"{NS}numFmt" and event == "end":
                custom[int(el.get("numFmtId"))] = el.get("formatCode", "")
            elif el.tag == f"{NS}cellXfs":
                in_xfs = event == "start"
            elif in_xfs and el.tag == f"{NS}xf" and event == "end":
                fmt = int(el.get("numFmtId", "0"))
                code = custom.get(fmt, "").lower().replace('"', "")
                is_date = fmt in DATE_FORMAT_IDS or (
                    code and any(c in code for c in ("yy", "mm-dd", "dd", "年"))
                )
                if is_date:
                    styles.add(index)
                index += 1
    return styles


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def read_xlsx(data: bytes) -> Iterator[list]:
    """The rows of the first sheet as lists (None for empty cells); dates as datetime."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise XlsxError("not an xlsx file") from exc
    with zf:
        strings = _shared_strings(zf)
        date_styles = _date_styles(zf)
        path = _first_sheet_path(zf)
        if path not in zf.namelist():
            raise XlsxError("no worksheet")
        c_tag, v_tag, row_tag, is_tag, t_tag = (
            f"{NS}c", f"{NS}v", f"{NS}row", f"{NS}is", f"{NS}t",
        )  # fmt: skip
        with zf.open(path) as fh:
            expected = 1
            row: list = []
            col = 0
            for _event, el in iterparse(fh):
                tag = el.tag
                if tag == c_tag:
                    ref = el.get("r")
                    col = _col_index(ref) if ref else col
                    kind = el.get("t", "n")
                    value = None
                    if kind == "inlineStr":
                        node = el.find(is_tag)
                        value = (
                            "".join(t.text or "" for t in node.iter(t_tag))
                            if node is not None
                            else ""
                        )
                    else:
                        v = el.find(v_tag)
                        raw = v.text if v is not None else None
                        if raw is not None:
                            if kind == "s":
                                value = strings[int(raw)]
                            elif kind in ("str", "e"):
                                value = raw
                            elif kind == "b":
                                value = raw == "1"
                            else:
                                num = float(raw)
                                style = int(el.get("s", "0"))
                                if style in date_styles:
                                    value = datetime(1899, 12, 30) + timedelta(days=num)
                                else:
                                    value = int(num) if num.is_integer() else num
                    if value is not None:
                        if col >= len(row):
                            row.extend([None] * (col + 1 - len(row)))
                        row[col] = value
                    col += 1
                    el.clear()
                elif tag == row_tag:
                    number = int(el.get("r") or expected)
                    while expected < number:  # skipped empty rows
                        yield []
                        expected += 1
                    yield row
                    expected = number + 1
                    row, col = [], 0
                    el.clear()
