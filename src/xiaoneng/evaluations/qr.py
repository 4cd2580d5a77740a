"""QR codes for survey and ballot links, made offline with segno (SVG inline, PNG download)."""

from __future__ import annotations

import io

import segno


def svg(url: str, *, scale: int = 3) -> str:
    """An inline <svg> element (no XML declaration) for a printable sheet."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


def png(url: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
