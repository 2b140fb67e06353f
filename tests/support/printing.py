"""Workbooks printed as people print them: LibreOffice headless to PDF, read back with
poppler's pdftotext (its text laid out by page, and each word's box)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')
Box = tuple[float, float, float, float]  # x min, y min, x max, y max


def to_pdf(workbook: Path, out: Path) -> Path:
    """The workbook printed to PDF by LibreOffice, in folder `out` (skips without the tools)."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("needs LibreOffice (soffice) and pdftotext (poppler-utils)")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    pdf = out / (workbook.stem + ".pdf")
    assert pdf.exists(), sorted(p.name for p in out.iterdir())
    return pdf


def pdf_text(pdf: Path) -> str:
    """The PDF's text as pdftotext lays it out, pages split by form feeds."""
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page."""
    return pdf_text(pdf).rstrip("\f").split("\f")


def word_boxes(pdf: Path) -> list[tuple[float, list[Box]]]:
    """Each page's width and the box of every word printed on it."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for page in boxes.split("<page ")[1:]:
        width = re.match(r'width="([\d.]+)"', page)
        assert width is not None, page[:80]
        words = [(float(a), float(b), float(c), float(d)) for a, b, c, d in _WORD.findall(page)]
        pages.append((float(width.group(1)), words))
    return pages
