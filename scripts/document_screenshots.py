"""Render the demo county's issued 通报 and 督办单 to PNG (docs/screenshots/), the visual check
of the GB/T 9704 layout: a throw-away test database, the demo loaded, the PDFs rendered by
WeasyPrint, page 1 rasterised by poppler's pdftoppm.

    XIAONENG_ENV=test PYTHONPATH=src .venv/bin/python scripts/document_screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
os.environ.setdefault("XIAONENG_ENV", "test")

import django

django.setup()

from django.test.runner import DiscoverRunner  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
NAMES = {"circular": "document-tongbao", "order": "document-duban"}


def main() -> None:
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        from xiaoneng.core.demo import load_demo_county
        from xiaoneng.documents.content import content_of
        from xiaoneng.documents.models import Document
        from xiaoneng.documents.render_pdf import render_pdf

        load_demo_county()
        with tempfile.TemporaryDirectory() as tmp:
            for kind, name in NAMES.items():
                doc = Document.objects.get(kind=kind, status="issued")
                pdf = Path(tmp) / f"{name}.pdf"
                pdf.write_bytes(render_pdf(content_of(doc)))
                target = OUT / name
                subprocess.run(
                    ["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", "1", "-l", "1",
                     str(pdf), str(target)],
                    check=True,
                )  # fmt: skip
                print(f"{target}.png  {doc.number} {doc.title}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
