"""What the commands share: the cache, reading the plans, the verdict on an invalid one,
and giving an identical earlier run's outcome again (produce)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InvalidPlan
from ..read.cache import CacheDir
from ..read.cache import cache_for as _cache_for
from ..read.memo import Outcome, fingerprint, keep, replay
from ..read.places import boundary_of, find_plan_folders

if TYPE_CHECKING:
    from ..core.model import Plan
    from ..core.status import PlanStatus
    from ..read.loader import Loaded


def cache_for(root: Path, no_cache: bool) -> CacheDir | None:
    """The user's cache for a run on `root` (None: turned off, or inside the repository)."""
    return _cache_for(root, no_cache, dict(os.environ))


def load_plans(root: Path, folders: list[Path] | None = None, keep_parsed: bool = False) -> Loaded:
    """Every plan at or below `root` (`keep_parsed`: keep what was parsed, for a base
    that shares most files; see loader.load)."""
    from ..read.loader import load
    from ..rules import RULE_IDS

    return load(root, RULE_IDS, folders, keep_parsed)


def file_count(loaded: Loaded) -> int:
    return loaded.files or 1


def invalid(loaded: Loaded) -> Outcome:
    """Exit 2 with every structure problem listed: the plan cannot be used."""
    from ..views.findings import render_text, sort_findings

    findings = sort_findings(loaded.findings)
    return Outcome(
        "",
        render_text(findings, file_count(loaded))
        + "ragplan: the plan has structure errors (listed above), so it cannot be used\n"
        "  fix them and run again; `ragplan validate` lists them\n",
        2,
    )


def require_valid(loaded: Loaded) -> None:
    """Stop (InvalidPlan: exit 2), listing the problems, when any file is invalid."""
    if loaded.has_errors:
        raise InvalidPlan(invalid(loaded).stderr)


def plan_settings(root: Path) -> list[Plan]:
    """The plan.yaml of each plan at or below `root`, without its actions; exit 2 if invalid."""
    from ..read.loader import Loaded, Source, read_plan_yaml
    from ..rules import RULE_IDS

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
    loaded: Loaded, today: date, since: str | None, cache: CacheDir | None = None
) -> list[tuple[PlanStatus, Plan | None]]:
    """Each plan's status against its baseline, with the base plan when --since names one."""
    from ..core.status import assess

    if since is None:
        return [(assess(p, today), None) for p in loaded.plans]
    from ..rules import RULE_IDS
    from .since import BaseFinder

    finder = BaseFinder(since, loaded.plans, loaded.parsed)
    results = []
    for plan in loaded.plans:
        base = finder.base_for(plan, RULE_IDS)
        results.append((assess(plan, today, base.snapshot, use_default_baseline=False), base.plan))
    return results


def evidence_links(loaded: Loaded) -> Iterable[Path]:
    """The files the plans' evidence links name: a run's verdict depends on them too."""
    from ..core.links import local_links

    return (link for plan in loaded.plans for link in local_links(plan))


Compute = Callable[[list[Path], CacheDir | None], tuple[Outcome, Iterable[Path]]]


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
