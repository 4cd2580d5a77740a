"""The PDF rendering: WeasyPrint (Pango from Debian) lays out the same content model as the
.docx on an A4 page with the GB/T 9704-2012 text area.

Fonts (Debian fonts-noto-cjk): 小标宋 → Noto Serif CJK SC Bold, 仿宋 → Noto Serif CJK SC,
黑体 → Noto Sans CJK SC, 楷体 → AR PL UKai (fonts-arphic-ukai) when installed, else Noto Serif;
a machine with the official fonts (方正小标宋简体, 仿宋_GB2312 …) uses them first."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xiaoneng.core.errors import Conflict

from .content import Content

# GB/T 9704-2012 §5.2.1: 天头 37 mm, 订口 28 mm; 版心 156 mm × 225 mm.
MARGIN_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES = 22  # §7.1: 一般每面排 22 行，每行排 28 个字
CHARS = 28
RED = "#E60012"


def html_of(content: Content) -> str:
    line_pt = 225 / 25.4 * 72 / LINES
    char_pt = 156 / 25.4 * 72 / CHARS
    return render_to_string(
        "documents/gbt9704.html",
        {
            "c": content,
            "m": MARGIN_MM,
            "line_pt": f"{line_pt:.3f}",
            # 28 characters of 3号 (16 pt) fill the 156 mm line: a slightly negative spacing
            # (less a hair for rounding); indents count in these character widths.
            "spacing_pt": f"{char_pt - 16 - 0.02:.3f}",
            "char_pt": f"{char_pt:.3f}",
            "red": RED,
        },
    )


def render_pdf(content: Content) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango missing: make test installs it (scripts/install_chromium.sh)
        raise Conflict(
            _(
                "PDF output needs the Pango libraries: run `make chromium` "
                "(scripts/install_chromium.sh) and try again; the Word file is available now."
            )
        ) from exc
    return HTML(string=html_of(content)).write_pdf()
