"""`ragplan validate` (structure) and `ragplan check` (the CI gate: structure and rules)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import Finding, Location, Severity
from ..read.memo import Outcome
from ..read.places import boundary_of
from .common import evidence_links, file_count, load_plans

if TYPE_CHECKING:
    from ..read.cache import CacheDir


def validate_outcome(
    root: Path, folders: list[Path], cache: CacheDir | None
) -> tuple[Outcome, Iterable[Path]]:
    """The structure of every file: exit 0 when all are valid, 2 when any is not."""
    from ..views.findings import render_text, sort_findings

    loaded = load_plans(root, folders)
    if loaded.has_errors:
        return Outcome(render_text(sort_findings(loaded.findings), file_count(loaded)), "", 2), ()
    actions = loaded.actions
    plans = len(loaded.plans)
    return Outcome(
        f"{plans} plan{'s' if plans != 1 else ''}, {actions} "
        f"action{'s' if actions != 1 else ''}: no problems found\n",
        "",
        0,
    ), ()


def check_outcome(
    root: Path,
    output_format: str,
    day: date,
    since: str | None,
    summary_file: str | None,
    folders: list[Path],
    cache: CacheDir | None,
) -> tuple[Outcome, Iterable[Path]]:
    """The CI gate: structure and every rule; exit 1 on an error finding, 2 when a file
    cannot be used. `summary_file`: where a GitHub job summary is appended."""
    from ..core.status import assess
    from ..rules import Context, run_rules
    from ..views.findings import FORMATS, render_github_summary, sort_findings

    repo_root = boundary_of(root)
    loaded = load_plans(root, folders, keep_parsed=since is not None)
    found: list[Finding] = list(loaded.findings)
    finder = None
    if since is not None:
        from ..rules import RULE_IDS
        from .since import BaseFinder

        finder = BaseFinder(since, loaded.plans, loaded.parsed)
    for plan in loaded.plans:
        if finder is None:
            status, base = assess(plan, day), None
        else:
            at = finder.base_for(plan, RULE_IDS)
            status, base = assess(plan, day, at.snapshot, use_default_baseline=False), at.plan
        found += run_rules(plan, Context(day, status, repo_root, base))
    if finder is not None and since is not None:
        found += [plan_removed(folder, since) for folder in finder.removed(root, loaded.plans)]
    findings = sort_findings(found)
    files = file_count(loaded)
    stderr = ""
    if summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(render_github_summary(findings, files))
        except OSError as error:
            stderr = f"ragplan: could not write the job summary: {error}\n"
    code = (
        2 if loaded.has_errors else 1 if any(f.severity is Severity.ERROR for f in findings) else 0
    )
    return Outcome(FORMATS[output_format](findings, files), stderr, code), evidence_links(loaded)


def plan_removed(folder: Path, since: str) -> Finding:
    """A plan that the base had and the working tree has not: its actions left the gate."""
    return Finding(
        "plan-removed",
        Severity.ERROR,
        f"{folder} was a plan at {since}, and its plan.yaml is gone: none of its actions "
        "is checked any more",
        Location(folder / "plan.yaml", 1, 1),
        "restore plan.yaml; to end actions, mark them `withdrawn:` with a reason",
        plan=folder,
        has_line=False,
    )
