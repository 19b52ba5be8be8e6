"""A whole run's output, reused when no plan file changed (SPEC 6: the second run).

A second run on unchanged files needs only to stat them. An entry is found by the
command, every option that shapes its output and the plan folders read; it holds a
digest of the name and stat (size, mtime, ctime, inode, device) of every file in those
folders, and the evidence links the run looked at, with what each resolved to; all are
compared again before the entry is used. An entry is trusted only when every file was
last changed well before the run that stored it began (see cache.is_settled), so an
edit made during a run, or in the same clock tick as it read the file, is never missed;
ctime cannot be set by a user, so a file rewritten with the same size and mtime still
changes the digest. The stats may therefore be taken after the run (when there was no
entry to compare them with), by the copy of the process that stores what it made.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from .cache import CacheDir, hasher, is_settled, stat_key

PLAN_PARTS = ("actions", "snapshots", "risks")  # the folders of a plan that hold its files


class Outcome(NamedTuple):
    """What a command printed and how it exited. (A typed tuple, not a dataclass: a
    second run reuses one without loading dataclasses, 5 ms of it; SPEC 6.)"""

    stdout: str
    stderr: str
    exit_code: int


Evidence = tuple[
    tuple[str, str, bool], ...
]  # (link as resolved from the plan, real path, is a file)


def fingerprint(folders: Iterable[Path]) -> tuple[bytes, int]:
    """A digest of every plan file's name and stat, and the newest mtime or ctime among them.

    One listing and one stat per file, by name in the open folder: this is most of what
    a second run does, so it builds no Python object per file that it can do without
    (SPEC 6)."""
    h = hasher()
    newest = 0
    for folder in folders:
        top = os.path.abspath(folder)
        plan_key = stat_key(top + "/plan.yaml")
        h.update(f"\0plan\0{top}\0{plan_key}".encode("utf-8", "surrogateescape"))
        if plan_key is not None:
            newest = max(newest, plan_key[1], plan_key[2])
        for part in PLAN_PARTS:
            names, columns = _listing(os.path.join(top, part))
            h.update(f"\0{part}\0".encode())
            h.update("\0".join(names).encode("utf-8", "surrogateescape"))
            for column in columns:
                h.update(column)
            if names:
                newest = max(newest, max(columns[1]), max(columns[2]))
    return h.digest(), newest


def _listing(folder: str) -> tuple[list[str], list[array[int]]]:
    """The entries of `folder` by name, and the stats of what they name (through a
    link), as _stats gives them."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return [], []
    try:
        names = os.listdir(handle)  # in the folder's order: another only misses
        return names, _stats(handle, names)
    except OSError:
        return [], []
    finally:
        os.close(handle)


def _stats(handle: int, names: list[str]) -> list[array[int]]:
    """The size, mtime, ctime, inode and device of what each name names, a column each
    (-1 for an entry that cannot be read): a list of stat results, then a list a field,
    is a third faster than a tuple a file."""
    look = os.stat
    found: list[os.stat_result | _NoFile]
    try:
        found = [look(name, dir_fd=handle) for name in names]
    except OSError:  # one cannot be read: each alone
        found = []
        for name in names:
            try:
                found.append(look(name, dir_fd=handle))
            except OSError:
                found.append(_NO_FILE)
    return [
        array("q", [st.st_size for st in found]),
        array("q", [st.st_mtime_ns for st in found]),
        array("q", [st.st_ctime_ns for st in found]),
        array("q", [st.st_ino for st in found]),
        array("q", [st.st_dev for st in found]),
    ]


class _NoFile:
    """The stat of an entry that cannot be read."""

    st_size = st_mtime_ns = st_ctime_ns = st_ino = st_dev = -1


_NO_FILE = _NoFile()


def evidence_state(links: Iterable[Path]) -> Evidence:
    """What each evidence link resolves to now."""
    return tuple(
        (str(link), os.path.realpath(link), os.path.isfile(link)) for link in sorted(set(links))
    )


class RunMemo:
    """One run's entry, by the command's key and the plan folders: the plan files' stats
    when it ran, and what it printed. The stats are taken only when there is an entry to
    compare them with, or to store (perhaps after the output, see CacheDir.write_held)."""

    def __init__(
        self, cache: CacheDir, key: tuple[str, ...], folders: list[Path], started_ns: int
    ) -> None:
        self.cache = cache
        self.folders = folders
        self.started_ns = started_ns  # before any plan file was read
        self.files: bytes | None = None  # the digest of the stats, once taken
        self.path = cache.path_for(
            "runs",
            *(part.encode("utf-8", "surrogateescape") for part in key),
            *(os.path.abspath(folder).encode("utf-8", "surrogateescape") for folder in folders),
        )

    def get(self) -> Outcome | None:
        """The outcome stored for exactly these files and options, if it can be trusted:
        every file was last changed well before the run that stored it began."""
        self.cache.wait_for_writer()
        loaded = self.cache.load(self.path)
        if loaded is None or not _is_entry(loaded[0]):
            return None
        value = loaded[0]
        self.files, newest = fingerprint(self.folders)
        if value[0] != self.files or not is_settled(newest, value[1]):
            return None
        if evidence_state(Path(e[0]) for e in value[5]) != value[5]:
            return None
        self.cache.touch(self.path)
        return Outcome(value[2], value[3], value[4])

    def put(self, outcome: Outcome, evidence_links: Iterable[Path]) -> None:
        """Store the outcome (the stats taken now, when get did not need them: a file
        changed since the run began is never trusted, so later stats are as good)."""
        files, started, folders = self.files, self.started_ns, self.folders
        state = evidence_state(evidence_links)  # as the run found them

        def entry() -> tuple[Any, ...]:
            taken = fingerprint(folders)[0] if files is None else files
            return (taken, started, outcome.stdout, outcome.stderr, outcome.exit_code, state)

        self.cache.store_later(self.path, entry, 0, first=True)


def _is_entry(value: Any) -> bool:
    return (
        type(value) is tuple
        and len(value) == 6
        and type(value[0]) is bytes
        and type(value[1]) is int
        and type(value[2]) is str
        and type(value[3]) is str
        and type(value[4]) is int
        and type(value[5]) is tuple
        and all(
            type(e) is tuple and len(e) == 3 and type(e[0]) is str and type(e[1]) is str
            for e in value[5]
        )
    )
