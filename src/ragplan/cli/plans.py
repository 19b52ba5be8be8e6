"""Reading plans for a command: the cache, the workers, the one reused run (SPEC 6)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..memo import Outcome
from ..places import boundary_of, find_plan_folders
from .launch import cache_for as cache_for
from .launch import spare

if TYPE_CHECKING:
    from ..cache import CacheDir
    from ..evaluate import PlanStatus
    from ..loader import Loaded, PartWork, Prepare
    from ..model import Plan
    from .outcomes import Compute


def load_plans(
    root: Path,
    cache: CacheDir | None = None,
    folders: list[Path] | None = None,
    keep_parsed: bool = False,
    with_actions: bool = True,
    work: PartWork | None = None,
    prepare: Prepare | None = None,
) -> Loaded:
    """Every plan at or below `root`, through the cache, on up to two processes
    (`keep_parsed`: keep what was parsed, for a base that shares most files;
    `with_actions=False`: only count the actions; `work`: work on them where they are
    read; see loader.load)."""
    from ..loader import load
    from ..ruleids import RULE_IDS

    loaded = load(
        root, RULE_IDS, cache, workers(), folders, keep_parsed, with_actions, work, prepare
    )
    spare(loaded)  # freed only with the process (launch.spare)
    return loaded


def workers() -> int:
    """How many processes a command may use: RAGPLAN_WORKERS, else up to two."""
    configured = os.environ.get("RAGPLAN_WORKERS", "")
    return int(configured) if configured.isdigit() else min(2, os.cpu_count() or 1)


def file_count(loaded: Loaded) -> int:
    return loaded.files or 1


def invalid(loaded: Loaded) -> Outcome:
    """Exit 2 with every structure problem listed: the plan cannot be used."""
    from ..reports.findings import render_text, sort_findings

    findings = sort_findings(loaded.findings)
    return Outcome(
        "",
        render_text(findings, file_count(loaded))
        + "ragplan: the plan has structure errors (listed above), so it cannot be used\n"
        "  fix them and run again; `ragplan validate` lists them\n",
        2,
    )


def require_valid(loaded: Loaded) -> None:
    """Stop with exit 2, listing the problems, when any file is invalid."""
    if loaded.has_errors:
        deliver(invalid(loaded))


def plan_settings(root: Path) -> list[Plan]:
    """The plan.yaml of each plan at or below `root`, without its actions; exit 2 if invalid."""
    from ..loader import Loaded, Source, read_plan_yaml
    from ..ruleids import RULE_IDS

    plans = []
    source = Source(boundary_of(root))
    for folder in find_plan_folders(root):
        base, problems, _ = read_plan_yaml(folder, RULE_IDS, source)
        if base is None or problems:
            require_valid(Loaded((), tuple(problems), 1))
        assert base is not None
        plans.append(base)
    return plans


def assess_all(
    loaded: Loaded, today: date, since: str | None, cache: CacheDir | None
) -> list[tuple[PlanStatus, Plan | None]]:
    """Each plan's status against its baseline, with the base plan when --since names one."""
    from ..evaluate import assess

    if since is None:
        return [(assess(p, today), None) for p in loaded.plans]
    from ..ruleids import RULE_IDS
    from ..since import BaseFinder

    finder = BaseFinder(since, loaded.plans, cache, loaded.parsed)
    results = []
    for plan in loaded.plans:
        base = finder.base_for(plan, RULE_IDS)
        results.append((assess(plan, today, base.snapshot, use_default_baseline=False), base.plan))
    return results


def assessor(day: date, since: str | None, actions: str = "full") -> PartWork | None:
    """The work that assesses each action where it is read (judging.Assessor), for a
    load without --since (which assesses against the base: assess_all)."""
    if since is not None:
        return None
    from ..judging import Assessor

    return Assessor(day, actions)


def statuses_of(
    loaded: Loaded, day: date, since: str | None, cache: CacheDir | None
) -> list[PlanStatus]:
    """Each plan's status: from what each process assessed, when an assessor was given to
    the load, else from assess_all."""
    if not loaded.judged:
        return [status for status, _ in assess_all(loaded, day, since, cache)]
    from ..evaluate import choose_baseline, plan_status

    return [
        plan_status(plan, day, choose_baseline(plan.snapshots, day), judged)
        for plan, judged in zip(loaded.plans, loaded.judged, strict=True)
    ]


def evidence_links(loaded: Loaded) -> Iterable[Path]:
    """The files the plans' evidence links name: a run's verdict depends on them too."""
    from ..links import local_links

    return (link for plan in loaded.plans for link in local_links(plan))


def run(root: Path, no_cache: bool, key: tuple[str, ...] | None, compute: Compute) -> None:
    """Print what `compute` gives for the plans at `root` (see outcomes.produce) and exit."""
    from .outcomes import produce

    deliver(produce(root, no_cache, key, compute))


def deliver(outcome: Outcome) -> None:
    """Print an outcome and exit with its code.

    Written to the streams as it is: colour, where there is any, was chosen for this
    terminal when the outcome was rendered (click.echo would scan 1 MB for it again)."""
    for text, stream in ((outcome.stdout, sys.stdout), (outcome.stderr, sys.stderr)):
        if text:
            stream.write(text)
            stream.flush()
    import typer

    raise typer.Exit(outcome.exit_code)
