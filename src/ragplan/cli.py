"""The `ragplan` command: parse arguments, call the core, print, exit (SPEC 2)."""

from __future__ import annotations

import enum
import json
import os
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.29 carries its own click; its usage errors derive from TyperException
    from typer import TyperException as UsageProblem
except ImportError:  # pragma: no cover - older typer on the real click
    from click import ClickException as UsageProblem  # type: ignore[assignment]

from . import __version__
from .dates import DateError, parse_today
from .errors import InputError, RagplanError
from .evaluate import PlanStatus, assess, select
from .loader import Loaded, boundary_of, load
from .model import Finding, Plan, Severity

if TYPE_CHECKING:
    from .cache import CacheDir
from .reports.findings import FORMATS, render_github_summary, render_text, sort_key

REPORT_BUGS = "https://github.com/ragplan/ragplan/issues"


class RagplanGroup(TyperGroup):
    """Turns expected errors into exit 2 with a plain message, and bugs into exit 3."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RagplanError as error:
            _print_error(error.message, error.hint)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, UsageProblem):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except Exception as error:
            if ctx.params.get("debug") or os.environ.get("RAGPLAN_DEBUG"):
                traceback.print_exc()
            else:
                typer.echo(
                    f"ragplan: internal error ({type(error).__name__}: {error}). "
                    f"This is a bug: please report it at {REPORT_BUGS}; "
                    "run again with `ragplan --debug ...` for the details.",
                    err=True,
                )
            raise typer.Exit(3) from None


app = typer.Typer(
    cls=RagplanGroup,
    help="Improvement plans as YAML files in git: validate them, see their status, gate CI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_error(message: str, hint: str | None) -> None:
    typer.echo(f"ragplan: {message}", err=True)
    if hint:
        typer.echo(f"  {hint}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ragplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an internal error.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Improvement plans as YAML files in git: validate them, see their status, gate CI."""


class GroupBy(enum.StrEnum):
    theme = "theme"
    lead = "lead"


class StatusFormat(enum.StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


PlanArg = Annotated[
    Path,
    typer.Argument(
        help="A plan folder (holding plan.yaml) or a folder of plan folders.", show_default=True
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="REF",
        help="Compare with a snapshot name, a git revision (tag, branch, commit, origin/main) or a "
        "date YYYY-MM-DD (the last commit at or before it). Default: the newest snapshot "
        "dated before today.",
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Read every file afresh, without the cache in the user's cache directory "
        "(RAGPLAN_NO_CACHE=1 does the same).",
    ),
]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        envvar="RAGPLAN_TODAY",
        metavar="YYYY-MM-DD",
        help="The date to judge overdue, stale and due soon by (default: the real date; "
        "RAGPLAN_TODAY sets it too).",
    ),
]


def resolve_today(text: str | None) -> date:
    """--today / RAGPLAN_TODAY, else the real date."""
    if text is None or text == "":
        return date.today()
    try:
        return parse_today(text.strip())
    except DateError as error:
        raise InputError(f"--today: {error}", "for example --today 2015-01-30") from None


def cache_for(root: Path, no_cache: bool) -> CacheDir | None:
    """The read cache (SPEC 6): `RAGPLAN_CACHE_DIR`, else the user's cache directory
    (`$XDG_CACHE_HOME/ragplan`, else `~/.cache/ragplan`); None when turned off.

    A cache folder inside the repository being read is never used: everything in a
    checkout may have been written by a pull request's author.
    """
    if no_cache or os.environ.get("RAGPLAN_NO_CACHE", "") not in ("", "0"):
        return None
    configured = os.environ.get("RAGPLAN_CACHE_DIR")
    if configured:
        folder = Path(configured)
    else:
        from platformdirs import user_cache_path

        folder = user_cache_path("ragplan", appauthor=False)
    from .cache import DEFAULT_LIMIT, CacheDir, is_inside
    from .loader import boundary_of

    if is_inside(folder, boundary_of(root)):
        return None
    limit = os.environ.get("RAGPLAN_CACHE_MAX_MB", "")
    return CacheDir(folder, int(limit) * 1024 * 1024 if limit.isdigit() else DEFAULT_LIMIT)


def load_plans(root: Path, no_cache: bool = False) -> Loaded:
    """Every plan at or below `root`, through the cache, on up to two processes."""
    from .rules import REGISTRY

    workers = int(os.environ.get("RAGPLAN_WORKERS") or min(2, os.cpu_count() or 1))
    return load(root, tuple(REGISTRY), cache_for(root, no_cache), workers)


def require_valid(loaded: Loaded) -> None:
    """Stop with exit 2, listing the problems, when any file is invalid."""
    if loaded.has_errors:
        findings = sorted(loaded.findings, key=sort_key)
        typer.echo(render_text(findings, _file_count(loaded)), err=True, nl=False)
        raise InputError(
            "the plan has structure errors (listed above), so it cannot be used",
            "fix them and run again; `ragplan validate` lists them",
        )


def plan_settings(root: Path) -> list[Plan]:
    """The plan.yaml of each plan at or below `root`, without its actions; exit 2 if invalid."""
    from .loader import Source, boundary_of, find_plan_folders, outside_finding, read_plan_file
    from .rules import REGISTRY

    plans = []
    source = Source(boundary_of(root))
    for folder in find_plan_folders(root):
        path = folder / "plan.yaml"
        if source.is_outside(path):
            require_valid(Loaded((), (outside_finding(path),), 1))
        base, problems = read_plan_file(source.read(path), path, folder, tuple(REGISTRY))
        if base is None or problems:
            require_valid(Loaded((), tuple(problems), 1))
        assert base is not None
        plans.append(base)
    return plans


def _file_count(loaded: Loaded) -> int:
    return loaded.files or 1


def assess_all(
    loaded: Loaded, today: date, since: str | None, root: Path, no_cache: bool = False
) -> list[tuple[PlanStatus, Plan | None]]:
    """Each plan's status against its baseline, with the base plan when --since names one."""
    if since is None:
        return [(assess(p, today), None) for p in loaded.plans]
    from .rules import REGISTRY
    from .since import BaseFinder

    finder = BaseFinder(since, loaded.plans, cache_for(root, no_cache))
    results = []
    for plan in loaded.plans:
        base = finder.base_for(plan, tuple(REGISTRY))
        results.append((assess(plan, today, base.snapshot, use_default_baseline=False), base.plan))
    return results


@app.command()
def status(
    plan: PlanArg = Path("plans"),
    group_by: Annotated[
        GroupBy,
        typer.Option(
            "--group-by", help="Group the actions that need attention by theme or by lead."
        ),
    ] = GroupBy.theme,
    lead: Annotated[
        str | None,
        typer.Option(help="Only actions led by this person (operational or strategic; any case)."),
    ] = None,
    theme: Annotated[str | None, typer.Option(help="Only actions of this theme.")] = None,
    rag: Annotated[str | None, typer.Option(help="Only actions with this rating.")] = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", help="table (terminal), json or markdown.")
    ] = StatusFormat.table,
    since: SinceOpt = None,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Dashboard: counts by rating, overdue, stale, due soon, rating changes, and the
    actions that need attention."""
    day = resolve_today(today)
    loaded = load_plans(plan, no_cache)
    require_valid(loaded)
    if rag is not None and not any(
        rag.lower() in {level.key for level in p.rag_scale} for p in loaded.plans
    ):
        keys = sorted({level.key for p in loaded.plans for level in p.rag_scale})
        raise InputError(
            f"--rag {rag!r} is not a rating of this plan", "use one of " + ", ".join(keys)
        )
    statuses = [
        select(s, lead, theme, rag) for s, _ in assess_all(loaded, day, since, plan, no_cache)
    ]
    if output_format is StatusFormat.json:
        from .reports.status_data import status_document

        typer.echo(json.dumps(status_document(statuses, day), indent=2, ensure_ascii=False))
    elif output_format is StatusFormat.markdown:
        from .reports.status_markdown import render_status_markdown

        typer.echo(render_status_markdown(statuses, group_by.value), nl=False)
    else:
        from rich.console import Console

        from .reports.terminal import render_status

        render_status(Console(highlight=False, soft_wrap=False), statuses, group_by.value)


@app.command()
def validate(plan: PlanArg = Path("plans"), no_cache: NoCacheOpt = False) -> None:
    """Check the structure of every file; list every problem with file:line:column.

    Exits 0 when all files are valid, 2 when any is not."""
    loaded = load_plans(plan, no_cache)
    findings = sorted(loaded.findings, key=sort_key)
    files = _file_count(loaded)
    if loaded.has_errors:
        typer.echo(render_text(findings, files), nl=False)
        raise typer.Exit(2)
    actions = sum(len(p.actions) for p in loaded.plans)
    plans = len(loaded.plans)
    typer.echo(
        f"{plans} plan{'s' if plans != 1 else ''}, {actions} "
        f"action{'s' if actions != 1 else ''}: no problems found"
    )


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
    from .rules import Context, run_rules

    day = resolve_today(today)
    loaded = load_plans(plan, no_cache)
    repo_root = boundary_of(plan)
    findings: list[Finding] = list(loaded.findings)
    for status, base in assess_all(loaded, day, since, plan, no_cache):
        findings += run_rules(status.plan, Context(day, status, repo_root, base))
    findings.sort(key=sort_key)
    files = _file_count(loaded)
    typer.echo(FORMATS[output_format.value](findings, files), nl=False)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format is CheckFormat.github and summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(render_github_summary(findings, files))
        except OSError as error:
            typer.echo(f"ragplan: could not write the job summary: {error}", err=True)
    if loaded.has_errors:
        raise typer.Exit(2)
    if any(f.severity is Severity.ERROR for f in findings):
        raise typer.Exit(1)


@app.command("rules")
def rules_command(
    plan: Annotated[
        Path | None,
        typer.Argument(
            help="Show the severities this plan sets (default: ./plans when it exists)."
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """The rule registry: id, default severity, severity in force, description."""
    from .rules import REGISTRY, severity_in_force

    if output_format not in ("text", "json"):
        raise InputError(f"--format {output_format!r}: use text or json")
    folder = plan if plan is not None else (Path("plans") if Path("plans").exists() else None)
    configured = [] if folder is None else plan_settings(folder)
    rows = []
    for rule in REGISTRY.values():
        in_force = {severity_in_force(rule, p) for p in configured} or {rule.severity}
        word = (
            (
                "off" if None in in_force else next(iter(in_force)).value  # type: ignore[union-attr]
            )
            if len(in_force) == 1
            else "varies"
        )
        rows.append((rule.id, rule.severity.value, word, rule.summary))
    if output_format == "json":
        typer.echo(
            json.dumps(
                {
                    "rules": [
                        {"id": r[0], "default": r[1], "in_force": r[2], "description": r[3]}
                        for r in rows
                    ]
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    width = max(len(r[0]) for r in rows)
    typer.echo(f"{'id':<{width}}  default  in force  description")
    for rule_id, default, word, summary in rows:
        typer.echo(f"{rule_id:<{width}}  {default:<7}  {word:<8}  {summary}")


class SchemaKind(enum.StrEnum):
    action = "action"
    plan = "plan"
    snapshot = "snapshot"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file kind.")] = SchemaKind.action,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan", help="Use this plan's rag_scale for ratings (default: Blue/Green/Amber/Red)."
        ),
    ] = None,
) -> None:
    """The JSON Schema (draft-07) of an action, plan or snapshot file, for editors."""
    from .model import DEFAULT_SCALE
    from .schema import json_schema

    scale = DEFAULT_SCALE if plan is None else plan_settings(plan)[0].rag_scale
    typer.echo(json.dumps(json_schema(kind.value, scale), indent=2, ensure_ascii=False))


def main() -> None:
    """Console entry point; a crash outside a command still exits 3, never 1."""
    try:
        app()
    except SystemExit:
        raise
    except Exception as error:  # pragma: no cover - a bug before any command ran
        if "--debug" in sys.argv:
            raise
        print(
            f"ragplan: internal error ({type(error).__name__}: {error}). This is a bug: "
            f"please report it at {REPORT_BUGS}.",
            file=sys.stderr,
        )
        sys.exit(3)
