"""`ragplan status`: the dashboard, as a terminal table, JSON or Markdown."""

from __future__ import annotations

import enum
import functools
from pathlib import Path
from typing import Annotated

import typer

from ..commands.status import status_outcome
from .app import NoCacheOpt, PlanArg, SinceOpt, TodayOpt, app, resolve_today
from .plans import run


class GroupBy(enum.StrEnum):
    theme = "theme"
    lead = "lead"


class StatusFormat(enum.StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
def status(
    plan: PlanArg = Path("plans"),
    group_by: Annotated[
        GroupBy,
        typer.Option(
            "--group-by", help="Group the actions that need attention by theme or by lead."
        ),
    ] = GroupBy.theme,
    lead: Annotated[
        str | None,
        typer.Option(help="Only actions led by this person (operational or strategic; any case)."),
    ] = None,
    theme: Annotated[str | None, typer.Option(help="Only actions of this theme.")] = None,
    rag: Annotated[str | None, typer.Option(help="Only actions with this rating.")] = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", help="table (terminal), json or markdown.")
    ] = StatusFormat.table,
    since: SinceOpt = None,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Dashboard: counts by rating, overdue, stale, due soon, rating changes, and the
    actions that need attention."""
    day = resolve_today(today)
    compute = functools.partial(
        status_outcome,
        plan,
        output_format.value,
        group_by.value,
        day,
        lead,
        theme,
        rag,
        since,
    )
    run(plan, no_cache, since is None, compute)  # --since: the result depends on git
