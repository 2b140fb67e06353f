"""`adopt`: how sheets-okr would read a sheet a team already has, and keeping that map in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from sheets_okr.cli.group import cli
from sheets_okr.cli.options import AS_OF, scoring_options

if TYPE_CHECKING:
    from sheets_okr.actions.score import ReadOptions


@cli.command()
@click.argument("source")
@AS_OF
@click.option("--format", "output_format", type=click.Choice(["text", "toml", "json"]),
              default="text", show_default=True,
              help="A report to read; the proposed column map (TOML, to edit and pass to"
              " --columns); or JSON.")  # fmt: skip
@click.option("--save", is_flag=True,
              help="Keep the proposed map in SOURCE (a Column map tab; beside a CSV file, a"
              " .columns.toml file), so that every command reads SOURCE with it.")  # fmt: skip
@scoring_options
def adopt(source: str, output_format: str, save: bool, reading: ReadOptions) -> None:
    """Propose how to read SOURCE, the sheet your team already keeps.

    Shows each tab's header row and layout, each column's field and why (its name, its
    content, its place), what it will not guess, what it reads and scores, and what
    cannot be read; --save keeps the proposed map in SOURCE. Exit status 0 when every
    OKR row is read and nothing is asked, 1 when questions or unreadable cells remain.

    \b
    Example:
        sheets-okr adopt okrs.xlsx --format toml > map.toml
        sheets-okr adopt okrs.xlsx --columns map.toml --save
    """
    import json

    from sheets_okr.actions.adopt import propose
    from sheets_okr.actions.map_toml import map_toml
    from sheets_okr.cli.adopt_output import proposal_data, render_text

    proposal = propose(source, reading, save=save)
    if output_format == "json":
        click.echo(json.dumps(proposal_data(proposal), ensure_ascii=False, indent=2))
    elif output_format == "toml":
        click.echo(map_toml(proposal), nl=False)
    else:
        click.echo(render_text(proposal, reading.columns.origin), nl=False)
    if proposal.saved is not None and output_format != "text":  # stdout is the map or JSON
        saved = proposal.saved
        said = "saved the map to" if saved.changed else "the map is already in"
        click.echo(f"sheets-okr: {said} {saved.where}", err=True)
    click.get_current_context().exit(proposal.exit_code)
