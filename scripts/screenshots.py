"""Screenshots of the leadership summary for a person to look at (run by scripts/screenshots).

Makes the example workbook, syncs it on three dates (so there is a trend, changes and
movers), writes the report page and the email (English and Korean), and photographs each
in Debian's chromium at 375, 600 and 1280 px wide, light and dark. The email is shown as an
inbox shows it: its subject and preheader above its own HTML (the .eml's part, with the
chart it carries), so its shots differ from the page's.

    python scripts/screenshots.py [FOLDER]      (default: ./screenshots)

$CHROMIUM overrides /usr/bin/chromium.
"""

from __future__ import annotations

import base64
import html
import os
import re
import subprocess
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from openpyxl import load_workbook

AS_OF = "2026-11-30"
# Earlier check-ins: each KR's progress then, as a share of its progress now, by KR row
# order. Most grew since; a few were higher two weeks ago, so there are movers both ways.
SNAPSHOTS = (
    ("2026-11-02", (0.55, 0.60, 0.50, 0.45, 0.50, 0.40, 0.70, 0.50, 0.60, 0.90, 0.45, 0.50, 0.40)),
    ("2026-11-16", (0.80, 1.15, 0.85, 0.75, 0.80, 0.70, 1.20, 0.80, 0.85, 1.00, 0.70, 0.85, 0.75)),
)
WIDTHS = (375, 600, 1280)
SCHEMES = ("light", "dark")
LANGUAGES = ("en", "ko")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def sheets_okr(*args: str) -> None:
    """Run the installed command next to this Python (the project's virtual environment)."""
    command = Path(sys.executable).with_name("sheets-okr")
    subprocess.run([str(command), *args], check=True)


def _okr_sheet(path: Path):  # type: ignore[no-untyped-def]
    workbook = load_workbook(path)
    sheet = next(s for s in workbook.worksheets if s.title.startswith("OKRs"))
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Type")
    header = {sheet.cell(header_row, c).value: c for c in range(1, sheet.max_column + 1)}
    return workbook, sheet, header_row, header


def key_result_currents(path: Path) -> list[tuple[int, float, float]]:
    """(row, start, current) of every numeric Key Result row."""
    _, sheet, header_row, header = _okr_sheet(path)
    rows = []
    for row in range(header_row + 1, sheet.max_row + 1):
        if sheet.cell(row, header["Type"]).value != "Key Result":
            continue
        start = sheet.cell(row, header["Start"]).value or 0
        current = sheet.cell(row, header["Current"]).value
        if isinstance(current, int | float) and isinstance(start, int | float):
            rows.append((row, float(start), float(current)))
    return rows


def type_currents(path: Path, values: dict[int, float]) -> None:
    """Type Current values into rows, as a person checking in would."""
    workbook, sheet, _, header = _okr_sheet(path)
    for row, value in values.items():
        sheet.cell(row, header["Current"], value)
    workbook.save(path)


def make_workbook(folder: Path) -> Path:
    """The example plan with History for three dates."""
    workbook = folder / "example-okrs.xlsx"
    sheets_okr("init", str(workbook), "--example", "--as-of", AS_OF, "--force")
    now = key_result_currents(workbook)
    for day, shares in SNAPSHOTS:
        earlier = {row: round(start + (current - start) * share)
                   for (row, start, current), share in zip(now, shares, strict=False)}  # fmt: skip
        type_currents(workbook, earlier)
        sheets_okr("sync", str(workbook), "--as-of", day, "--allow-problems")
    type_currents(workbook, {row: current for row, _, current in now})
    sheets_okr("sync", str(workbook), "--as-of", AS_OF, "--allow-problems")
    return workbook


def email_preview(eml: Path) -> Path:
    """The email's HTML with the cid: chart swapped for a data: URI, which a browser shows,
    under a band with its subject and preheader, as an inbox lists them."""
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("html",))
    assert body is not None
    markup = str(body.get_content())
    for part in message.walk():
        if part["Content-ID"]:
            uri = "data:image/png;base64," + base64.b64encode(part.get_content()).decode()
            markup = markup.replace("cid:" + str(part["Content-ID"]).strip("<>"), uri)
    preheader = re.search(r'<div class="preheader"[^>]*>(.*?)</div>', markup, re.S)
    band = (
        '<div style="font:13px sans-serif;background:#EEF2FF;padding:8px 12px;'
        'border-bottom:1px solid #C7D2FE;">'
        f"<b>{html.escape(str(message['Subject']))}</b><br>"
        f"<span style='color:#4B5563'>{preheader.group(1) if preheader else ''}</span></div>"
    )
    markup = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + band, markup, count=1)
    preview = eml.with_suffix(".preview.html")
    preview.write_text(markup, "utf-8")
    return preview


def render_documents(workbook: Path, folder: Path) -> dict[str, Path]:
    """Report pages and email previews, by name such as report-ko."""
    documents = {}
    for lang in LANGUAGES:
        page = folder / f"report-{lang}.html"
        sheets_okr("report", str(workbook), "-o", str(page), "--as-of", AS_OF, "--lang", lang)
        eml = folder / f"email-{lang}.eml"
        sheets_okr("email", str(workbook), "--to", "ceo@example.com", "--dry-run", "-o",
                   str(eml), "--as-of", AS_OF, "--lang", lang)  # fmt: skip
        documents[f"report-{lang}"] = page
        documents[f"email-{lang}"] = email_preview(eml)
    return documents


def photograph(documents: dict[str, Path], folder: Path) -> list[Path]:
    """Full-page screenshots of each document at each width; warns about sideways overflow."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("screenshots: playwright is not installed (pip install -e '.[test]')")
    chromium = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    if not chromium.exists():
        sys.exit(
            f"screenshots: no chromium at {chromium} (apt-get install chromium fonts-noto-cjk)"
        )
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            for name, document in documents.items():
                for width, scheme in ((w, s) for w in WIDTHS for s in SCHEMES):
                    page = browser.new_page(viewport={"width": width, "height": 900},
                                            color_scheme=scheme)  # fmt: skip
                    page.goto(document.as_uri())
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    if scroll > width:
                        print(f"warning: {name} is {scroll} px wide at {width} px", file=sys.stderr)
                    shot = folder / f"{name}-{width}-{scheme}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    page.close()
                    shots.append(shot)
        finally:
            browser.close()
    return shots


def main() -> None:
    """Make, render and photograph; print where everything went."""
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SHEETS_OKR_STATE_DIR", str(folder / "state"))  # dry runs only
    workbook = make_workbook(folder)
    documents = render_documents(workbook, folder)
    for shot in photograph(documents, folder):
        print(shot)


if __name__ == "__main__":
    main()
