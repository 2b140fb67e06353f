"""Options the commands share: dates, quarters, scoring and plan-check settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from sheets_okr.quarters import Quarter


def quarter_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Quarter | None:
    """Validates a --quarter value such as 2026-Q4."""
    if value is None:
        return None
    quarter = Quarter.parse(value)
    if quarter is None:
        raise click.BadParameter(f"{value!r} is not a quarter such as 2026-Q4", ctx, param)
    return quarter


def _as_of_date(ctx: click.Context, param: click.Parameter, value: dt.datetime | None) -> dt.date:
    """The --as-of day as a date; today when not given."""
    return value.date() if value else dt.date.today()


AS_OF = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    callback=_as_of_date,
    metavar="DATE",
    help="Score as on this day (YYYY-MM-DD). Default: today.",
)


def scoring_options(command: Any) -> Any:
    """Options every scoring command shares."""
    for option in reversed(
        (
            click.option("--quarter", default=None, callback=quarter_option, metavar="QUARTER",
                         help="Quarter of objectives with no Quarter cell on a tab not named"
                         " after one. Default: the quarter of the as-of date."),
            click.option("--fiscal-year-start", type=click.IntRange(1, 12), default=1,
                         show_default=True, metavar="MONTH",
                         help="Month the fiscal year starts; Q1 begins then."),
            click.option("--on-track-gap", type=click.FloatRange(0, 1), default=0.15,
                         show_default=True, help="Largest gap to the pace still on track."),
            click.option("--at-risk-gap", type=click.FloatRange(0, 1), default=0.30,
                         show_default=True, help="Largest gap to the pace still at risk."),
            click.option("--credentials", type=click.Path(dir_okay=False, path_type=Path),
                         default=None, metavar="FILE",
                         help="Google service-account key (JSON) for a Google Sheet."
                         " Default: $GOOGLE_APPLICATION_CREDENTIALS."),
        )
    ):  # fmt: skip
        command = option(command)
    return command


def lint_options(command: Any) -> Any:
    """Options of the plan checks, shared by `lint` and `sync` (which fills Checks)."""
    command = click.option(
        "--words",
        "word_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Extra word list for the checks (TOML, like sheets_okr/words/en.toml); repeatable.",
    )(command)
    return click.option(
        "--stale-after",
        type=click.IntRange(1, 100),
        default=3,
        show_default=True,
        metavar="SYNCS",
        help="Flag a key result whose Current stayed the same this many syncs in a row"
        " (needs a History tab).",
    )(command)


LANG = click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True,
                     help="Language of the summary (text, numbers and dates).")  # fmt: skip


def scoring_settings(on_track_gap: float, at_risk_gap: float, fiscal_year_start: int) -> Any:
    from sheets_okr.errors import UsageError
    from sheets_okr.scoring import ScoringSettings

    if on_track_gap > at_risk_gap:
        raise UsageError("--on-track-gap must not be larger than --at-risk-gap")
    return ScoringSettings(on_track_gap, at_risk_gap, fiscal_year_start)
