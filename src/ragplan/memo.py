"""A whole run's output, reused when no plan file changed (SPEC 6: the second run).

A second run on unchanged files needs only to stat them. The key of an entry covers
the command and every option that shapes its output, and the name and stat (size,
mtime, ctime, inode, device) of every file in every plan folder read. The entry also
lists the evidence links the run looked at, with what each resolved to; all are
checked again before the entry is used. An entry is trusted only when every file was
last changed well before it was written (see cache.is_settled), so an edit made in the
same clock tick as a run is never missed; ctime cannot be set by a user, so a file
rewritten with the same size and mtime still changes the key.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import CacheDir, StatKey, is_settled, stat_key

PLAN_PARTS = ("actions", "snapshots", "risks")  # the folders of a plan that hold its files


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command printed and how it exited."""

    stdout: str
    stderr: str
    exit_code: int


Evidence = tuple[
    tuple[str, str, bool], ...
]  # (link as resolved from the plan, real path, is a file)


def fingerprint(folders: Iterable[Path]) -> tuple[bytes, int]:
    """A digest of every plan file's name and stat, and the newest mtime or ctime among them."""
    h = hashlib.blake2b(digest_size=16)
    newest = 0
    for folder in folders:
        top = os.path.abspath(folder)
        rows: list[tuple[str, StatKey | None]] = [("plan.yaml", stat_key(top + "/plan.yaml"))]
        for part in PLAN_PARTS:
            try:
                with os.scandir(os.path.join(top, part)) as entries:
                    rows += [(f"{part}/{e.name}", _stat(e)) for e in entries]
            except OSError:
                continue
        rows.sort()
        h.update(f"\0plan\0{top}\0{rows}".encode("utf-8", "surrogateescape"))
        for _name, key in rows:
            if key is not None and max(key[1], key[2]) > newest:
                newest = max(key[1], key[2])
    return h.digest(), newest


def _stat(entry: os.DirEntry[str]) -> StatKey | None:
    """The stat of what the entry names, through a symbolic link."""
    try:
        st = entry.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def evidence_state(links: Iterable[Path]) -> Evidence:
    """What each evidence link resolves to now."""
    return tuple(
        (str(link), os.path.realpath(link), os.path.isfile(link)) for link in sorted(set(links))
    )


class RunMemo:
    """One run's entry: looked up by the command's key and the plan files' stats."""

    def __init__(self, cache: CacheDir, key: tuple[str, ...], folders: list[Path]) -> None:
        self.cache = cache
        files, self.newest = fingerprint(folders)
        self.path = cache.path_for(
            "runs", *(part.encode("utf-8", "surrogateescape") for part in key), files
        )

    def get(self) -> Outcome | None:
        """The outcome stored for exactly these files and options, if it can be trusted."""
        loaded = self.cache.load(self.path)
        if loaded is None:
            return None
        value, written_ns = loaded
        if not is_settled(self.newest, written_ns):  # a file changed as the entry was written
            return None
        if not _is_entry(value) or evidence_state(Path(e[0]) for e in value[3]) != value[3]:
            return None
        self.cache.touch(self.path)
        return Outcome(value[0], value[1], value[2])

    def put(self, outcome: Outcome, evidence_links: Iterable[Path]) -> None:
        self.cache.store(
            self.path,
            (outcome.stdout, outcome.stderr, outcome.exit_code, evidence_state(evidence_links)),
        )


def _is_entry(value: Any) -> bool:
    return (
        type(value) is tuple
        and len(value) == 4
        and type(value[0]) is str
        and type(value[1]) is str
        and type(value[2]) is int
        and type(value[3]) is tuple
        and all(
            type(e) is tuple and len(e) == 3 and type(e[0]) is str and type(e[1]) is str
            for e in value[3]
        )
    )
