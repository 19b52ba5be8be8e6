"""`.ragplan_cache/`: each action file's load result, keyed by the file's bytes (SPEC 6).

A result depends on the file's bytes, its path and the plan's rating keys, so one
cache file serves one plan folder, named after the folder, plan.yaml's bytes and
this version; entries are keyed by the action file's digest, so a changed file is
always read afresh and a stale cache never changes a result.

To skip reading unchanged files, an entry also keeps the file's stat (size, mtime,
ctime, inode), trusted only when the file was last changed well before the cache
was written: a file changed in the same clock tick as that write ("racily clean",
as git calls it) is read and its digest compared.

The format is `marshal` of plain tuples, never pickle: the folder sits in a
repository, and a cache file slipped into a pull request must not be able to run
code in CI. Anything unreadable is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__
from .model import (
    Action,
    Day,
    Deadline,
    Evidence,
    Finding,
    Location,
    Severity,
    Update,
    Withdrawal,
)

Result = tuple[Action | None, tuple[Finding, ...]]
StatKey = tuple[int, int, int, int]
_FORMAT = 2
_RACY_NS = 2_000_000_000  # a file changed this close to the cache write is re-read


def stat_key(path: Path) -> StatKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class ResultCache:
    """Load results of one plan folder's action files."""

    def __init__(self, cache_dir: Path | None, folder: Path, plan_bytes: bytes) -> None:
        self.entries: dict[str, tuple[bytes, StatKey | None, Any]] = {}
        self.kept: dict[str, tuple[bytes, StatKey | None, Any]] = {}
        self.written_ns = 0
        self.file: Path | None = None
        self.is_dirty = False
        if cache_dir is None:
            return
        self.file = self.file_for(cache_dir, folder, plan_bytes)
        try:
            with open(self.file, "rb") as handle:
                self.written_ns = os.fstat(handle.fileno()).st_mtime_ns
                loaded = marshal.loads(handle.read())
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, EOFError, ValueError, TypeError):
            self.entries = {}

    @staticmethod
    def file_for(cache_dir: Path, folder: Path, plan_bytes: bytes) -> Path:
        """The cache file of a plan folder with this plan.yaml."""
        key = hashlib.blake2b(digest_size=16)
        for part in (f"{__version__}/{_FORMAT}".encode(), str(folder).encode(), plan_bytes):
            key.update(len(part).to_bytes(8, "little"))
            key.update(part)
        return cache_dir / f"plan-{key.hexdigest()}.marshal"

    def get_unread(self, path: Path, key: StatKey | None) -> Result | None:
        """The cached result when the file's stat proves it unchanged, without reading it."""
        entry = self.entries.get(path.name) if self.file is not None else None
        if (
            entry is None
            or key is None
            or entry[1] != key
            or key[1] > self.written_ns - _RACY_NS
            or key[2] > self.written_ns - _RACY_NS
        ):
            return None
        return self._use(path, entry)

    def get(self, path: Path, data: bytes, key: StatKey | None) -> Result | None:
        """The cached result for these bytes at this path, if any."""
        entry = self.entries.get(path.name) if self.file is not None else None
        if entry is None or entry[0] != _digest(data):
            return None
        if entry[1] != key:
            entry = (entry[0], key, entry[2])
            self.is_dirty = True
        return self._use(path, entry)

    def _use(self, path: Path, entry: tuple[bytes, StatKey | None, Any]) -> Result | None:
        try:
            result = _decode(path, entry[2])
        except (TypeError, ValueError, IndexError):
            return None
        self.kept[path.name] = entry
        return result

    def put(self, path: Path, data: bytes, key: StatKey | None, result: Result) -> None:
        if self.file is not None:
            self.kept[path.name] = (_digest(data), key, _encode(result))
            self.is_dirty = True

    def save(self) -> None:
        """Write the entries used this run, atomically; failures only cost speed."""
        if self.file is None or not (self.is_dirty or len(self.kept) != len(self.entries)):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.file.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by ragplan: nothing here belongs in git\n*\n")
            fd, temp = tempfile.mkstemp(dir=self.file.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    marshal.dump(self.kept, handle)
                os.replace(temp, self.file)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            pass


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


def _encode(result: Result) -> tuple[Any, ...]:
    action, findings = result
    rows = tuple(
        (f.rule, f.severity.value, f.message, f.where.line, f.where.column, f.hint, f.has_line)
        for f in findings
    )
    return (None if action is None else encode_action(action), rows)


def encode_action(a: Action) -> tuple[Any, ...]:
    """An Action as plain tuples, for marshal (its path is kept by the caller)."""
    return (
        a.ref,
        a.title,
        a.leads,
        _ordinal(a.deadline.due),
        a.deadline.text,
        a.rag,
        a.positions,
        a.theme,
        a.source,
        a.strategic_lead,
        _ordinal(a.start),
        _ordinal(a.completed),
        a.outcome,
        a.measures,
        tuple(
            (e.description, e.link, _ordinal(e.on), e.where.line, e.where.column)
            for e in a.evidence
        ),
        tuple(
            (
                u.on.toordinal(),
                u.note,
                u.explanation,
                None if u.revised_deadline is None else u.revised_deadline.value.toordinal(),
                None if u.revised_deadline is None else u.revised_deadline.text,
                u.where.line,
                u.where.column,
            )
            for u in a.updates
        ),
        None if a.withdrawn is None else (a.withdrawn.on.toordinal(), a.withdrawn.reason),
    )


def _decode(path: Path, row: tuple[Any, ...]) -> Result:
    encoded, finding_rows = row
    findings = tuple(
        Finding(rule, Severity(sev), message, Location(path, line, column), hint, has_line=has_line)
        for rule, sev, message, line, column, hint, has_line in finding_rows
    )
    return (None if encoded is None else decode_action(path, encoded)), findings


def decode_action(path: Path, encoded: tuple[Any, ...]) -> Action:
    """The Action that encode_action wrote, at `path`."""
    (
        ref,
        title,
        leads,
        due,
        due_text,
        rag,
        positions,
        theme,
        source,
        strategic,
        start,
        completed,
        outcome,
        measures,
        evidence,
        updates,
        withdrawn,
    ) = encoded
    return Action(
        ref=ref,
        title=title,
        leads=leads,
        deadline=Deadline(_day(due), due_text),
        rag=rag,
        path=path,
        positions=positions,
        theme=theme,
        source=source,
        strategic_lead=strategic,
        start=_day(start),
        completed=_day(completed),
        outcome=outcome,
        measures=measures,
        evidence=tuple(
            Evidence(d, link, _day(on), Location(path, line, column))
            for d, link, on, line, column in evidence
        ),
        updates=tuple(
            Update(
                date.fromordinal(on),
                note,
                why,
                None if rd is None else Day(date.fromordinal(rd), rd_text),
                Location(path, line, column),
            )
            for on, note, why, rd, rd_text, line, column in updates
        ),
        withdrawn=None
        if withdrawn is None
        else Withdrawal(date.fromordinal(withdrawn[0]), withdrawn[1]),
    )
