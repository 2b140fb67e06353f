"""The deployment recipes in scripts/ (cron, systemd, GitHub Actions) and the README's steps."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_okr.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
CRON = SCRIPTS / "sheets-okr.cron"
SERVICE = SCRIPTS / "systemd" / "sheets-okr.service"
TIMER = SCRIPTS / "systemd" / "sheets-okr.timer"
WORKFLOW = SCRIPTS / "github-actions" / "okr-weekly.yml"
RECIPES = (CRON, SERVICE, TIMER, WORKFLOW)


def unit(path: Path) -> configparser.ConfigParser:
    """A systemd unit file as sections of settings (repeated keys: the last one)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string(path.read_text("utf-8"))
    return parser


def test_the_cron_line_runs_under_flock_and_mails_failures() -> None:
    """/etc/cron.d format: MAILTO set, every Monday at 08:00, as okr, under flock -n."""
    text = CRON.read_text("utf-8")
    assert re.search(r"^MAILTO=\S+@\S+$", text, re.MULTILINE)
    (line,) = [ln for ln in text.splitlines() if ln and not ln.startswith("#") and "=" not in
               ln.split()[0]]  # fmt: skip
    fields = line.split(maxsplit=6)
    assert fields[:6] == ["0", "8", "*", "*", "1", "okr"]
    assert fields[6].startswith("flock -n -E 75 /run/lock/")
    assert "sheets-okr run --config /etc/sheets-okr/sheets-okr.toml" in fields[6]
    assert "%" not in line  # cron would turn it into a newline
    assert text.endswith("\n")  # cron ignores a last line without one


def test_the_systemd_service_and_timer() -> None:
    """A oneshot service with its secrets from an EnvironmentFile; a persistent Monday timer."""
    service, timer = unit(SERVICE), unit(TIMER)
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].endswith("/sheets-okr run")
    assert service["Service"]["EnvironmentFile"] == "/etc/sheets-okr/env"
    assert service["Unit"]["After"] == "network-online.target"
    assert timer["Timer"]["OnCalendar"] == "Mon *-*-* 08:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_understands_the_calendar() -> None:
    """`systemd-analyze calendar` accepts the timer's OnCalendar."""
    spec = unit(TIMER)["Timer"]["OnCalendar"]
    done = subprocess.run(["systemd-analyze", "calendar", spec], capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Normalized form: Mon *-*-* 08:00:00" in done.stdout


def test_the_workflow_keeps_the_key_secret_and_cleans_up() -> None:
    """The key from a secret into a file made under umask 077, removed whatever happened."""
    text = WORKFLOW.read_text("utf-8")
    assert re.search(r'^\s+- cron: "\d+ \d+ \* \* \d"$', text, re.MULTILINE)
    assert "workflow_dispatch:" in text
    assert "concurrency:" in text
    assert "${{ secrets.GOOGLE_SA_JSON }}" in text
    assert "${{ secrets.SHEETS_OKR_SMTP_PASSWORD }}" in text
    write = text.index("umask 077")
    assert write < text.index('> "$RUNNER_TEMP/service-account.json"')
    cleanup = text.index("- name: Remove the key")
    assert "if: always()" in text[cleanup:]
    assert 'rm -f "$RUNNER_TEMP/service-account.json"' in text[cleanup:]
    assert "\t" not in text  # YAML refuses tabs


@pytest.mark.parametrize("recipe", [*RECIPES, ROOT / "README.md"], ids=lambda p: p.name)
def test_recipes_use_only_options_that_exist(recipe: Path) -> None:
    """Every option after `sheets-okr ... run` is one `sheets-okr run --help` lists."""
    help_text = CliRunner().invoke(cli, ["run", "--help"]).stdout
    seen = []
    for match in re.finditer(r"sheets-okr(?: -v+)? run((?: --?[\w-]+(?: [^\s'-]\S*)?)*)",
                             recipe.read_text("utf-8")):  # fmt: skip
        for option in re.findall(r"(--?[\w-]+)", match.group(1)):
            assert option in help_text, (recipe.name, option)
            seen.append(option)
    if recipe.name in ("README.md", CRON.name):
        assert "--config" in seen


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda p: p.name)
def test_the_readme_points_at_every_recipe(recipe: Path) -> None:
    """README's "Run it every week" names each file of scripts/ it relies on."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Run it every week") :]
    assert str(recipe.relative_to(ROOT)) in section
