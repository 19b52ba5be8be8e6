"""`ragplan validate` (structure) and `ragplan check` (the CI gate: structure and rules)."""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..memo import Outcome
from ..places import boundary_of
from .app import NoCacheOpt, PlanArg, SinceOpt, TodayOpt, app, resolve_today
from .launch import VALIDATE_KEY, check_key
from .plans import assess_all, evidence_links, file_count, load_plans, run

if TYPE_CHECKING:
    from ..cache import CacheDir
    from ..model import Finding


@app.command()
def validate(plan: PlanArg = Path("plans"), no_cache: NoCacheOpt = False) -> None:
    """Check the structure of every file; list every problem with file:line:column.

    Exits 0 when all files are valid, 2 when any is not."""

    def compute(folders: list[Path], cache: CacheDir | None) -> tuple[Outcome, Iterable[Path]]:
        from ..reports.findings import render_text, sort_key

        loaded = load_plans(plan, cache, folders, with_actions=False)  # findings are enough
        if loaded.has_errors:
            findings = sorted(loaded.findings, key=sort_key)
            return Outcome(render_text(findings, file_count(loaded)), "", 2), ()
        actions = loaded.actions
        plans = len(loaded.plans)
        return Outcome(
            f"{plans} plan{'s' if plans != 1 else ''}, {actions} "
            f"action{'s' if actions != 1 else ''}: no problems found\n",
            "",
            0,
        ), ()

    run(plan, no_cache, VALIDATE_KEY, compute)


class CheckFormat(enum.StrEnum):
    text = "text"
    github = "github"
    json = "json"


@app.command()
def check(
    plan: PlanArg = Path("plans"),
    output_format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            help="text (file:line:col lines), github (workflow annotations, plus a "
            "summary in $GITHUB_STEP_SUMMARY) or json.",
        ),
    ] = CheckFormat.text,
    since: SinceOpt = None,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """The CI gate: structure plus every rule. Exits 1 when any finding is an error,
    2 when a file cannot be used, 0 otherwise.

    With --since, also compares with the base (deadline-moved-unexplained)."""
    day = resolve_today(today)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY") if output_format == "github" else None

    def compute(folders: list[Path], cache: CacheDir | None) -> tuple[Outcome, Iterable[Path]]:
        from ..model import Severity
        from ..reports.findings import FORMATS, render_github_summary, sort_key
        from ..rules import Context, run_rules

        loaded = load_plans(plan, cache, folders, keep_parsed=since is not None)
        repo_root = boundary_of(plan)
        findings: list[Finding] = list(loaded.findings)
        for status, base in assess_all(loaded, day, since, cache):
            findings += run_rules(status.plan, Context(day, status, repo_root, base))
        findings.sort(key=sort_key)
        files = file_count(loaded)
        stderr = ""
        if summary_file:
            try:
                with open(summary_file, "a", encoding="utf-8") as handle:
                    handle.write(render_github_summary(findings, files))
            except OSError as error:
                stderr = f"ragplan: could not write the job summary: {error}\n"
        code = (
            2
            if loaded.has_errors
            else 1
            if any(f.severity is Severity.ERROR for f in findings)
            else 0
        )
        return Outcome(FORMATS[output_format.value](findings, files), stderr, code), (
            evidence_links(loaded)
        )

    # a run with --since depends on git, and one that writes a job summary must write it
    reusable = since is None and not summary_file
    key = check_key(output_format.value, day) if reusable else None
    run(plan, no_cache, key, compute)
