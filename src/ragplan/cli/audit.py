"""`ragplan diff`, `ragplan history` and `ragplan snapshot`: the audit trail (SPEC 2)."""

from __future__ import annotations

import enum
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError
from .app import NoCacheOpt, TodayOpt, app, resolve_today
from .edit import PlanOpt
from .plans import cache_for, load_plans, require_valid
from .targets import choose_plan

if TYPE_CHECKING:
    from ..diffing import Side
    from ..loader import Parsed
    from ..model import Plan
    from ..since import BaseFinder


class DiffFormat(enum.StrEnum):
    markdown = "markdown"
    json = "json"


def _side_of(
    spec: str | None, plan: Plan, today: date, finders: dict[str, BaseFinder]
) -> tuple[Plan | None, Side]:
    """The plan at one end of a diff: the working tree (None), a snapshot, or git."""
    from ..diffing import Side, plan_from_snapshot
    from ..ruleids import RULE_IDS

    if spec is None:
        return plan, Side("working tree", today)
    snapshot = next((s for s in plan.snapshots if s.name == spec), None)
    if snapshot is not None:
        side = Side(f"snapshot {spec}", snapshot.on, snapshot.label)
        return plan_from_snapshot(plan, snapshot), side
    finder = finders[spec]
    at = finder.base_for(plan, RULE_IDS).plan
    sha = (finder.sha or "")[:10]
    name = f"git {sha}" if sha.startswith(spec) or spec.startswith(sha) else f"{spec} (git {sha})"
    return at, Side(name, finder.on)


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
    from ..diffing import compare, note_moves
    from ..reports.diff_report import render_json, render_markdown
    from ..since import BaseFinder

    day = resolve_today(today)
    cache = cache_for(plan, no_cache)
    loaded = load_plans(plan, cache, keep_parsed=True)
    require_valid(loaded)
    parsed: Parsed | None = loaded.parsed
    finders: dict[str, BaseFinder] = {}
    for spec, what in ((base, "BASE"), (head, "HEAD")):
        if spec is not None and spec not in finders:
            finders[spec] = BaseFinder(spec, loaded.plans, cache, parsed, what)
    diffs = []
    for current in loaded.plans:
        head_plan, head_side = _side_of(head, current, day, finders)
        base_plan, base_side = _side_of(base, current, day, finders)
        if head_plan is None:  # the plan did not exist at HEAD: nothing to compare
            continue
        diffs.append(compare(base_plan, head_plan, base_side, head_side))
    if not diffs:
        typer.echo(f"No plan under {plan} existed at {head}.")
        return
    render = render_json if output_format is DiffFormat.json else render_markdown
    typer.echo(render(note_moves(diffs)), nl=False)


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
    from ..atomic import create_file, plan_lock, replace_file
    from ..recording import snapshot_file_problem, snapshot_text

    problem = snapshot_file_problem(name)
    if problem is not None:
        raise InputError(
            f"snapshot name {name!r}: {problem}", "for example: ragplan snapshot 2025-06"
        )
    folder = choose_plan(plan)
    day = (on or resolve_today(today).isoformat()).strip()
    with plan_lock(folder):
        loaded = load_plans(folder, cache_for(folder, no_cache))
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
    from ..errors import GitError
    from ..history import Repository
    from ..loader import Source
    from ..places import boundary_of
    from ..refindex import locate
    from ..reports import history_report
    from ..timeline import Version, build
    from .targets import read_target

    folder = choose_plan(plan)
    cache = cache_for(folder, no_cache)
    loaded = load_plans(folder, cache)
    require_valid(loaded)
    (current,) = loaded.plans
    source = Source(boundary_of(folder))
    path = locate(folder, ref, source, cache)
    action, _ = read_target(current, path, source)
    versions: list[Version] = []
    note = None
    try:
        repo = Repository(folder)
    except GitError:
        note = "the plan is not in a git repository, so only board snapshots are shown"
    else:
        log = repo.file_log(path)
        blobs = repo.objects([f"{r.sha}:{r.name}" for r in log])
        versions = [
            Version(r.sha, r.author, r.on, r.name, blob if isinstance(blob, bytes) else None)
            for r, blob in zip(log, blobs, strict=True)
        ]
    timeline = build(action.ref, action, current, versions)
    if note is not None:
        timeline = replace(timeline, stopped=note)
    render = {
        HistoryFormat.table: history_report.render_table,
        HistoryFormat.markdown: history_report.render_markdown,
        HistoryFormat.json: history_report.render_json,
    }[output_format]
    typer.echo(render(timeline), nl=False)
