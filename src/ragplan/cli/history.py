"""`ragplan history`: one action over time."""

from __future__ import annotations

import enum
import functools
from typing import Annotated

import typer

from ..commands.history import history_outcome
from ..commands.targets import choose_plan
from .app import NoCacheOpt, app
from .edit import PlanOpt
from .plans import run


class HistoryFormat(enum.StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command()
def history(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action's ref, e.g. 3b.")],
    plan: PlanOpt = None,
    output_format: Annotated[
        HistoryFormat, typer.Option("--format", help="table, markdown or json.")
    ] = HistoryFormat.table,
    no_cache: NoCacheOpt = False,
) -> None:
    """One action over time: each commit that changed its file (who, when, what:
    rating, deadline, revised deadline, updates, evidence), with each board snapshot
    that rated it, oldest first. Follows a renamed file."""
    folder = choose_plan(plan)
    run(
        folder,
        no_cache,
        False,
        functools.partial(history_outcome, folder, ref, output_format.value),
    )
