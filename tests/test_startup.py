"""Start-up cost of the command line: heavy libraries load only when a command needs them."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "openpyxl", "python_calamine", "gspread", "matplotlib")


def _modules_loaded_by(code: str) -> set[str]:
    script = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return {name.split(".")[0] for name in json.loads(output.splitlines()[-1])}


def test_help_loads_no_heavy_library() -> None:
    """`sheets-okr --help` imports neither pandas, numpy, openpyxl nor the Excel reader."""
    loaded = _modules_loaded_by(
        "from sheets_okr.cli import cli\n"
        "try:\n    cli(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass"
    )
    assert not loaded & set(HEAVY)


def test_command_help_loads_no_heavy_library() -> None:
    """`sheets-okr score --help` stays light too."""
    loaded = _modules_loaded_by(
        "from sheets_okr.cli import cli\n"
        "try:\n    cli(['score', '--help'], standalone_mode=False)\nexcept SystemExit:\n    pass"
    )
    assert not loaded & set(HEAVY)


def test_the_run_lock_and_the_source_registry_load_no_heavy_library() -> None:
    """The file lock and finding a source's kind need neither pandas nor the summary's
    renderers (they once came along through an import cycle)."""
    loaded = _modules_loaded_by(
        "import sheets_okr.deliver.lock\nimport sheets_okr.deliver.state\n"
        "import sheets_okr.sources.registry"
    )
    assert not loaded & {*HEAVY, "jinja2", "css_inline", "babel"}
