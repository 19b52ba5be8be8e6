"""`ragplan history REF`: one action over time, from the git log and the snapshots."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..read.memo import Outcome
from .common import invalid, load_plans

if TYPE_CHECKING:
    from ..core.model import Action, Plan
    from ..read.cache import CacheDir


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
