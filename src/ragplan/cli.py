"""The `ragplan` command: parse arguments, call the core, print, exit (SPEC 2)."""

from __future__ import annotations

import enum
import json
import os
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.29 carries its own click; its usage errors derive from TyperException
    from typer import TyperException as UsageProblem
except ImportError:  # pragma: no cover - older typer on the real click
    from click import ClickException as UsageProblem

from . import __version__
from .dates import DateError, parse_today
from .errors import InputError, RagplanError
from .evaluate import PlanStatus, assess, select
from .loader import Loaded, load
from .model import Plan, Snapshot
from .reports.findings import render_text, sort_key

REPORT_BUGS = "https://github.com/ragplan/ragplan/issues"


class RagplanGroup(TyperGroup):
    """Turns expected errors into exit 2 with a plain message, and bugs into exit 3."""

    def invoke(self, ctx: typer.Context) -> Any:
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
                typer.echo(f"ragplan: internal error ({type(error).__name__}: {error}). "
                           f"This is a bug: please report it at {REPORT_BUGS}; "
                           "run again with `ragplan --debug ...` for the details.", err=True)
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
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal "
                                        "error.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Improvement plans as YAML files in git: validate them, see their status, gate CI."""


class GroupBy(str, enum.Enum):
    theme = "theme"
    lead = "lead"


class StatusFormat(str, enum.Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


PlanArg = Annotated[Path, typer.Argument(
    help="A plan folder (holding plan.yaml) or a folder of plan folders.", show_default=True)]
TodayOpt = Annotated[str | None, typer.Option(
    "--today", envvar="RAGPLAN_TODAY", metavar="YYYY-MM-DD",
    help="The date to judge overdue, stale and due soon by (default: the real date; "
         "RAGPLAN_TODAY sets it too).")]


def resolve_today(text: str | None) -> date:
    """--today / RAGPLAN_TODAY, else the real date."""
    if text is None or text == "":
        return date.today()
    try:
        return parse_today(text.strip())
    except DateError as error:
        raise InputError(f"--today: {error}", "for example --today 2015-01-30") from None


def cache_dir_for(root: Path) -> Path | None:
    """Where the read cache lives: .ragplan_cache/ at the repository's top, else in PLAN."""
    if os.environ.get("RAGPLAN_NO_CACHE"):
        return None
    configured = os.environ.get("RAGPLAN_CACHE_DIR")
    if configured:
        return Path(configured)
    start = root.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder / ".ragplan_cache"
    return start / ".ragplan_cache"


def load_plans(root: Path, known_rules: tuple[str, ...] = ()) -> Loaded:
    from .rules import REGISTRY

    return load(root, known_rules or tuple(REGISTRY), cache_dir_for(root))


def require_valid(loaded: Loaded) -> None:
    """Stop with exit 2, listing the problems, when any file is invalid."""
    if loaded.has_errors:
        findings = sorted(loaded.findings, key=sort_key)
        typer.echo(render_text(findings, _file_count(loaded)), err=True, nl=False)
        raise InputError("the plan has structure errors (listed above), so it cannot be used",
                         "fix them and run again; `ragplan validate` lists them")


def _file_count(loaded: Loaded) -> int:
    return sum(1 + len(p.actions) + len(p.snapshots) for p in loaded.plans) or 1


def find_snapshot(plan: Plan, name: str) -> Snapshot | None:
    for snapshot in plan.snapshots:
        if snapshot.name == name:
            return snapshot
    return None


def statuses_for(loaded: Loaded, today: date, since: str | None) -> list[PlanStatus]:
    statuses = []
    for plan in loaded.plans:
        if since is None:
            statuses.append(assess(plan, today))
            continue
        snapshot = find_snapshot(plan, since)
        if snapshot is None:
            names = ", ".join(s.name for s in plan.snapshots) or "none"
            raise InputError(f"--since {since!r}: {plan.path} has no snapshot of that name",
                             f"its snapshots are: {names}")
        statuses.append(assess(plan, today, snapshot))
    return statuses


@app.command()
def status(
    plan: PlanArg = Path("plans"),
    group_by: Annotated[GroupBy, typer.Option("--group-by", help="Group the actions that "
                                              "need attention by theme or by lead.")]
    = GroupBy.theme,
    lead: Annotated[str | None, typer.Option(help="Only actions led by this person "
                                             "(operational or strategic; any case).")] = None,
    theme: Annotated[str | None, typer.Option(help="Only actions of this theme.")] = None,
    rag: Annotated[str | None, typer.Option(help="Only actions with this rating.")] = None,
    output_format: Annotated[StatusFormat, typer.Option("--format", help="table (terminal), "
                                                        "json or markdown.")]
    = StatusFormat.table,
    since: Annotated[str | None, typer.Option(help="Compare ratings with this snapshot "
                                              "(default: the newest one dated before "
                                              "today).")] = None,
    today: TodayOpt = None,
) -> None:
    """Dashboard: counts by rating, overdue, stale, due soon, rating changes, and the
    actions that need attention."""
    day = resolve_today(today)
    loaded = load_plans(plan)
    require_valid(loaded)
    if rag is not None and not any(
        rag.lower() in {level.key for level in p.rag_scale} for p in loaded.plans
    ):
        keys = sorted({level.key for p in loaded.plans for level in p.rag_scale})
        raise InputError(f"--rag {rag!r} is not a rating of this plan",
                         "use one of " + ", ".join(keys))
    statuses = [select(s, lead, theme, rag) for s in statuses_for(loaded, day, since)]
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
def validate(plan: PlanArg = Path("plans")) -> None:
    """Check the structure of every file; list every problem with file:line:column.

    Exits 0 when all files are valid, 2 when any is not."""
    loaded = load_plans(plan)
    findings = sorted(loaded.findings, key=sort_key)
    files = _file_count(loaded)
    if loaded.has_errors:
        typer.echo(render_text(findings, files), nl=False)
        raise typer.Exit(2)
    actions = sum(len(p.actions) for p in loaded.plans)
    plans = len(loaded.plans)
    typer.echo(f"{plans} plan{'s' if plans != 1 else ''}, {actions} "
               f"action{'s' if actions != 1 else ''}: no problems found")


def main() -> None:
    """Console entry point; a crash outside a command still exits 3, never 1."""
    try:
        app()
    except SystemExit:
        raise
    except Exception as error:  # pragma: no cover - a bug before any command ran
        if "--debug" in sys.argv:
            raise
        print(f"ragplan: internal error ({type(error).__name__}: {error}). This is a bug: "
              f"please report it at {REPORT_BUGS}.", file=sys.stderr)
        sys.exit(3)
