"""`ragplan render`: the tracker a board reads, as Markdown or one self-contained HTML page."""

from __future__ import annotations

import enum
import functools
from pathlib import Path
from typing import Annotated

import typer

from ..commands.render import render_outcome
from .app import NoCacheOpt, PlanArg, SinceOpt, TodayOpt, app, resolve_today
from .plans import run


class RenderFormat(enum.StrEnum):
    markdown = "markdown"
    html = "html"


@app.command()
def render(
    plan: PlanArg = Path("plans"),
    output_format: Annotated[
        RenderFormat, typer.Option("--format", help="markdown or html (one self-contained page).")
    ] = RenderFormat.html,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Write here (default: standard output)."
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help="A folder of templates (tracker.html.j2, tracker.md.j2, tracker.css) used "
            "instead of the shipped ones; any it lacks come from the shipped set.",
        ),
    ] = None,
    since: SinceOpt = None,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """The tracker, as a board reads it: legend, summary, a chart of ratings at each
    board, then per theme the actions with rating, change, leads, latest progress,
    deadline, evidence and outcome. Several plans: one document, a summary table first."""
    day = resolve_today(today)
    compute = functools.partial(
        render_outcome, plan, output_format.value, output, templates, day, since
    )
    run(plan, no_cache, False, compute)  # a tracker is written afresh each time
