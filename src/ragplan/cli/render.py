"""`ragplan render`: the tracker a board reads, as Markdown or one self-contained HTML page."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from .app import NoCacheOpt, PlanArg, SinceOpt, TodayOpt, app, resolve_today
from .plans import assessor, cache_for, load_plans, require_valid, statuses_of


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
    from ..atomic import replace_file
    from ..rendering import render as render_tracker
    from ..tracker import build

    day = resolve_today(today)
    cache = cache_for(plan, no_cache)
    work = assessor(day, since)  # each process assesses the actions it reads
    loaded = load_plans(plan, cache, keep_parsed=since is not None, work=work)
    require_valid(loaded)
    statuses = statuses_of(loaded, day, since, cache)
    links_from = output.parent if output is not None else Path.cwd()
    tracker = build(statuses, day, links_from, __version__)
    text = render_tracker(tracker, output_format.value, templates)
    if output is None:
        sys.stdout.write(text)
        return
    replace_file(output, text.encode("utf-8"))
    typer.echo(f"wrote {output}")
