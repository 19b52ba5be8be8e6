"""`ragplan diff`: what changed between two states of the plan."""

from __future__ import annotations

import enum
import functools
from pathlib import Path
from typing import Annotated

import typer

from ..commands.diff import diff_outcome
from .app import NoCacheOpt, TodayOpt, app, resolve_today
from .plans import run


class DiffFormat(enum.StrEnum):
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    base: Annotated[
        str,
        typer.Argument(
            metavar="BASE",
            help="A snapshot name, a git revision (tag, branch, commit, origin/main) or a "
            "date YYYY-MM-DD (the last commit at or before it).",
        ),
    ],
    head: Annotated[
        str | None,
        typer.Argument(metavar="[HEAD]", help="The same kinds; default: the working tree."),
    ] = None,
    plan: Annotated[
        Path,
        typer.Option("--plan", metavar="PLAN", help="A plan folder or a folder of plan folders."),
    ] = Path("plans"),
    output_format: Annotated[
        DiffFormat, typer.Option("--format", help="markdown (for a pull request) or json.")
    ] = DiffFormat.markdown,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """What changed in the plan between two states: ratings, deadlines, explanations,
    updates, evidence, actions added, completed, withdrawn, removed, newly overdue.

    Markdown fit for a pull-request comment; unchanged actions are not listed."""
    day = resolve_today(today)
    compute = functools.partial(diff_outcome, plan, base, head, output_format.value, day)
    run(plan, no_cache, False, compute)
