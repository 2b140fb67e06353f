"""The deployment recipes in scripts/ (cron, systemd, GitHub Actions) and the README's steps."""

from __future__ import annotations

import configparser
import fcntl
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


def cron_command() -> str:
    """The command of the crontab line (after the schedule and the user)."""
    text = CRON.read_text("utf-8")
    (line,) = [ln for ln in text.splitlines() if ln and not ln.startswith("#") and "=" not in
               ln.split()[0]]  # fmt: skip
    return line.split(maxsplit=6)[6]


def test_the_cron_line_runs_under_flock_and_mails_failures() -> None:
    """/etc/cron.d format: MAILTO set, every Monday at 08:00, as okr, under flock -n and a
    timeout."""
    text = CRON.read_text("utf-8")
    assert re.search(r"^MAILTO=\S+@\S+$", text, re.MULTILINE)
    (line,) = [ln for ln in text.splitlines() if ln and not ln.startswith("#") and "=" not in
               ln.split()[0]]  # fmt: skip
    fields = line.split(maxsplit=6)
    assert fields[:6] == ["0", "8", "*", "*", "1", "okr"]
    assert fields[6].startswith("flock -n -E 99 /run/lock/sheets-okr.lock timeout -k 1m 25m ")
    assert "sheets-okr run --config /etc/sheets-okr/sheets-okr.toml" in fields[6]
    assert "%" not in line  # cron would turn it into a newline
    assert text.endswith("\n")  # cron ignores a last line without one
    assert "mail transfer agent" in text  # cron's mail needs one


@pytest.mark.skipif(not (shutil.which("flock") and shutil.which("timeout")),
                    reason="no flock or timeout here")  # fmt: skip
def test_the_cron_line_says_so_when_the_lock_is_busy(tmp_path: Path) -> None:
    """Run by sh as cron would (sheets-okr replaced): the command's own exit status passes
    through, silently; a lock held elsewhere prints why on stderr and exits 75."""
    lock = tmp_path / "sheets-okr.lock"
    command = cron_command().replace("/run/lock/sheets-okr.lock", str(lock))
    quoted = re.search(r"sh -c '[^']*'", command)
    assert quoted is not None

    def cron(inner: str) -> subprocess.CompletedProcess[str]:
        line = command.replace(quoted.group(0), f"sh -c '{inner}'")
        return subprocess.run(["/bin/sh", "-c", line], capture_output=True, text=True,
                              timeout=60, check=False)  # fmt: skip

    assert (cron("exit 0").returncode, cron("exit 0").stderr) == (0, "")
    for status in (1, 2, 75):
        done = cron(f"exit {status}")
        assert (done.returncode, done.stderr) == (status, "")
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        done = cron("echo started >&2")
    assert done.returncode == 75
    assert done.stderr == f"sheets-okr: not started: another run still holds {lock}\n"


def test_the_secrets_file_is_read_as_shell_only_when_quoted(tmp_path: Path) -> None:
    """The README's env file, values in single quotes: sh (cron's `. env`) reads a password
    with &, ;, $ and spaces back as written."""
    password = "Tr0ub4dor&3; $HOME 'x'"
    quoted = "'" + password.replace("'", "'\\''") + "'"
    env = tmp_path / "env"
    env.write_text(f"SHEETS_OKR_SMTP_PASSWORD={quoted}\n")
    script = f'set -a; . {env}; printf %s "$SHEETS_OKR_SMTP_PASSWORD"'
    done = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, password)
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Run it every week") :]
    assert "# SHEETS_OKR_SMTP_PASSWORD='the SMTP password'" in section
    assert "single quotes" in section


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


def comments(path: Path) -> str:
    """The comment lines of a recipe as one text, without the # and line breaks."""
    lines = [ln.lstrip("# ") for ln in path.read_text("utf-8").splitlines() if ln.startswith("#")]
    return " ".join(lines)


def test_the_recipes_promise_no_ping_that_never_comes() -> None:
    """A configuration mistake and a run refused by the lock send no ping: the service and
    the cron recipe say so instead of promising an alert at once."""
    service = comments(SERVICE)
    assert "it hears nothing of a configuration mistake (exit 2" in service
    assert "nor of a run refused because another holds the lock (75)" in service
    cron = comments(CRON)
    assert "Neither pings the healthcheck" in cron
    assert "flock itself says nothing then, so the line prints why on stderr" in cron


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
