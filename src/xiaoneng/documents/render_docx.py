"""The .docx rendering (python-docx) of the content model, with the GB/T 9704-2012 page:
A4, margins 37/35/28/26 mm, 22 lines of 28 characters in 3号 (16 pt), the red 发文机关标志
and separator line, page numbers 4号 "— 1 —" right on odd pages and left on even ones.

Word names the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) as a bureau's
computers have them; the PDF uses the stated Debian fallbacks."""

from __future__ import annotations

import io

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .content import Content

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
LINE = Pt(225 / 25.4 * 72 / 22)


def _run(paragraph, text: str, *, font: str = BODY_FONT, size: float = 16, bold=False, color=None):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), font)
    return run


def _para(doc, *, align=None, indent_chars: float = 0, before=0, exact=True):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
    if indent_chars:
        fmt.first_line_indent = Pt(16 * indent_chars)
    return p


def _bottom_border(paragraph, *, color="E60012", size=12) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1")):
        bottom.set(qn(key), value)
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    ppr.append(borders)


def _page_number(footer, *, align) -> None:
    p = footer.paragraphs[0]
    p.alignment = align
    _run(p, "— ", font=NUMBER_FONT, size=14)
    run = _run(p, "", font=NUMBER_FONT, size=14)
    for tag, attr in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "end")):
        el = OxmlElement(tag)
        if attr:
            el.set(qn("w:fldCharType"), attr)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = "PAGE"
        run._element.append(el)
    _run(p, " —", font=NUMBER_FONT, size=14)


def _width(text: str) -> float:
    """Width in characters of 3号: ASCII digits and letters count half."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, align=WD_ALIGN_PARAGRAPH.LEFT)


def _head(doc, c: Content) -> None:
    if c.mark:
        p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
        _run(p, c.mark, font=TITLE_FONT, size=30, bold=True, color=RED)
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, before=LINE.pt)
    _run(p, c.number or ("（草稿，未编号）" if c.draft else ""))
    _bottom_border(p)
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, before=LINE.pt * 2)
    _run(p, c.title, font=TITLE_FONT, size=22, bold=True)
    _para(doc)


def _body(doc, c: Content) -> None:
    if c.addressee:
        _run(_para(doc), f"{c.addressee}：")
    fonts = {"h1": H1_FONT, "h2": H2_FONT, "body": BODY_FONT}
    for item in c.paragraphs:
        _run(_para(doc, indent_chars=2), item.text, font=fonts[item.style])
    if c.attachments:
        _para(doc)
        many = len(c.attachments) > 1
        for i, name in enumerate(c.attachments, start=1):
            p = _para(doc)
            p.paragraph_format.left_indent = Pt(16 * 5)
            p.paragraph_format.first_line_indent = Pt(-16 * 3)
            _run(p, ("附件：" if i == 1 else "") + (f"{i}. " if many else "") + name)
    _para(doc)
    # GB/T 9704-2012 §7.3.5.1: the date 右空四字, the signature centred above it.
    widths = {t: _width(t) for t in (c.signature, c.date)}
    for text in (c.signature, c.date):
        if text:
            p = _para(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
            extra = max(0.0, (widths[c.date] - widths[text]) / 2)
            p.paragraph_format.right_indent = Pt(16 * (4 + extra))
            _run(p, text)


def _colophon(doc, c: Content) -> None:
    if not (c.cc or c.printed_by):
        return
    _para(doc)
    top = _para(doc)
    _bottom_border(top, color="000000", size=8)
    if c.cc:
        p = _para(doc)
        _run(p, f"抄送：{c.cc}。", size=14)
        _bottom_border(p, color="000000", size=4)
    p = _para(doc)
    _run(p, f"{c.printed_by}\t{c.printed_on}", size=14)
    p.paragraph_format.tab_stops.add_tab_stop(Mm(155), alignment=2)
    _bottom_border(p, color="000000", size=8)


def render_docx(content: Content) -> bytes:
    doc = Docx()
    _setup(doc)
    doc.paragraphs[0]._element.getparent().remove(
        doc.paragraphs[0]._element
    ) if doc.paragraphs else None
    _head(doc, content)
    _body(doc, content)
    _colophon(doc, content)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
