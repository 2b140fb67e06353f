"""The built wheel installs into a fresh virtual environment and runs outside the repository."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "sheets_okr/templates/example-quarter.toml"

pytestmark = pytest.mark.slow


def _clean_env() -> dict[str, str]:
    """The environment without this repository's virtualenv or import paths."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=timeout,
        check=False,
    )  # fmt: skip


@pytest.fixture(scope="module", name="wheel")
def _wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built with pip from the repository root."""
    dist = tmp_path_factory.mktemp("dist")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(ROOT)], cwd=dist
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("sheets_okr-*.whl")
    return wheel


def test_wheel_carries_the_templates_and_the_console_script(wheel: Path) -> None:
    """The wheel holds sheets_okr/templates/example-quarter.toml and the sheets-okr script."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert TEMPLATE in names
        assert "sheets_okr/cli/__init__.py" in names
        assert "sheets_okr/lint/words/en.toml" in names  # the word lists moved with lint/
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        assert "sheets-okr = sheets_okr.cli:main" in archive.read(entry_points).decode()
    assert not [n for n in names if n.startswith("tests/")]


def test_wheel_carries_the_example_configuration(wheel: Path) -> None:
    """sheets-okr.example.toml travels in the wheel, the same as at the repository root."""
    with zipfile.ZipFile(wheel) as archive:
        packaged = archive.read("sheets_okr/templates/sheets-okr.example.toml").decode()
    assert packaged == (ROOT / "sheets-okr.example.toml").read_text("utf-8")


def test_wheel_installs_and_runs_from_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    """A fresh venv with only the wheel (and its dependencies) runs init --example and score."""
    venv = tmp_path / "venv"
    created = _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    installed = _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run([str(python), "-c", "import sheets_okr; print(sheets_okr.__file__)"], cwd=work)
    assert where.returncode == 0, where.stderr
    module_path = Path(where.stdout.strip()).resolve()
    assert venv.resolve() in module_path.parents
    assert ROOT not in module_path.parents

    script = str(bin_dir / "sheets-okr")
    init = _run([script, "init", "X.xlsx", "--example"], cwd=work)
    assert init.returncode == 0, init.stdout + init.stderr
    assert (work / "X.xlsx").is_file()

    scored = _run([script, "score", "X.xlsx", "--format", "json"], cwd=work)
    assert scored.returncode == 0, scored.stdout + scored.stderr
    data = json.loads(scored.stdout)
    assert data["problems"] == []
    assert 3 <= len(data["objectives"]) <= 5
    for objective in data["objectives"]:
        assert objective["key_results"]
        assert objective["health"] in {"done", "on_track", "at_risk", "off_track", "no_data"}
        for kr in objective["key_results"]:
            assert kr["score"] is None or 0.0 <= kr["score"] <= 1.0
    assert any("한국" in o["title"] for o in data["objectives"])

    # Two weeks of History in the example's quarter (today's): the summary draws its chart
    # from two dates on.
    today = dt.date.today()
    first = today - dt.timedelta(days=7)
    if (first.month - 1) // 3 != (today.month - 1) // 3 or first.year != today.year:
        first, today = today, today + dt.timedelta(days=7)
    for as_of in (first, today):
        synced = _run([script, "sync", "X.xlsx", "--as-of", as_of.isoformat()], cwd=work)
        assert synced.returncode == 0, synced.stdout + synced.stderr
    linted = _run([script, "lint", "X.xlsx", "--format", "json"], cwd=work)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "counts" in json.loads(linted.stdout)  # the word lists ship in the wheel
    for lang in ("en", "ko"):
        page = work / f"summary-{lang}.html"
        reported = _run(
            [script, "report", "X.xlsx", "-o", str(page), "--lang", lang,
             "--as-of", today.isoformat()], cwd=work,
        )  # fmt: skip
        assert reported.returncode == 0, reported.stdout + reported.stderr
        html = page.read_text("utf-8")
        assert f'<html lang="{lang}">' in html  # the templates and i18n files ship too
        assert "data:image/png;base64," in html

    version = _run([script, "--version"], cwd=work)
    assert version.returncode == 0
    assert "0.1.0" in version.stdout
