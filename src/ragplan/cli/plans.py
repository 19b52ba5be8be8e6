"""Reading plans for a command, and printing what it made of them."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import CacheDir
from ..cache import cache_for as _cache_for
from ..memo import Outcome
from ..places import boundary_of, find_plan_folders

if TYPE_CHECKING:
    from ..evaluate import PlanStatus
    from ..loader import Loaded
    from ..model import Plan


def cache_for(root: Path, no_cache: bool) -> CacheDir | None:
    """The user's cache for a run on `root` (None: turned off, or inside the repository)."""
    return _cache_for(root, no_cache, dict(os.environ))


def load_plans(root: Path, folders: list[Path] | None = None, keep_parsed: bool = False) -> Loaded:
    """Every plan at or below `root` (`keep_parsed`: keep what was parsed, for a base
    that shares most files; see loader.load)."""
    from ..loader import load
    from ..ruleids import RULE_IDS

    return load(root, RULE_IDS, folders, keep_parsed)


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
    loaded: Loaded, today: date, since: str | None, cache: CacheDir | None = None
) -> list[tuple[PlanStatus, Plan | None]]:
    """Each plan's status against its baseline, with the base plan when --since names one."""
    from ..evaluate import assess

    if since is None:
        return [(assess(p, today), None) for p in loaded.plans]
    from ..ruleids import RULE_IDS
    from ..since import BaseFinder

    finder = BaseFinder(since, loaded.plans, loaded.parsed)
    results = []
    for plan in loaded.plans:
        base = finder.base_for(plan, RULE_IDS)
        results.append((assess(plan, today, base.snapshot, use_default_baseline=False), base.plan))
    return results


def evidence_links(loaded: Loaded) -> Iterable[Path]:
    """The files the plans' evidence links name: a run's verdict depends on them too."""
    from ..links import local_links

    return (link for plan in loaded.plans for link in local_links(plan))


def deliver(outcome: Outcome) -> None:
    """Print an outcome and exit with its code."""
    for text, stream in ((outcome.stdout, sys.stdout), (outcome.stderr, sys.stderr)):
        if text:
            stream.write(text)
            stream.flush()
    import typer

    raise typer.Exit(outcome.exit_code)
