"""`ragplan diff`: what changed between two states of the plans, for a pull request."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..read.memo import Outcome
from .common import invalid, load_plans

if TYPE_CHECKING:
    from ..core.diff import PlanDiff, Side
    from ..core.model import Plan
    from ..read.cache import CacheDir
    from .since import BaseFinder


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
    from .since import BaseFinder

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
