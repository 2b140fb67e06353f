"""The package's layers: every import points down the flow, and no import cycle exists.

Each subpackage is one step of the flow (docs/architecture.md). A module may import its own
subpackage and the layers below its own, never a layer above nor a sibling on its own
layer. Every import counts: at the top of a module, inside a function (the lazy imports
that keep `--help` fast) and under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sheets_okr"

# Lowest first. Rooms on one line know nothing of each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    # the foundation every step may use
    ("errors", "files", "resources", "a1", "widths", "state_folder"),
    ("model", "sources"),  # the OKR domain; grids in and cell writes out, knowing no OKR
    ("read",),  # grid -> model
    ("score",),  # model -> scorecard (pandas)
    ("lint",),  # model and scorecard -> findings
    ("plan", "summary"),  # what a sync writes; what leadership reads
    ("remind",),  # what each owner is reminded of, as an email
    ("deliver",),  # email, state, healthcheck
    ("config",),  # the TOML configuration of `run`
    ("actions",),  # the only place that chains the steps
    ("cli",),  # click
    ("__main__",),  # python -m sheets_okr
)
ROOM_LAYER = {room: index for index, rooms in enumerate(LAYERS) for room in rooms}
# Third-party libraries that only one room may import.
ONLY_IN = {"click": "cli"}


def module_name(path: Path) -> str:
    """sheets_okr/read/parse.py -> sheets_okr.read.parse; a package's __init__ is its name."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def modules() -> dict[str, Path]:
    """Every module of the package by name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> Iterator[str]:
    """Every module a file imports (absolute names), wherever the import stands."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: use absolute imports"
            yield node.module
            # `from sheets_okr.actions import run` imports the module sheets_okr.actions.run
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def room(name: str) -> str:
    """The room of a module: sheets_okr.read.parse -> read; sheets_okr -> ''."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


@functools.cache
def graph() -> dict[str, set[str]]:
    """Each module's imports of the package's own modules."""
    known = modules()
    return {
        name: {target for target in imports(path) if target in known and target != name}
        for name, path in known.items()
    }


def test_every_room_has_a_layer() -> None:
    """A new subpackage or root module must be given its place in the flow here."""
    rooms = {room(name) for name in modules()} - {""}
    assert rooms == set(ROOM_LAYER)


@pytest.mark.parametrize("name", sorted(modules()))
def test_imports_point_down_the_flow(name: str) -> None:
    """A module imports its own room and lower layers only: no upward or sideways import."""
    own = room(name)
    if not own:
        return  # the package's own __init__
    wrong = sorted(
        target
        for target in graph()[name]
        if room(target) not in ("", own) and ROOM_LAYER[room(target)] >= ROOM_LAYER[own]
    )
    assert not wrong, f"{name} imports {wrong}, which are not below {own}/"


def test_there_is_no_import_cycle() -> None:
    """No chain of imports comes back to where it started, between rooms or within one."""
    edges = graph()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = [*path[path.index(name) :], name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for target in sorted(edges[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(edges):
        visit(name, [])


@pytest.mark.parametrize(("library", "allowed"), sorted(ONLY_IN.items()))
def test_libraries_stay_in_their_room(library: str, allowed: str) -> None:
    """click only in cli/: the library under it returns data and never prints."""
    users = sorted(
        name
        for name, path in modules().items()
        if room(name) != allowed and any(t.split(".")[0] == library for t in imports(path))
    )
    assert not users, f"{library} is imported outside {allowed}/ by {users}"


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    """The walker sees imports inside functions and under TYPE_CHECKING, not only at the top."""
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from sheets_okr.actions.sync import SyncResult\n"
        "def f():\n    from sheets_okr.cli import cli\n"
    )
    found = set(imports(module))
    assert {"sheets_okr.actions.sync", "sheets_okr.cli"} <= found
