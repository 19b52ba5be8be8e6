"""The Typer app: options every command shares, and the one error boundary (SPEC 2)."""

from __future__ import annotations

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
    from click import ClickException as UsageProblem  # type: ignore[assignment]

from .. import __version__
from ..core.dates import DateError, parse_today
from ..core.errors import InputError, InvalidPlan, RagplanError

REPORT_BUGS = "https://github.com/ragplan/ragplan/issues"

# The command line this process runs, as given (the key of its stored outcome, memo.py),
# and the key the entry point already looked up
invoked_args: list[str] | None = None
replayed_key: bytes | None = None


class RagplanGroup(TyperGroup):
    """Turns expected errors into exit 2 with a plain message, and bugs into exit 3."""

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        global invoked_args
        invoked_args = list(sys.argv[1:] if args is None else args)
        return super().main(args, *rest, **options)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidPlan as error:  # its listing says it all
            sys.stderr.write(error.listing)
            sys.stderr.flush()
            raise typer.Exit(error.exit_code) from None
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


def day_option(option: str, text: str) -> date:
    """A YYYY-MM-DD option's value, or InputError (exit 2) naming the option."""
    try:
        return parse_today(text.strip())
    except DateError as error:
        raise InputError(f"{option}: {error}", f"for example {option} 2015-01-30") from None


def resolve_today(text: str | None) -> date:
    """--today / RAGPLAN_TODAY, else the real date."""
    if text is None or text == "":
        return date.today()
    return day_option("--today", text)


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
