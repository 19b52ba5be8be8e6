"""What `diff` and `history` print."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..read.memo import Outcome
from .common import invalid, load_plans

if TYPE_CHECKING:
    from ..core.diff import PlanDiff, Side
    from ..core.model import Action, Plan
    from ..read.cache import CacheDir
    from .base import BaseFinder


def diff_outcome(
    root: Path,
    base: str,
    head: str | None,
    output_format: str,
    day: date,
    folders: list[Path],
    cache: CacheDir | None,
) -> tuple[Outcome, Iterable[Path]]:
    """What changed between two states of the plans at `root` (HEAD None: the working
    tree), as Markdown or JSON."""
    from ..core.diff import compare, note_moves
    from ..views.diff_report import render_json, render_markdown
    from .base import BaseFinder

    loaded = load_plans(root, folders, keep_parsed=True)
    if loaded.has_errors:
        return invalid(loaded), ()
    finders: dict[str, BaseFinder] = {}
    for spec, what in ((base, "BASE"), (head, "HEAD")):
        if spec is not None and spec not in finders:
            finders[spec] = BaseFinder(spec, loaded.plans, loaded.parsed, what)

    def diffs_of(plans: tuple[Plan, ...]) -> list[PlanDiff]:
        diffs = []
        for current in plans:
            head_plan, head_side = _side_of(head, current, day, finders)
            base_plan, base_side = _side_of(base, current, day, finders)
            if head_plan is None:  # the plan did not exist at HEAD: nothing to compare
                continue
            diffs.append(compare(base_plan, head_plan, base_side, head_side))
        return diffs

    diffs = diffs_of(loaded.plans)
    if not diffs:
        return Outcome(f"No plan under {root} existed at {head}.\n", "", 0), ()
    render = render_json if output_format == "json" else render_markdown
    return Outcome(render(note_moves(diffs)), "", 0), ()


def _side_of(
    spec: str | None, plan: Plan, today: date, finders: dict[str, BaseFinder]
) -> tuple[Plan | None, Side]:
    """The plan at one end of a diff: the working tree (None), a snapshot, or git."""
    from ..core.as_at import plan_at
    from ..core.diff import Side
    from ..rules import RULE_IDS

    if spec is None:
        return plan, Side("working tree", today)
    snapshot = next((s for s in plan.snapshots if s.name == spec), None)
    if snapshot is not None:
        side = Side(f"snapshot {spec}", snapshot.on, snapshot.label)
        return plan_at(plan, snapshot), side
    finder = finders[spec]
    at = finder.base_for(plan, RULE_IDS).plan
    sha = (finder.sha or "")[:10]
    name = f"git {sha}" if sha.startswith(spec) or spec.startswith(sha) else f"{spec} (git {sha})"
    return at, Side(name, finder.on)


def history_outcome(
    folder: Path, ref: str, output_format: str, folders: list[Path], cache: CacheDir | None
) -> tuple[Outcome, Iterable[Path]]:
    """One action of the plan at `folder` over time, as a table, Markdown or JSON."""
    from ..core.errors import GitError
    from ..git.repository import Repository
    from ..read.loader import Source
    from ..read.places import boundary_of
    from ..read.refindex import locate
    from ..read.timeline import Version, build
    from ..views import history_report
    from .targets import read_target

    loaded = load_plans(folder, folders)
    if loaded.has_errors:
        return invalid(loaded), ()
    (current,) = loaded.plans
    action = _the_action(current, ref)
    if action is None:  # none, or several: locate words which (and the closest refs)
        source = Source(boundary_of(folder))
        action, _ = read_target(current, locate(folder, ref, source, cache), source)
    path = action.path
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
        "table": history_report.render_table,
        "markdown": history_report.render_markdown,
        "json": history_report.render_json,
    }[output_format]
    return Outcome(render(timeline), "", 0), ()


def _the_action(plan: Plan, ref: str) -> Action | None:
    """The one action of the loaded plan with that ref (else, with it in any case), as
    locate finds it, without reading the files again; None when not exactly one."""
    found = [a for a in plan.actions if a.ref == ref]
    if not found:
        found = [a for a in plan.actions if a.ref.casefold() == ref.casefold()]
    return found[0] if len(found) == 1 else None
