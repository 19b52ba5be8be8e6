"""`ragplan check`: the CI gate, structure and every rule."""

from __future__ import annotations

import enum
import functools
import os
from pathlib import Path
from typing import Annotated

import typer

from ..commands.check import check_outcome
from .app import NoCacheOpt, PlanArg, SinceOpt, TodayOpt, app, resolve_today
from .plans import run


class CheckFormat(enum.StrEnum):
    text = "text"
    github = "github"
    json = "json"


@app.command()
def check(
    plan: PlanArg = Path("plans"),
    output_format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            help="text (file:line:col lines), github (workflow annotations, plus a "
            "summary in $GITHUB_STEP_SUMMARY) or json.",
        ),
    ] = CheckFormat.text,
    since: SinceOpt = None,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """The CI gate: structure plus every rule. Exits 1 when any finding is an error,
    2 when a file cannot be used, 0 otherwise.

    With --since, also compares with the base (deadline-moved-unexplained)."""
    day = resolve_today(today)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY") if output_format == "github" else None

    # a run with --since depends on git, and one that writes a job summary must write it
    reusable = since is None and not summary_file
    compute = functools.partial(check_outcome, plan, output_format.value, day, since, summary_file)
    run(plan, no_cache, reusable, compute)
