"""The Typer app: options every command shares, and the one error boundary (SPEC 2)."""

from __future__ import annotations

import copy
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.29 carries its own click; its usage errors derive from TyperException
    from typer import TyperException as UsageProblem
except ImportError:  # pragma: no cover - older typer on the real click
    from click import ClickException as UsageProblem  # type: ignore[assignment]

from .. import __version__
from ..errors import RagplanError
from .launch import day_option as day_option
from .launch import resolve_today as resolve_today

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


def narrowed(argv: list[str]) -> typer.Typer:
    """The app with only the command that `argv` names (all of them for `--help`, a
    mistyped name, or none). Typer builds every command's options on every run, 25 ms
    for seven commands, of a second run's 0.16 s in all (SPEC 6)."""
    from typer.main import get_command_name

    for arg in argv:
        if arg == "--debug":
            continue
        wanted = [
            info
            for info in app.registered_commands
            if (info.name or get_command_name(info.callback.__name__ if info.callback else ""))
            == arg
        ]
        if wanted:
            narrow = copy.copy(app)  # still a group: the app has a callback (_root)
            narrow.registered_commands = wanted
            return narrow
        break
    return app


def main() -> None:
    """Console entry point; a crash outside a command still exits 3, never 1."""
    try:
        narrowed(sys.argv[1:])()
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
