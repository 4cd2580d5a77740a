"""The one spreadsheet layer: every .xlsx the platform writes or reads goes through here.

Writing — ``write_workbook([Sheet(...), ...])`` / ``xlsx_response(filename, sheets)`` for views:
a small streaming writer (100,000+ rows; openpyxl without lxml spends most of its time building
XML element objects per cell). Text is ALWAYS an inline string cell, never a formula: a title
``=HYPERLINK(...)`` typed by the public stays text, and text starting with ``= + - @``, tab or CR
carries Excel's quote prefix so editing the cell does not turn it into a formula either.

Reading — ``open_workbook(data)`` / ``read_xlsx(data)``: the package is inspected first (members'
unpacked size and compression ratio, rows, columns and cells of each sheet, streamed and
bounded, nothing held in memory) and refused with a clear message when it exceeds the limits
(settings ``XLSX_MAX_*``); only then does calamine read it. Files from Excel, WPS and openpyxl
read the same way (shared and inline strings, numbers, booleans, dates by their number format).

Importers report problems as ``RowError`` (sheet, Excel row, column heading, message) and
results as ``ImportResult`` (errors and created / updated / unchanged counts per sheet).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EPOCH = date(1899, 12, 30)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text Excel (or a CSV reader) would take for a formula when typed: written with a quote prefix.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- results shared by the importers ---------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    """One problem in an imported file: where (sheet, Excel row, column heading) and what."""

    row: int | None  # the Excel row number (headers are row 1); None for the whole file
    column: str  # the column heading, or "" for a whole row or file
    message: str
    sheet: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row or 0, "column": self.column, "message": self.message}
        if self.sheet:
            out["sheet"] = self.sheet
        return out

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(self.column)
        return f"{' · '.join(where)}: {self.message}" if where else self.message


COUNT_KEYS = ("created", "updated", "unchanged")


@dataclass
class ImportResult:
    """The outcome of an import: the problems (nothing written when there are any) and, per
    sheet, how many records were created, updated and left unchanged."""

    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str, message: str, *, sheet: str = "") -> None:
        self.errors.append(RowError(row, column, message, sheet))

    def add(self, key: str, *, sheet: str = "", n: int = 1) -> None:
        counts = self.counts.setdefault(sheet, dict.fromkeys(COUNT_KEYS, 0))
        counts[key] = counts.get(key, 0) + n

    def total(self, key: str) -> int:
        return sum(c.get(key, 0) for c in self.counts.values())

    @property
    def created(self) -> int:
        return self.total("created")

    @property
    def updated(self) -> int:
        return self.total("updated")

    @property
    def unchanged(self) -> int:
        return self.total("unchanged")


# --- writing -----------------------------------------------------------------------------------
@dataclass
class Sheet:
    """One worksheet: an optional bold title line, a header row, then the rows.

    ``required`` lists header positions highlighted as required (import templates);
    ``freeze`` keeps the header in view while scrolling."""

    name: str
    header: Sequence[Any] = ()
    rows: Iterable[Sequence[Any]] = ()
    title: str = ""
    widths: Sequence[float] = ()
    required: Sequence[int] = ()
    freeze: bool = False


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Cell styles (cellXfs): 0 default; 1 date; 2 header; 3 title; 4 required header;
# 5 text with a quote prefix (never a formula, even when edited); 6 date and time. Header and
# title styles carry the quote prefix too (headings can be user text, e.g. deliverable names).
STYLE_DATE, STYLE_HEADER, STYLE_TITLE, STYLE_REQUIRED, STYLE_QUOTED, STYLE_DATETIME = range(1, 7)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_SML}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="13"/><name val="Calibri"/></font></fonts>'
    '<fills count="4"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFF2CC"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
    'quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1" '
    'quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _serial(value: datetime) -> str:
    if value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value).replace(tzinfo=None)
    days = (value.date() - EPOCH).days
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    return f"{days + seconds / 86400:.10g}"


def text_cell(ref: str, value: Any, style: int = 0) -> str:
    """An inline string cell: the only way text is written (never a formula)."""
    text = _ILLEGAL.sub("", str(value))
    if not style and text.startswith(FORMULA_TRIGGERS):
        style = STYLE_QUOTED
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _cell(ref: str, value: Any, style: int = 0) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal) and not style:
        if not math.isfinite(value):
            return text_cell(ref, value)
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime) and not style:
        if value.time() == time.min and value.tzinfo is None:
            return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value.date() - EPOCH).days}</v></c>'
        return f'<c r="{ref}" s="{STYLE_DATETIME}"><v>{_serial(value)}</v></c>'
    if isinstance(value, date) and not style:
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - EPOCH).days}</v></c>'
    return text_cell(ref, value, style)


# Text that can go into a cell as it is: nothing to escape or drop (most of it), no formula prefix.
_PLAIN_TEXT = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _row_xml(r: int, row: Sequence[Any], letter) -> str:
    """One data row; the common cells (plain text, integers, dates) written inline, the rest by
    ``_cell`` (same XML either way: the export's 14 cells × 100,000 rows are its hot loop)."""
    cells = []
    for i, v in enumerate(row):
        kind = type(v)
        if kind is str:
            if not v:
                continue
            if _PLAIN_TEXT.search(v) is None and not v.startswith(FORMULA_TRIGGERS):
                cells.append(
                    f'<c r="{letter(i)}{r}" t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>'
                )
                continue
        elif v is None:
            continue
        elif kind is int:
            cells.append(f'<c r="{letter(i)}{r}"><v>{v}</v></c>')
            continue
        elif kind is date:
            cells.append(f'<c r="{letter(i)}{r}" s="{STYLE_DATE}"><v>{(v - EPOCH).days}</v></c>')
            continue
        cells.append(_cell(f"{letter(i)}{r}", v))
    return f'<row r="{r}">{"".join(cells)}</row>'


def _sheet_xml(sheet: Sheet, on_row=None) -> Generator[str, None, int]:
    """The worksheet XML in chunks; rows counted into the generator's return value."""
    letters = [column_letter(i) for i in range(max(len(sheet.header), 64))]

    def letter(i: int) -> str:
        return letters[i] if i < len(letters) else column_letter(i)

    header_row = 2 if sheet.title else 1
    head = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_SML}">']
    if sheet.freeze and sheet.header:
        head.append(
            f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        )
    if sheet.widths:
        head.append("<cols>")
        head += [
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(sheet.widths, start=1)
        ]
        head.append("</cols>")
    head.append("<sheetData>")
    if sheet.title:
        head.append(f'<row r="1">{text_cell("A1", sheet.title, STYLE_TITLE)}</row>')
    if sheet.header:
        required = set(sheet.required)
        cells = "".join(
            text_cell(
                f"{letter(i)}{header_row}",
                h,
                STYLE_REQUIRED if i in required else STYLE_HEADER,
            )
            for i, h in enumerate(sheet.header)
            if h not in (None, "")
        )
        head.append(f'<row r="{header_row}">{cells}</row>')
    yield "".join(head)
    first = header_row + 1 if sheet.header else header_row
    count = 0
    chunk: list[str] = []
    for r, row in enumerate(sheet.rows, start=first):
        chunk.append(_row_xml(r, row, letter))
        count += 1
        if len(chunk) >= 2000:
            yield "".join(chunk)
            chunk = []
            if on_row:
                on_row(count)
    chunk.append("</sheetData></worksheet>")
    yield "".join(chunk)
    return count


def _unique_names(sheets: Sequence[Sheet]) -> list[str]:
    names: list[str] = []
    for i, sheet in enumerate(sheets, start=1):
        name = re.sub(r"[\[\]:*?/\\]", " ", _ILLEGAL.sub("", str(sheet.name))).strip()[:31]
        name = name or f"Sheet{i}"
        base, n = name, 2
        while name.lower() in (x.lower() for x in names):
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def write_workbook(sheets: Sequence[Sheet], *, on_row=None) -> tuple[bytes, int]:
    """A workbook of ``sheets``; returns (file bytes, data rows written over all sheets).

    ``on_row(count)`` is called every 2,000 rows (job progress)."""
    if not sheets:
        sheets = [Sheet("Sheet1")]
    names = _unique_names(sheets)
    n = len(sheets)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/></Types>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_SML}" xmlns:r="{_REL}"><sheets>'
        + "".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    total = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        zf.writestr("xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, start=1):
            done = total

            def progress(count: int, done: int = done) -> None:
                if on_row:
                    on_row(done + count)

            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                chunks = _sheet_xml(sheet, progress)
                while True:
                    try:
                        out.write(next(chunks).encode())
                    except StopIteration as stop:
                        total += stop.value or 0
                        break
    return buffer.getvalue(), total


def write_xlsx(
    rows: Iterable[Sequence[Any]],
    *,
    header: Sequence[str],
    sheet: str = "Sheet1",
    widths: Sequence[float] = (),
    on_row=None,
) -> tuple[bytes, int]:
    """One sheet: a header, then the rows; returns (file bytes, data row count)."""
    return write_workbook([Sheet(sheet, header, rows, widths=widths)], on_row=on_row)


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "export.xlsx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def xlsx_response(filename: str, sheets: Sequence[Sheet] | bytes) -> HttpResponse:
    """A download of ``sheets`` (or of workbook bytes already written) named ``filename``."""
    data = sheets if isinstance(sheets, bytes) else write_workbook(sheets)[0]
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- reading -----------------------------------------------------------------------------------
class XlsxError(ValueError):
    """The file is not a workbook we read, or it exceeds the limits; ``str()`` is the message
    for the user (translated)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int  # all members unpacked
    max_ratio: int  # unpacked / packed size of one member (members above 1 MB unpacked)
    max_rows: int  # per sheet
    max_columns: int  # per sheet
    max_cells: int  # per sheet

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=getattr(settings, "XLSX_MAX_UNPACKED_BYTES", 200 * 1024 * 1024),
            max_ratio=getattr(settings, "XLSX_MAX_COMPRESSION_RATIO", 100),
            max_rows=getattr(settings, "XLSX_MAX_ROWS", 200_000),
            max_columns=getattr(settings, "XLSX_MAX_COLUMNS", 200),
            max_cells=getattr(settings, "XLSX_MAX_CELLS", 4_000_000),
        )


_NOT_A_WORKBOOK = "not a workbook"
_CHUNK = 1 << 20
_OVERLAP = 32  # bytes of the previous block searched again: a cell reference cut in two
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
# Literal prefixes keep these searches at memchr speed.
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})[0-9]')  # cells in columns AA and beyond
_DIMENSION = re.compile(rb'dimension ref="[A-Z]*[0-9]*:?([A-Z]*)([0-9]*)"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_big(limits: Limits) -> XlsxError:
    return XlsxError(
        _(
            "The file is too large once unpacked (more than %(limit)d MB); split it into "
            "smaller files."
        )
        % {"limit": limits.max_bytes // (1024 * 1024)}
    )


def _too_many(what: str, limits: Limits) -> XlsxError:
    if what == "rows":
        msg = _("The sheet has more than %(limit)d rows; split it into smaller files.")
        return XlsxError(msg % {"limit": limits.max_rows})
    if what == "columns":
        msg = _("The sheet has more than %(limit)d columns; remove the extra columns.")
        return XlsxError(msg % {"limit": limits.max_columns})
    msg = _("The sheet has more than %(limit)d cells; split it into smaller files.")
    return XlsxError(msg % {"limit": limits.max_cells})


class _SheetScan:
    """Counts rows and cells and finds the largest row and column a sheet names, block by
    block (each tag counted once: a block is cut at its last ``<``)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.rows = self.cells = 0
        self.carry = b""
        self.overlap = b""
        self.prefix: bytes | None = None  # the namespace prefix of the sheet's tags ("x:")
        self.far_row = re.compile(rb' r="[A-Z]{1,3}([0-9]{%d,})"' % len(str(limits.max_rows)))

    def feed(self, block: bytes, *, last: bool = False) -> None:
        limits = self.limits
        data = self.carry + block
        if self.prefix is None:
            root = _ROOT.search(data)
            self.prefix = (root.group(1) or b"") if root else b""
        row, cell = b"<" + self.prefix + b"row", b"<" + self.prefix + b"c"
        cut = len(data) if last else data.rfind(b"<")
        if cut <= 0:
            cut = 0 if not last else len(data)
        whole, self.carry = data[:cut], data[cut:][:_OVERLAP]
        self.rows += sum(whole.count(row + end) for end in (b" ", b">", b"/"))
        self.cells += sum(whole.count(cell + end) for end in (b" ", b">", b"/"))
        searched = self.overlap + block
        self.overlap = block[-_OVERLAP:]
        rows = [int(n) for n in self.far_row.findall(searched)]
        columns = [_column_number(x) for x in _WIDE_REF.findall(searched)]
        for letters, number in _DIMENSION.findall(searched):
            columns.append(_column_number(letters))
            rows.append(int(number or 0))
        if max([self.rows, *rows]) > limits.max_rows:
            raise _too_many("rows", limits)
        if columns and max(columns) > limits.max_columns:
            raise _too_many("columns", limits)
        if self.cells > limits.max_cells:
            raise _too_many("cells", limits)


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, unpacked: int) -> int:
    """Stream one member (worksheets are scanned for rows, columns and cells), bounded by the
    unpacked-size limit whatever the zip directory claims. Returns the bytes unpacked so far."""
    name = info.filename.lower()
    scan = _SheetScan(limits) if name.startswith("xl/worksheets/") else None
    with zf.open(info) as stream:
        while block := stream.read(_CHUNK):
            unpacked += len(block)
            if unpacked > limits.max_bytes:
                raise _too_big(limits)
            if scan:
                scan.feed(block)
    if scan:
        scan.feed(b"", last=True)
    return unpacked


def check_package(data: bytes, limits: Limits | None = None) -> None:
    """Refuse a workbook that would take too much memory or time to read (a "zip bomb"):
    look at the zip directory (sizes, ratios), then stream each worksheet counting rows,
    columns and cells — all before anything is parsed."""
    limits = limits or Limits.from_settings()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxError(_NOT_A_WORKBOOK) from exc
    with zf:
        members = zf.infolist()
        if len(members) > 10_000:
            raise _too_big(limits)
        declared = sum(m.file_size for m in members)
        if declared > limits.max_bytes:
            raise _too_big(limits)
        for member in members:
            if member.file_size > _CHUNK and member.file_size > limits.max_ratio * max(
                member.compress_size, 1
            ):
                raise XlsxError(
                    _(
                        "The file is compressed suspiciously well (more than %(ratio)d times); "
                        "save it again from Excel or WPS and upload that copy."
                    )
                    % {"ratio": limits.max_ratio}
                )
        unpacked = 0
        try:
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels")):
                    unpacked = _scan_member(zf, member, limits, unpacked)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error) as exc:
            raise XlsxError(_NOT_A_WORKBOOK) from exc


def _value(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


class Workbook:
    """A checked workbook: its sheet names and each sheet's rows."""

    def __init__(self, data: bytes, *, limits: Limits | None = None):
        check_package(data, limits)
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except (CalamineError, ValueError, OSError) as exc:
            raise XlsxError(_NOT_A_WORKBOOK) from exc
        self.sheet_names: list[str] = list(self._book.sheet_names)

    def rows(self, sheet: str | int = 0) -> Iterator[list]:
        """The rows of a sheet (by name or position) as lists, from row 1 and column A (None for
        empty cells; whole numbers as int; dates as datetime). Empty rows come as lists of None,
        so a row's position is its Excel row number."""
        try:
            if isinstance(sheet, int):
                data = self._book.get_sheet_by_index(sheet)
            else:
                data = self._book.get_sheet_by_name(sheet)
        except (CalamineError, ValueError, IndexError, KeyError) as exc:
            raise XlsxError(_NOT_A_WORKBOOK) from exc
        start_row, start_col = data.start if data.start else (0, 0)
        pad = [None] * start_col
        for _i in range(start_row):
            yield []
        for row in data.iter_rows():
            yield pad + [_value(v) for v in row]

    def close(self) -> None:
        self._book.close()


def open_workbook(data: bytes, *, limits: Limits | None = None) -> Workbook:
    return Workbook(data, limits=limits)


def read_xlsx(data: bytes, *, limits: Limits | None = None) -> Iterator[list]:
    """The rows of the first sheet (see ``Workbook.rows``); the file is checked first, so a
    bad or oversized file raises ``XlsxError`` at the call, not on the first row."""
    return open_workbook(data, limits=limits).rows(0)


def is_user_message(exc: XlsxError) -> bool:
    """Whether the error explains a limit (shown as is) or only says "not a workbook"."""
    return str(exc) != _NOT_A_WORKBOOK


def problem_text(exc: XlsxError, fallback: str) -> str:
    """What to tell the user: the limit that was exceeded, or ``fallback`` for a bad file."""
    return str(exc) if is_user_message(exc) else fallback
