"""`ragplan snapshot`: record what the board is told today."""

from __future__ import annotations

from typing import Annotated

import typer

from ..commands.common import load_plans, require_valid
from ..commands.targets import choose_plan
from ..core.errors import InputError
from .app import NoCacheOpt, TodayOpt, app, resolve_today
from .edit import PlanOpt


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
