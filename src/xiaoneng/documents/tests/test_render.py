"""GB/T 9704-2012 layout of the renderings: the PDF page is A4 with the standard margins, the
text area holds 28 characters a line at a 22-line pitch, the 版头 has its red separator line;
the .docx carries the same page set-up and alternating page numbers."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from docx import Document as Docx

from xiaoneng.documents.content import Content, chinese_number, date_text, paragraphs
from xiaoneng.documents.render_docx import render_docx
from xiaoneng.documents.render_pdf import render_pdf

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
LONG = "为深入推进作风效能建设切实改进工作作风提高服务质量和效率经研究决定开展专项整治活动现通知如下各单位要高度重视认真组织实施"


def sample(**extra) -> Content:
    fields = dict(
        mark="青山县卫生健康局文件",
        number="青卫效〔2026〕12号",
        title="关于2026年第一季度作风效能督查情况的通报",
        addressee="各医疗卫生单位",
        paragraphs=paragraphs(f"{LONG}\n一、基本情况\n（一）督查范围\n" + f"{LONG}\n" * 12),
        attachments=["问题清单"],
        signature="青山县卫生健康局",
        date=date_text(dt.date(2026, 3, 5)),
        cc="县纪委监委派驻纪检监察组",
        printed_by="青山县卫生健康局办公室",
        printed_on="2026年3月5日印发",
    )
    return Content(**(fields | extra))


@pytest.fixture(scope="module")
def pdf():
    with pdfplumber.open(io.BytesIO(render_pdf(sample()))) as opened:
        yield opened


def test_the_page_is_a4(pdf):
    for page in pdf.pages:
        x0, y0, x1, y1 = page.mediabox
        assert (x0, y0) == (0, 0)
        assert x1 == pytest.approx(A4[0], abs=0.5) and y1 == pytest.approx(A4[1], abs=0.5)


def _lines(page):
    rows: dict[int, list] = {}
    for ch in page.chars:
        rows.setdefault(round(ch["top"]), []).append(ch)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


def test_the_first_line_and_all_text_sit_inside_the_standard_margins(pdf):
    page = pdf.pages[0]
    first = _lines(page)[0]
    assert "".join(c["text"] for c in first) == "青山县卫生健康局文件"
    assert first[0]["top"] >= 37 * MM - 1  # 天头 37 mm
    text_area_bottom = A4[1] - 35 * MM
    body = [c for c in page.chars if c["top"] < text_area_bottom]
    assert min(c["x0"] for c in body) >= 28 * MM - 0.5  # 订口 28 mm
    assert max(c["x1"] for c in body) <= A4[0] - 26 * MM + 0.5  # 26 mm on the right
    # Only the page number lies below the text area: "— 1 —" on the right of page 1.
    below = "".join(c["text"] for c in page.chars if c["top"] >= text_area_bottom)
    assert below.replace(" ", "") == "—1—"
    numbers = [c for c in page.chars if c["top"] >= text_area_bottom]
    assert min(c["x0"] for c in numbers) > A4[0] / 2
    assert max(c["size"] for c in numbers) == pytest.approx(14, abs=0.2)  # 4号


def test_the_even_page_number_is_on_the_left(pdf):
    page = pdf.pages[1]
    numbers = [c for c in page.chars if c["top"] >= A4[1] - 35 * MM]
    assert "".join(c["text"] for c in numbers).replace(" ", "") == "—2—"
    assert max(c["x1"] for c in numbers) < A4[0] / 2


def test_the_body_runs_28_characters_a_line_at_the_22_line_pitch(pdf):
    page = pdf.pages[1]  # page 2: body text only
    lines = [ln for ln in _lines(page) if ln[0]["top"] < A4[1] - 35 * MM and len(ln) >= 20]
    full = [ln for ln in lines if ln[0]["x0"] < 28 * MM + 1]  # not an indented first line
    assert full and all(len(ln) == 28 for ln in full[:5])
    assert all(c["size"] == pytest.approx(16, abs=0.1) for ln in full for c in ln)  # 3号
    pitch = lines[1][0]["top"] - lines[0][0]["top"]
    assert pitch == pytest.approx(225 * MM / 22, abs=0.3)


def test_the_masthead_is_red_with_a_red_separator_as_wide_as_the_text_area(pdf):
    page = pdf.pages[0]
    mark = _lines(page)[0]
    assert all(
        c["non_stroking_color"] == pytest.approx((0.902, 0.0, 0.071), abs=0.01) for c in mark
    )
    red = [
        r
        for r in page.rects
        if r["non_stroking_color"] == pytest.approx((0.902, 0.0, 0.071), abs=0.01)
    ]
    assert len(red) == 1
    line = red[0]
    assert line["x0"] == pytest.approx(28 * MM, abs=0.5)
    assert line["x1"] - line["x0"] == pytest.approx(156 * MM, abs=0.5)
    number = next(ln for ln in _lines(page) if "".join(c["text"] for c in ln).startswith("青卫效"))
    assert line["top"] - number[0]["bottom"] == pytest.approx(4 * MM, abs=3)  # 4 mm below 发文字号
    assert line["top"] < next(ln for ln in _lines(page) if ln[0]["text"] == "关")[0]["top"]


def test_the_docx_has_the_same_page_and_alternating_page_numbers():
    doc = Docx(io.BytesIO(render_docx(sample())))
    s = doc.sections[0]
    sizes = [s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin,
             s.right_margin]  # fmt: skip
    assert [round(v.mm, 1) for v in sizes] == [210, 297, 37, 35, 28, 26]
    assert doc.settings.odd_and_even_pages_header_footer
    assert s.footer.paragraphs[0].alignment == 2  # right on odd pages
    assert s.even_page_footer.paragraphs[0].alignment == 0  # left on even pages
    assert "PAGE" in s.footer._element.xml and "— " in s.footer.paragraphs[0].text
    mark = doc.paragraphs[0].runs[0]
    assert mark.text == "青山县卫生健康局文件" and str(mark.font.color.rgb) == "E60012"
    texts = [p.text for p in doc.paragraphs]
    assert "青卫效〔2026〕12号" in texts and LONG in texts and "附件：问题清单" in texts
    assert 'w:color="E60012"' in doc.paragraphs[1]._p.xml  # the red separator line


def test_dates_follow_the_standard_or_the_chinese_numeral_house_style():
    assert date_text(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert date_text(dt.date(2026, 10, 31), chinese=True) == "二〇二六年十月三十一日"
    assert [chinese_number(n) for n in (1, 10, 12, 20, 21)] == [
        "一",
        "十",
        "十二",
        "二十",
        "二十一",
    ]


def test_the_colophon_sits_at_the_foot_of_the_last_page_only(pdf):
    """版记 (抄送, 印发机关 and 印发日期) is pinned to the bottom of the last page's text area."""
    text_bottom = A4[1] - 35 * MM
    *earlier, last = pdf.pages
    for page in earlier:
        assert "抄送" not in (page.extract_text() or "")
    lines = ["".join(ch["text"] for ch in row) for row in _lines(last)]
    cc = next(i for i, line in enumerate(lines) if line.startswith("抄送"))
    assert "印发" in lines[cc + 1] and cc + 1 == len(lines) - 2  # then only the page number
    printed = _lines(last)[cc + 1]
    assert max(ch["bottom"] for ch in printed) == pytest.approx(text_bottom, abs=12)
    body_rows = _lines(last)[:cc]
    assert text_bottom - max(ch["bottom"] for ch in body_rows[-1]) > 100  # a gap above it
