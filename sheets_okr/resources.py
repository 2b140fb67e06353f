"""Finding the files that ship with the tool (the templates folder)."""

from __future__ import annotations

from pathlib import Path


def templates_dir() -> Path:
    """The templates folder: inside the installed package, or beside it in a source checkout.

    The wheel carries the repository's top-level templates/ as sheets_okr/templates; an
    editable install or a plain checkout imports the package from the repository instead.
    """
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"
