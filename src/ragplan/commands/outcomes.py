"""What `validate`, `check`, `status` and `render` print: each function gives the
Outcome and the evidence files it depends on, for `produce` to keep and print."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InputError
from ..core.model import Finding, Location, Severity
from ..read.memo import Outcome, fingerprint, keep, replay
from ..read.places import boundary_of, find_plan_folders
from .common import cache_for, evidence_links, file_count, invalid, load_plans

if TYPE_CHECKING:
    from ..read.cache import CacheDir

Compute = Callable[[list[Path], "CacheDir | None"], tuple[Outcome, Iterable[Path]]]


def produce(
    root: Path,
    no_cache: bool,
    key: bytes | None,
    looked_up: bytes | None,
    compute: Compute,
) -> Outcome:
    """What `compute` gives for the plans at `root`, or what an identical earlier run
    gave when no plan file has changed since. `key`: the run's memo.run_key, when its
    output depends on the command line and the plan files alone (not on git, or a file
    the run writes); `looked_up`: the key the entry point looked up already."""
    folders = find_plan_folders(root)
    cache = cache_for(root, no_cache)
    if cache is None or key is None:
        return compute(folders, cache)[0]
    if key != looked_up:
        reused = replay(cache, key)
        if reused is not None:
            return reused
    started = time.time_ns()
    before = fingerprint(folders)
    outcome, links = compute(folders, cache)
    keep(cache, key, root, folders, before, started, outcome, links)
    return outcome


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
        from .base import BaseFinder

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


def status_outcome(
    root: Path,
    output_format: str,
    group_by: str,
    day: date,
    lead: str | None,
    theme: str | None,
    rag: str | None,
    since: str | None,
    folders: list[Path],
    cache: CacheDir | None,
) -> tuple[Outcome, Iterable[Path]]:
    """The dashboard as a terminal table, JSON or Markdown."""
    from ..core.status import select
    from .common import assess_all

    loaded = load_plans(root, folders, keep_parsed=since is not None)
    if loaded.has_errors:
        return invalid(loaded), ()
    if rag is not None and not any(
        rag.lower() in {level.key for level in p.rag_scale} for p in loaded.plans
    ):
        keys = sorted({level.key for p in loaded.plans for level in p.rag_scale})
        raise InputError(
            f"--rag {rag!r} is not a rating of this plan", "use one of " + ", ".join(keys)
        )
    assessed = [status for status, _ in assess_all(loaded, day, since)]
    statuses = [select(s, lead, theme, rag) for s in assessed]
    if output_format == "json":
        import json

        from ..views.status_data import status_document

        document = status_document(statuses, day)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    elif output_format == "markdown":
        from ..views.status_markdown import render_status_markdown

        text = render_status_markdown(statuses, group_by)
    else:
        from ..views.terminal import render_status

        text = render_status(statuses, group_by)
    return Outcome(text, "", 0), ()


def render_outcome(
    root: Path,
    output_format: str,
    output: Path | None,
    templates: Path | None,
    day: date,
    since: str | None,
    folders: list[Path],
    cache: CacheDir | None,
) -> tuple[Outcome, Iterable[Path]]:
    """The tracker, as Markdown or one HTML page: printed, or written to `output`."""
    from .. import __version__
    from ..views.rendering import Prepared
    from ..views.tracker import build
    from ..write.atomic import replace_file
    from .common import assess_all

    template = Prepared(output_format, templates)
    loaded = load_plans(root, folders, keep_parsed=since is not None)
    if loaded.has_errors:
        return invalid(loaded), ()
    statuses = [status for status, _ in assess_all(loaded, day, since)]
    links_from = output.parent if output is not None else Path.cwd()
    tracker = build(statuses, day, links_from, __version__)
    text = template.render(tracker)
    if output is None:
        return Outcome(text, "", 0), ()
    replace_file(output, text.encode("utf-8"))
    return Outcome(f"wrote {output}\n", "", 0), ()
