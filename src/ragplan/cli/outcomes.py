"""What `validate`, `check`, `status` and `render` print, without Typer (SPEC 6).

The commands (gate.py, status.py, render.py) and the entry point (launch.py) both call
these (trail.py holds those of `diff` and `history`): a command line in a simple form
is run by the entry point before Typer loads, which is 50 ms of every run, cold or not.
Each function gives the Outcome and the evidence files it depends on, for `produce` to
store and print.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import stat_key
from ..errors import InputError
from ..memo import Outcome
from ..places import boundary_of, find_plan_folders
from .launch import cache_for, run_memo, spare
from .plans import assessor, evidence_links, file_count, invalid, load_plans, statuses_of

if TYPE_CHECKING:
    from rich.console import Console

    from ..cache import CacheDir
    from ..model import Finding

Compute = Callable[[list[Path], "CacheDir | None"], tuple[Outcome, Iterable[Path]]]


def produce(root: Path, no_cache: bool, key: tuple[str, ...] | None, compute: Compute) -> Outcome:
    """What `compute` gives for the plans at `root`, or what an identical earlier run
    gave when no plan file has changed since (`key`: the options that shape the output;
    None when the run cannot be reused)."""
    folders = find_plan_folders(root)
    cache = cache_for(root, no_cache)
    memo = None
    if cache is not None and key is not None:
        memo = run_memo(cache, root, key, folders)
        reused = memo.get()
        if reused is not None:
            return reused
    from . import launch

    if cache is not None:  # each file's result is stored after the output is ready
        cache.hold(behind=launch.own_process)
    outcome, links = compute(folders, cache)
    if memo is not None:
        memo.put(outcome, links)
    if cache is not None:
        cache.write_held()
    launch.spare(links, cache)  # what the run read, freed only with the process
    return outcome


def validate_outcome(
    root: Path, folders: list[Path], cache: CacheDir | None
) -> tuple[Outcome, Iterable[Path]]:
    """The structure of every file: exit 0 when all are valid, 2 when any is not."""
    from ..reports.findings import render_text, sort_findings

    loaded = load_plans(root, cache, folders, with_actions=False)  # findings are enough
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
    from ..judging import Judge
    from ..model import Severity
    from ..reports.findings import FORMATS, render_github_summary, sort_findings

    repo_root = boundary_of(root)
    # each action judged where it is read by the rules that look at one action at a time;
    # with --since the worker's actions come in full, for the base and the rule that
    # compares deadlines with it (judging.py)
    judge = Judge(day, repo_root, "outline" if since is None else "full")
    loaded = load_plans(root, cache, folders, keep_parsed=since is not None, work=judge)
    found: list[Finding] = [*loaded.findings, *(f for judged in loaded.judged for f in judged)]
    if since is None:
        for plan in loaded.plans:
            found += judge.whole(plan)
    else:
        from ..ruleids import RULE_IDS
        from ..since import BaseFinder

        finder = BaseFinder(since, loaded.plans, cache, loaded.parsed)
        for plan in loaded.plans:
            found += judge.whole(plan, finder.base_for(plan, RULE_IDS))
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


def terminal() -> Console:
    """The console a status table is laid out for."""
    from rich.console import Console

    # no emoji codes: `:x:` in a plan's text is shown as written (and their table,
    # 2 ms to load, is never loaded)
    return Console(highlight=False, soft_wrap=False, emoji=False)


# What rich reads from the environment to lay out a table (rich/console.py)
_RICH_ENVIRONMENT = (
    "COLUMNS",
    "LINES",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "DATABRICKS_RUNTIME_VERSION",
)


def layout_key() -> tuple[str, ...]:
    """What decides how `terminal()` lays out a table (part of the key a second run is
    looked up by), known without loading rich's console, 11 ms of a second run (SPEC 6):
    the settings rich reads from the environment, the standard streams (a terminal or
    not, its size) and the output's encoding, the platform, and rich's own files (an
    upgrade changes them)."""
    import rich  # the package alone, to find its files

    streams = []
    for number in (0, 1, 2):
        try:
            streams.append(str(os.get_terminal_size(number)))
        except (OSError, ValueError):
            streams.append("-")
    try:
        is_terminal = bool(sys.stdout.isatty())
    except (AttributeError, ValueError, OSError):
        is_terminal = False
    folder = os.path.dirname(rich.__file__ or "")
    return (
        *(f"{name}={os.environ.get(name)}" for name in _RICH_ENVIRONMENT),
        *streams,
        str(is_terminal),
        str(getattr(sys.stdout, "encoding", None)),
        sys.platform,
        *(str(stat_key(os.path.join(folder, name))) for name in ("console.py", "table.py")),
    )


def _load_terminal() -> None:
    import importlib

    importlib.import_module("ragplan.reports.terminal")


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
    """The dashboard as a terminal table (terminal()), JSON or Markdown."""
    from ..evaluate import select

    # each process assesses the actions it reads: the worker's come as outlines, which
    # hold all that status shows (filecache.outline_action)
    work = assessor(day, since, "outline")
    # a table's layout (rich) is loaded while the worker reads: 20 ms, as long as the
    # worker takes for 450 files
    ahead = (_load_terminal, 450) if output_format == "table" else None
    loaded = load_plans(
        root, cache, folders, keep_parsed=since is not None, work=work, prepare=ahead
    )
    if loaded.has_errors:
        return invalid(loaded), ()
    if rag is not None and not any(
        rag.lower() in {level.key for level in p.rag_scale} for p in loaded.plans
    ):
        keys = sorted({level.key for p in loaded.plans for level in p.rag_scale})
        raise InputError(
            f"--rag {rag!r} is not a rating of this plan", "use one of " + ", ".join(keys)
        )
    assessed = statuses_of(loaded, day, since, cache)
    spare(assessed)
    statuses = [select(s, lead, theme, rag) for s in assessed]
    if output_format == "json":
        import json

        from ..reports.status_data import status_document

        document = status_document(statuses, day)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    elif output_format == "markdown":
        from ..reports.status_markdown import render_status_markdown

        text = render_status_markdown(statuses, group_by)
    else:
        from ..reports.terminal import render_status

        text = render_status(terminal(), statuses, group_by)
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
    from ..atomic import replace_file
    from ..rendering import Prepared
    from ..tracker import build

    work = assessor(day, since)  # each process assesses the actions it reads
    template = Prepared(output_format, templates)  # loaded while the worker reads
    loaded = load_plans(
        root,
        cache,
        folders,
        keep_parsed=since is not None,
        work=work,
        prepare=(template.run, template.COST_FILES),
    )
    if loaded.has_errors:
        return invalid(loaded), ()
    statuses = statuses_of(loaded, day, since, cache)
    links_from = output.parent if output is not None else Path.cwd()
    tracker = build(statuses, day, links_from, __version__)
    text = template.render(tracker)
    if output is None:
        return Outcome(text, "", 0), ()
    replace_file(output, text.encode("utf-8"))
    return Outcome(f"wrote {output}\n", "", 0), ()
