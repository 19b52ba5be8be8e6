"""The `ragplan` entry point: the reading commands run before Typer loads.

Typer and click take 50 ms to import: a third of a second run, and a twentieth of a
cold one on 10,000 files (SPEC 6). So a command line of `validate`, `check`, `status`,
`render`, `diff` or `history` in the simple forms below is run here (outcomes.py and
trail.py: the very functions, and keys, the commands use), and a second run of the
first three on unchanged files prints what the first printed (memo.RunMemo). Anything
else, and any problem met here, goes to the command layer (`commands`: Typer), which
parses the line in full and words every problem.

Also here, because both paths need them without Typer: the cache's place (cache_for)
and the date a run judges by (resolve_today).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..dates import DateError, parse_today
from ..errors import InputError

if TYPE_CHECKING:
    from ..cache import CacheDir
    from ..memo import Outcome, RunMemo

# The commands run here, each with the --format values it may carry here (check's
# github format may write a job summary).
_FORMATS = {
    "validate": ("",),
    "check": ("text", "json"),
    "status": ("table", "json", "markdown"),
    "render": ("html", "markdown"),
    "diff": ("markdown", "json"),
    "history": ("table", "markdown", "json"),
}
_DEFAULT_FORMAT = {
    "validate": "",
    "check": "text",
    "status": "table",
    "render": "html",
    "diff": "markdown",
    "history": "table",
}
_VALUED = {  # the options each may carry here that take a value; --no-cache is a flag
    "validate": (),
    "check": ("--today", "--format", "--since"),
    "status": ("--today", "--format", "--group-by"),
    "render": ("--today", "--format", "--since", "--output", "--templates"),
    "diff": ("--today", "--format", "--plan"),
    "history": ("--format", "--plan"),
}
_ARGUMENTS = {"diff": ("base", "head"), "history": ("ref",)}  # else one: the plan
_SHORT = {"-o": "--output"}  # render's -o, as its long name (then given once only)
_GROUPS = ("theme", "lead")
VALIDATE_KEY = ("validate",)  # nothing else shapes its output


# True in the process the console entry point started (not in a test's CliRunner): the
# cache's large writes may then be done by a detached copy of it (CacheDir.write_held),
# and what a run read is never freed (spare)
own_process = False
_spared: list[object] = []


def spare(*values: object) -> None:
    """Keep `values` to the end of the process, which then ends without freeing them:
    freeing 10,000 actions' objects one by one takes a tenth of reading them (SPEC 6)."""
    if own_process:
        _spared.extend(values)


def main() -> None:
    """Console entry point."""
    global own_process
    own_process = True
    outcome = None
    try:
        outcome = simple_run(sys.argv[1:])
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # any problem here: the command layer meets it too, and words it
        typer = sys.modules.get("typer")
        if typer is not None and isinstance(error, typer.Exit):  # plans.deliver: printed
            sys.exit(error.exit_code)
        outcome = None
    if outcome is not None:
        for text, stream in ((outcome.stdout, sys.stdout), (outcome.stderr, sys.stderr)):
            if text:
                stream.write(text)
                stream.flush()
        if _spared:
            os._exit(outcome.exit_code)  # the streams are flushed; nothing else is open
        sys.exit(outcome.exit_code)
    from .commands import main as command_layer

    command_layer()


def simple_run(argv: list[str]) -> Outcome | None:
    """The outcome of `argv` when it is in a simple form known here (an identical
    earlier run's, when no plan file changed since); else None, for the command layer."""
    if not argv or argv[0] not in _FORMATS:
        return None
    command = argv[0]
    options = _options(argv[1:], command)
    if options is None:
        return None
    from functools import partial

    from .outcomes import (
        Compute,
        check_outcome,
        layout_key,
        produce,
        render_outcome,
        status_outcome,
        validate_outcome,
    )

    root = Path(options.get("plan") or "plans")
    output_format = options.get("--format") or _DEFAULT_FORMAT[command]
    key: tuple[str, ...] | None
    compute: Compute
    since = options.get("--since")
    if command == "validate":
        key, compute = VALIDATE_KEY, partial(validate_outcome, root)
    elif command == "history":
        from .targets import choose_plan
        from .trail import history_outcome

        plan = options.get("--plan")
        key, root = None, choose_plan(None if plan is None else Path(plan))
        compute = partial(history_outcome, root, options["ref"], output_format)
    else:
        day = resolve_today(options.get("--today", os.environ.get("RAGPLAN_TODAY")))
        if command == "check":
            key = None if since is not None else check_key(output_format, day)
            compute = partial(check_outcome, root, output_format, day, since, None)
        elif command == "diff":
            from .trail import diff_outcome

            key, root = None, Path(options.get("--plan") or "plans")
            compute = partial(
                diff_outcome, root, options["base"], options.get("head"), output_format, day
            )
        elif command == "render":
            output, templates = options.get("--output"), options.get("--templates")
            key = None  # a tracker is written afresh each time
            compute = partial(
                render_outcome,
                root,
                output_format,
                None if output is None else Path(output),
                None if templates is None else Path(templates),
                day,
                since,
            )
        else:
            group_by = options.get("--group-by") or "theme"
            layout = layout_key() if output_format == "table" else ()
            key = status_key(output_format, group_by, day, terminal=layout)
            compute = partial(
                status_outcome, root, output_format, group_by, day, None, None, None, None
            )
    return produce(root, "--no-cache" in options, key, compute)


def _options(args: list[str], command: str) -> dict[str, str] | None:
    """The plan folder and options of a command line in the simple form: at most one
    folder, and each option at most once, among those known here; else None."""
    valued = _VALUED[command]
    found: dict[str, str] = {}
    at = 0
    while at < len(args):
        arg = args[at]
        at += 1
        name, equals, value = arg.partition("=")
        name = _SHORT.get(name, name) if not equals else name
        if not arg.startswith("-"):
            named = [a for a in _ARGUMENTS.get(command, ("plan",)) if a not in found]
            if not named:
                return None  # more arguments than the command takes
            name, value = named[0], arg
        elif name == "--no-cache" and not equals:
            pass
        elif name not in valued:
            return None
        elif not equals:
            if at == len(args):
                return None
            value = args[at]
            at += 1
        if name in found:
            return None
        found[name] = value
    if found.get("--format", _DEFAULT_FORMAT[command]) not in _FORMATS[command]:
        return None
    if found.get("--group-by", "theme") not in _GROUPS:
        return None
    if any(name not in found for name in _ARGUMENTS.get(command, ())[:1]):
        return None  # its first argument is required
    return found


def check_key(output_format: str, day: date) -> tuple[str, ...]:
    """The options that shape `check`'s output (without --since or a job summary)."""
    return ("check", output_format, day.isoformat())


def status_key(
    output_format: str,
    group_by: str,
    day: date,
    lead: str | None = None,
    theme: str | None = None,
    rag: str | None = None,
    terminal: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """The options that shape `status`'s output (`terminal`: how rich lays out a table)."""
    return (
        "status",
        output_format,
        group_by,
        str(lead),
        str(theme),
        str(rag),
        day.isoformat(),
        *terminal,
    )


def run_memo(cache: CacheDir, root: Path, key: tuple[str, ...], folders: list[Path]) -> RunMemo:
    """Where the outcome of this command, with these options, on these plan folders is
    stored (memo.RunMemo), for a run that starts now."""
    import time

    from ..memo import RunMemo
    from ..places import boundary_of

    full = (__version__, os.getcwd(), str(root), str(boundary_of(root)), *key)
    return RunMemo(cache, full, folders, time.time_ns())


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
    elif sys.platform.startswith("linux"):
        # platformdirs' rule on Linux, as SPEC 6 gives it, without loading platformdirs
        # and tempfile (4 ms of a second run)
        base = os.environ.get("XDG_CACHE_HOME", "")
        folder = Path(base if base.strip() else os.path.expanduser("~/.cache")) / "ragplan"
    else:
        from platformdirs import user_cache_path

        folder = user_cache_path("ragplan", appauthor=False)
    from ..cache import DEFAULT_LIMIT, CacheDir, is_inside
    from ..places import boundary_of

    if is_inside(folder, boundary_of(root)):
        return None
    limit = os.environ.get("RAGPLAN_CACHE_MAX_MB", "")
    return CacheDir(folder, int(limit) * 1024 * 1024 if limit.isdigit() else DEFAULT_LIMIT)


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
