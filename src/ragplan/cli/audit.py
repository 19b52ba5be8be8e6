"""`ragplan diff`, `ragplan history` and `ragplan snapshot`: the audit trail (SPEC 2)."""

from __future__ import annotations

import enum
import functools
from pathlib import Path
from typing import Annotated

import typer

from ..commands.common import load_plans, require_valid
from ..commands.targets import choose_plan
from ..commands.trail import diff_outcome, history_outcome
from ..core.errors import InputError
from .app import NoCacheOpt, TodayOpt, app, resolve_today
from .edit import PlanOpt
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


@app.command()
def snapshot(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="The snapshot's name and file name, e.g. 2025-06: letters, digits, - _ .",
        ),
    ],
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="The board's date (default: today)."),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option("--label", help="The board's name, e.g. 'Improvement Board, June 2025'."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a snapshot of that name.")
    ] = False,
    plan: PlanOpt = None,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Record what is reported to a board: snapshots/NAME.yaml with the date, label, and
    the rating and deadline of every action that is not withdrawn."""
    from ..write.atomic import create_file, plan_lock, replace_file
    from ..write.snapshots import snapshot_file_problem, snapshot_text

    problem = snapshot_file_problem(name)
    if problem is not None:
        raise InputError(
            f"snapshot name {name!r}: {problem}", "for example: ragplan snapshot 2025-06"
        )
    folder = choose_plan(plan)
    day = (on or resolve_today(today).isoformat()).strip()
    with plan_lock(folder):
        loaded = load_plans(folder)
        require_valid(loaded)
        (current,) = loaded.plans
        data = snapshot_text(current, day, label)
        target = folder / "snapshots" / f"{name}.yaml"
        target.parent.mkdir(exist_ok=True)
        if force and (target.exists() or target.is_symlink()):
            replace_file(target, data)
        else:
            if target.exists() or target.is_symlink():
                raise InputError(
                    f"{target} already exists",
                    "choose another name, or add --force to replace it",
                )
            create_file(target, data)
    rated = sum(1 for a in current.actions if a.withdrawn is None)
    typer.echo(f"{target}: {rated} ratings as of {day}")


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
