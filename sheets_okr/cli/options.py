"""Options the commands share: dates, quarters, scoring and plan-check settings.

The scoring options reach a command as one ReadOptions (`reading`), the plan-check options
as one LintOptions (`checks`); their defaults and bounds come from the settings' own homes
(score/settings.py, lint/settings.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from sheets_okr.errors import UsageError
from sheets_okr.lint.settings import DEFAULT_LINT, STALE_AFTER
from sheets_okr.score.settings import DEFAULT_SCORING, GAPS, MONTHS, gaps_in_order

if TYPE_CHECKING:
    from pathlib import Path

    from sheets_okr.model.quarters import Quarter


class PathOnUse(os.PathLike[str]):
    """click's path_type for file options: a pathlib.Path, with pathlib imported only when a
    path is given (importing it, and urllib with it, costs --help a tenth of its time)."""

    def __new__(cls, value: str) -> Path:  # type: ignore[misc]
        from pathlib import Path

        return Path(value)


def file_path(**options: Any) -> click.Path:
    """A click.Path for a file, given to the command as a pathlib.Path."""
    return click.Path(dir_okay=False, path_type=PathOnUse, **options)


def quarter_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Quarter | None:
    """Validates a --quarter value such as 2026-Q4."""
    if value is None:
        return None
    from sheets_okr.model.quarters import Quarter  # its patterns are not needed by --help

    quarter = Quarter.parse(value)
    if quarter is None:
        raise click.BadParameter(f"{value!r} is not a quarter such as 2026-Q4", ctx, param)
    return quarter


def as_of_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """A --as-of day in any form a date cell takes (2026-11-30, 2026.11.30, 2026년 11월 30일)."""
    if value is None:
        return None
    from sheets_okr.read.values import Unreadable, read_date  # not needed by --help

    try:
        return read_date(value)
    except Unreadable:
        raise click.BadParameter(
            f"{value!r} is not a date; write it as 2026-11-30 (or 2026.11.30, 2026/11/30)",
            ctx,
            param,
        ) from None


def _today_unless_given(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    return as_of_date(ctx, param, value) or dt.date.today()


AS_OF = click.option(
    "--as-of",
    default=None,
    callback=_today_unless_given,
    metavar="DATE",
    help="Score as on this day (YYYY-MM-DD). Default: today.",
)


def _packed(command: Callable[..., Any], name: str, pack: Callable[..., Any]) -> Any:
    """The command, given its options named in `pack`'s parameters as one value, `name`."""
    keys = pack.__code__.co_varnames[: pack.__code__.co_argcount]

    @functools.wraps(command)  # keeps the options click attached to the command
    def packed(*args: Any, **kwargs: Any) -> Any:
        kwargs[name] = pack(**{key: kwargs.pop(key) for key in keys})
        return command(*args, **kwargs)

    return packed


def scoring_options(command: Any) -> Any:
    """Options every scoring command shares; with --as-of, the command gets them as
    `reading` (a ReadOptions)."""
    for option in reversed(
        (
            click.option("--quarter", default=None, callback=quarter_option, metavar="QUARTER",
                         help="Quarter of objectives with no Quarter cell on a tab not named"
                         " after one. Default: the quarter of the as-of date."),
            click.option("--fiscal-year-start", type=click.IntRange(*MONTHS),
                         default=DEFAULT_SCORING.fiscal_year_start_month, show_default=True,
                         metavar="MONTH", help="Month the fiscal year starts; Q1 begins then."),
            click.option("--on-track-gap", type=click.FloatRange(*GAPS),
                         default=DEFAULT_SCORING.on_track_gap, show_default=True,
                         help="Largest gap to the pace still on track."),
            click.option("--at-risk-gap", type=click.FloatRange(*GAPS),
                         default=DEFAULT_SCORING.at_risk_gap, show_default=True,
                         help="Largest gap to the pace still at risk."),
            click.option("--credentials", type=file_path(),
                         default=None, metavar="FILE",
                         help="Google service-account key (JSON) for a Google Sheet."
                         " Default: $GOOGLE_APPLICATION_CREDENTIALS."),
            click.option("--columns", "column_map", type=file_path(), default=None,
                         metavar="MAP.toml",
                         help="A column map: which field each of the sheet's columns holds"
                         " (`sheets-okr adopt SOURCE --format toml` writes one); over the"
                         " map saved in SOURCE."),
        )
    ):  # fmt: skip
        command = option(command)
    return _packed(command, "reading", _read_options)


def _read_options(
    as_of: dt.date,
    quarter: Quarter | None,
    fiscal_year_start: int,
    on_track_gap: float,
    at_risk_gap: float,
    credentials: Path | None,
    column_map: Path | None,
) -> Any:
    from sheets_okr.actions.score import ReadOptions  # pandas: not for --help
    from sheets_okr.read.column_map import EMPTY_MAP, load_column_map
    from sheets_okr.score.settings import ScoringSettings

    if not gaps_in_order(on_track_gap, at_risk_gap):
        raise UsageError("--on-track-gap must not be larger than --at-risk-gap")
    scoring = ScoringSettings(on_track_gap, at_risk_gap, fiscal_year_start)
    # A map that is not there or says something wrong is a UsageError naming the file and
    # the entry (exit 2), before the source is opened.
    columns = load_column_map(column_map) if column_map is not None else EMPTY_MAP
    return ReadOptions(as_of, scoring, quarter, credentials, columns)


def lint_options(command: Any) -> Any:
    """Options of the plan checks, shared by `lint` and `sync` (which fills Checks); the
    command gets them as `checks` (a LintOptions)."""
    command = click.option(
        "--words",
        "word_files",
        multiple=True,
        type=file_path(exists=True),
        help="Extra word list for the checks (TOML, like sheets_okr/lint/words/en.toml);"
        " repeatable.",
    )(command)
    command = click.option(
        "--stale-after",
        type=click.IntRange(*STALE_AFTER),
        default=DEFAULT_LINT.stale_after,
        show_default=True,
        metavar="SYNCS",
        help="Flag a key result whose Current stayed the same this many syncs in a row"
        " (needs a History tab).",
    )(command)
    return _packed(command, "checks", _lint_options)


def _lint_options(stale_after: int, word_files: tuple[Path, ...]) -> Any:
    from sheets_okr.actions.lint import LintOptions
    from sheets_okr.lint.settings import LintSettings

    return LintOptions(LintSettings(stale_after), tuple(word_files))


LANG = click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True,
                     help="Language of the summary (text, numbers and dates).")  # fmt: skip
