"""The `ragplan` entry point: a repeated run answered before the command layer loads.

A second run of `validate`, `check` or `status` on unchanged files prints what the
first printed (memo.RunMemo). Typer and click take 50 ms to import, a third of such a
run (SPEC 6), so a command line in the simple forms below is looked up here first,
under the very key the command itself stores its outcome by (the key functions here
are the ones the commands call). Anything else, and any miss, goes to the command
layer (`commands`: Typer), which parses the line in full and words every problem.

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

# The commands looked up here, each with the --format values it may carry here (a
# status table depends on the terminal, and check's github format may write a summary).
_FORMATS = {"validate": ("",), "check": ("text", "json"), "status": ("json", "markdown")}
_DEFAULT_FORMAT = {"validate": "", "check": "text", "status": "table"}
_VALUED = {  # the options each may carry here that take a value; --no-cache is a flag
    "validate": ("--today",),
    "check": ("--today", "--format"),
    "status": ("--today", "--format", "--group-by"),
}
_GROUPS = ("theme", "lead")
VALIDATE_KEY = ("validate",)  # nothing else shapes its output


def main() -> None:
    """Console entry point."""
    outcome = None
    try:
        outcome = earlier_outcome(sys.argv[1:])
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:  # any problem here: the command layer meets it too, and words it
        outcome = None
    if outcome is not None:
        for text, stream in ((outcome.stdout, sys.stdout), (outcome.stderr, sys.stderr)):
            if text:
                stream.write(text)
                stream.flush()
        sys.exit(outcome.exit_code)
    from .commands import main as command_layer

    command_layer()


def earlier_outcome(argv: list[str]) -> Outcome | None:
    """What an identical earlier run printed, when `argv` is in a simple form whose key
    is known here and no plan file changed since; else None."""
    if not argv or argv[0] not in _FORMATS:
        return None
    command = argv[0]
    options = _options(argv[1:], command)
    if options is None:
        return None
    root = Path(options.get("plan") or "plans")
    day = resolve_today(options.get("--today", os.environ.get("RAGPLAN_TODAY")))
    key: tuple[str, ...]
    if command == "validate":
        key = VALIDATE_KEY
    elif command == "check":
        key = check_key(options.get("--format") or "text", day)
    else:
        key = status_key(options.get("--format") or "", options.get("--group-by") or "theme", day)
    cache = cache_for(root, "--no-cache" in options)
    if cache is None:
        return None
    from ..places import find_plan_folders

    folders = find_plan_folders(root)
    memo = run_memo(cache, root, key, folders)
    outcome = memo.get()
    if outcome is None:
        _MISSED[:] = [((memo.key, tuple(folders), cache.root), memo)]
    return outcome


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
        if not arg.startswith("-"):
            name, value = "plan", arg
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


# A lookup that missed before the command layer loaded, for that layer to take over once
# (the same run, moments later): the plan files' stats are then read once, not twice.
_MISSED: list[tuple[tuple[object, ...], RunMemo]] = []


def run_memo(cache: CacheDir, root: Path, key: tuple[str, ...], folders: list[Path]) -> RunMemo:
    """Where the outcome of this command, with these options, on these plan files is
    stored (memo.RunMemo)."""
    from ..memo import RunMemo
    from ..places import boundary_of

    full = (__version__, os.getcwd(), str(root), str(boundary_of(root)), *key)
    missed = _MISSED.pop() if _MISSED else None
    if missed is not None and missed[0] == (full, tuple(folders), cache.root):
        return missed[1]
    return RunMemo(cache, full, folders)


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
