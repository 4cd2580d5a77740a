"""The content model of a document, shared by the .docx and the PDF renderings (identical
content), and the GB/T 9704-2012 rules that do not depend on the output format."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

DIGITS = "〇一二三四五六七八九"
H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals as a date writes them: 十, 十一, 二十, 三十一."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def date_text(day: dt.date | None, *, chinese: bool = False) -> str:
    """成文日期: GB/T 9704-2012 §7.3.5.3 — year in full, month and day without a leading zero
    (2026年3月5日); ``chinese`` gives the older house style 二〇二六年三月五日."""
    if day is None:
        return ""
    if chinese:
        year = "".join(DIGITS[int(c)] for c in str(day.year))
        return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | h1 (黑体, 一、) | h2 (楷体, （一）)


@dataclass
class Content:
    mark: str
    number: str
    title: str
    addressee: str
    paragraphs: list[Paragraph]
    attachments: list[str] = field(default_factory=list)
    signature: str = ""
    date: str = ""
    cc: str = ""
    printed_by: str = ""
    printed_on: str = ""
    draft: bool = False


def paragraphs(body: str) -> list[Paragraph]:
    """The body's non-empty lines; 一、 lines are first-level headings, （一） second-level."""
    out = []
    for line in body.splitlines():
        text = line.strip()
        if not text:
            continue
        style = "h1" if H1.match(text) else "h2" if H2.match(text) else "body"
        out.append(Paragraph(text, style))
    return out


def content_of(doc) -> Content:
    """The document as the renderers see it (a draft is marked and carries no number)."""
    chinese = doc.template.chinese_date
    return Content(
        mark=doc.mark,
        number=doc.number,
        title=doc.title,
        addressee=doc.addressee,
        paragraphs=paragraphs(doc.body),
        attachments=[a.strip() for a in doc.attachments.splitlines() if a.strip()],
        signature=doc.signature,
        date=date_text(doc.dated, chinese=chinese),
        cc=doc.cc,
        printed_by=doc.printed_by,
        printed_on=date_text(doc.dated, chinese=False) + ("印发" if doc.dated else ""),
        draft=doc.status != "issued",
    )
