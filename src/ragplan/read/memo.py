"""A whole run's output, given again when nothing it read has changed (SPEC 6: a
second run on unchanged files).

An entry is found by `run_key`: the command line exactly as typed, with the working
folder, the date, ragplan's version and the environment the output depends on. It
holds the plan root and the plan folders found there, a digest of the name and stat
(size, mtime, ctime, inode, device) of every file in those folders, the evidence
links the run looked at with what each resolved to, and what the run printed; all
are compared again before the output is given. An entry is trusted only when every
file was last changed well before the run that stored it began (cache.is_settled),
so an edit made during a run, or in the same clock tick as it read the file, is never
missed. Which runs may be stored is the command's choice (it knows its options); this
module only keys, checks and keeps them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from .. import __version__
from ..core.fields import PLAN_PARTS
from .cache import CacheDir, digest, is_inside, is_settled, stat_key
from .places import boundary_of, find_plan_folders

# What rich reads from the environment to lay out a table (rich/console.py), and the
# settings of ragplan's own that shape an output
_ENVIRONMENT = (
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
    "GITHUB_STEP_SUMMARY",
)


class Outcome(NamedTuple):
    """What a command printed and how it exited."""

    stdout: str
    stderr: str
    exit_code: int


def run_key(argv: Sequence[str], environ: Mapping[str, str], today: date) -> bytes:
    """What a run's output is found by: everything outside the plan files it depends on."""
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
    settings = sorted(
        f"{name}={value}"
        for name, value in environ.items()
        if name.startswith("RAGPLAN_") or name in _ENVIRONMENT
    )
    parts = (
        __version__,
        os.getcwd(),
        today.isoformat(),
        sys.platform,
        str(getattr(sys.stdout, "encoding", None)),
        str(is_terminal),
        *streams,
        "\0".join(settings),
        "\0".join(argv),
    )
    return digest(*(part.encode("utf-8", "surrogateescape") for part in parts))


def fingerprint(folders: Iterable[Path]) -> tuple[bytes, int]:
    """A digest of the name and stat of every plan file and of the folders that hold
    them, and the newest mtime or ctime among them."""
    keys: list[object] = []
    newest = 0
    for folder in folders:
        top = os.path.abspath(folder)
        for path in (top, os.path.join(top, "plan.yaml")):
            key = stat_key(path)
            keys.append((path, key))
            if key is not None:
                newest = max(newest, key[1], key[2])
        for part in PLAN_PARTS:
            stats = _stats(os.path.join(top, part))
            keys.append((part, stats))
            for _, size_times in stats:
                newest = max(newest, size_times[1], size_times[2])
    return digest(repr(keys).encode("utf-8", "surrogateescape")), newest


def _stats(folder: str) -> list[tuple[str, tuple[int, int, int, int, int]]]:
    """Each entry of a folder, by name, with its stat (through a link), in name order."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return []
    found = []
    try:
        for name in sorted(os.listdir(handle)):
            try:
                st = os.stat(name, dir_fd=handle)
            except OSError:
                found.append((name, (-1, 0, 0, 0, 0)))
                continue
            found.append((name, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)))
    finally:
        os.close(handle)
    return found


def evidence_state(links: Iterable[Path]) -> tuple[tuple[str, str, bool], ...]:
    """What each evidence link resolves to now: (link, real path, is a file)."""
    return tuple(
        (str(link), os.path.realpath(link), os.path.isfile(link)) for link in sorted(set(links))
    )


def _entry_path(cache: CacheDir, key: bytes) -> Path:
    return cache.path_for("runs", key)


def replay(cache: CacheDir, key: bytes) -> Outcome | None:
    """The outcome stored under `key`, if every file it read is as it was, and settled."""
    loaded = cache.load(_entry_path(cache, key))
    if loaded is None or not _is_entry(loaded[0]):
        return None
    (root, folders, files, started, stdout, stderr, code, evidence), _ = loaded
    if is_inside(cache.root, boundary_of(Path(root))):
        # the entry point checked the working folder's repository; the plans may lie in
        # another, and a cache inside theirs may have been written by their author
        return None
    try:
        if [str(f) for f in find_plan_folders(Path(root))] != list(folders):
            return None
    except Exception:  # the root is gone or unusable: the command words it
        return None
    now, newest = fingerprint(Path(f) for f in folders)
    if now != files or not is_settled(newest, started):
        return None
    if evidence_state(Path(e[0]) for e in evidence) != evidence:
        return None
    cache.touch(_entry_path(cache, key))
    return Outcome(stdout, stderr, code)


def keep(
    cache: CacheDir,
    key: bytes,
    root: Path,
    folders: Sequence[Path],
    before: tuple[bytes, int],
    started_ns: int,
    outcome: Outcome,
    evidence_links: Iterable[Path],
) -> None:
    """Store a run's outcome; `before`: the fingerprint taken before any file was read."""
    entry = (
        str(root),
        tuple(str(f) for f in folders),
        before[0],
        started_ns,
        outcome.stdout,
        outcome.stderr,
        outcome.exit_code,
        evidence_state(evidence_links),
    )
    cache.store(_entry_path(cache, key), entry)


def _is_entry(value: Any) -> bool:
    shapes = (str, tuple, bytes, int, str, str, int, tuple)
    return (
        type(value) is tuple
        and len(value) == len(shapes)
        and all(type(part) is shape for part, shape in zip(value, shapes, strict=True))
        and all(type(f) is str for f in value[1])
        and all(
            type(e) is tuple and len(e) == 3 and type(e[0]) is str and type(e[1]) is str
            for e in value[7]
        )
    )
