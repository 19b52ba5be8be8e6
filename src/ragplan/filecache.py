"""Each action file's load result, per plan folder, keyed by the file's bytes (SPEC 6).

See cache.py for where it lives and why an entry can never change a result.
"""

from __future__ import annotations

import marshal
import os
import stat
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__
from .cache import FORMAT, CacheDir, StatKey, digest, is_settled
from .model import (
    Action,
    Day,
    Deadline,
    Evidence,
    Finding,
    Location,
    Measure,
    Point,
    Severity,
    Update,
    Withdrawal,
)

Result = tuple[Action | None, tuple[Finding, ...]]


class FileCache:
    """Load results of one plan folder's action files."""

    def __init__(self, cache: CacheDir | None, folder: Path, rag_keys: tuple[str, ...] | None):
        self.cache = cache
        self.header = (FORMAT, __version__, rag_keys)
        self.entries: dict[str, Any] = {}
        self.kept: dict[str, Any] = {}  # entries as stored
        # results parsed here: encoded only when stored (save), perhaps after the output
        self.fresh: dict[str, tuple[bytes, StatKey | None, Result]] = {}
        self.written_ns = 0
        self.is_dirty = False
        self.path: Path | None = None
        self.actions = folder / "actions"
        if cache is None:
            return
        folder_key = os.path.abspath(folder).encode()
        self.path = cache.path_for("files", folder_key)
        # the worker's share of the last run that had one (save_part): read first, so
        # that this process's own entries, always as new, win
        self.part_path = cache.path_for("files", folder_key, b"worker")
        times = []
        for path in (self.part_path, self.path):
            loaded = cache.load(path)
            if loaded is None:
                continue
            value, written_ns = loaded
            if (
                type(value) is tuple
                and len(value) == 2
                and value[0] == self.header
                and type(value[1]) is dict
            ):
                self.entries.update(value[1])
                times.append(written_ns)
        self.written_ns = min(times, default=0)  # a stat is trusted by the older file

    def get_unread(self, path: Path, key: StatKey | None) -> Result | None:
        """The cached result when the file's stat proves it unchanged, without reading it."""
        entry = self.entries.get(path.name)
        if (
            entry is None
            or key is None
            or entry[1] != key
            or not is_settled(max(key[1], key[2]), self.written_ns)
        ):
            return None
        return self._use(path, entry)

    def get(self, path: Path, data: bytes, key: StatKey | None) -> Result | None:
        """The cached result for these bytes at this path, if any."""
        entry = self.entries.get(path.name)
        if entry is None or entry[0] != digest(data):
            return None
        if entry[1] != key:
            entry = (entry[0], key, entry[2])
            self.is_dirty = True
        return self._use(path, entry)

    def _use(self, path: Path, entry: Any) -> Result | None:
        try:
            result = decode_result(path, marshal.loads(entry[2]))
        except Exception:  # any surprise in what came back: parse the file instead
            return None
        self.kept[path.name] = entry
        return result

    def keep(self, name: str) -> None:
        """Keep the entry of the file `name`, which the worker used (loader.py)."""
        entry = self.entries.get(name)
        if entry is not None:
            self.kept[name] = entry

    def put(self, path: Path, data: bytes, key: StatKey | None, result: Result) -> None:
        if self.path is not None:
            self.fresh[path.name] = (data, key, result)
            self.is_dirty = True

    @property
    def is_behind(self) -> bool:
        """Whether the cache's writes are left to copies of the process (CacheDir.hold)."""
        return self.cache is not None and self.cache.behind

    def save_part(self) -> None:
        """Store, from the worker (loader.py), the results it parsed (its share of them)."""
        if self.cache is None or self.path is None or not self.fresh:
            return
        actions = self.actions
        rows = {
            name: (digest(data), key or key_now(actions / name, data), stored(result))
            for name, (data, key, result) in self.fresh.items()
        }
        self.cache.store(self.part_path, (self.header, rows))

    def save(self) -> None:
        """Keep the entries used this run (so deleted files drop out)."""
        if self.cache is None or self.path is None:
            return
        kept, fresh, header, actions = self.kept, self.fresh, self.header, self.actions
        count = len(kept) + len(fresh)
        if self.is_dirty or count != len(self.entries):

            def entries() -> tuple[Any, dict[str, Any]]:
                rows = dict(kept)
                for name, (data, key, result) in fresh.items():
                    key = key or key_now(actions / name, data)
                    rows[name] = (digest(data), key, stored(result))
                return header, rows

            self.cache.store_later(self.path, entries, count)
        elif kept:
            self.cache.touch(self.path)


def key_now(path: Path, data: bytes) -> StatKey | None:
    """The file's stat as the cache keys it (see get_unread), while the file still holds
    `data`, the bytes parsed: taken as the entry is stored, which a big run does in a copy
    of the process after its output (CacheDir.hold), not on the way to it (SPEC 6). As in
    a run's own lookup, the stat comes before the bytes are read again, so it never
    describes bytes other than those parsed (a change made the same moment is left to
    is_settled's margin)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(handle)
        if st.st_size != len(data) or not stat.S_ISREG(st.st_mode):
            return None
        again = os.read(handle, len(data) + 1)
    except OSError:
        return None
    finally:
        os.close(handle)
    if again != data:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def stored(result: Result) -> bytes:
    """A result as an entry holds it: marshal bytes of its own, so that loading a plan's
    10,000 entries reads bytes (a fifth of the time), and each is decoded only by the
    process that uses it (loader.py; SPEC 6)."""
    return marshal.dumps(encode_result(result))


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


_DAYS: dict[int, date] = {}  # dates by ordinal, shared: decoding makes many of the same


def _day_of(ordinal: int) -> date:
    day = _DAYS[ordinal] = date.fromordinal(ordinal)
    return day


def encode_result(result: Result, outline: bool = False) -> tuple[Any, ...]:
    """A result as marshal tuples (`outline`: only what outline_action reads of it)."""
    action, findings = result
    rows = tuple(
        (f.rule, f.severity.value, f.message, f.where.line, f.where.column, f.hint, f.has_line)
        for f in findings
    )
    if action is None:
        return (None, rows)
    return (encode_outline(action) if outline else encode_action(action), rows)


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
        _encode_counted(a),
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


def encode_outline(a: Action) -> tuple[Any, ...]:
    """What outline_action reads, in encode_action's places (a third of its size)."""
    return (
        a.ref,
        a.title,
        a.leads,
        _ordinal(a.deadline.due),
        a.deadline.text,
        a.rag,
        tuple([p for p in a.positions if p[0] == "ref"]),
        a.theme,
        None,
        a.strategic_lead,
        None,
        None,
        None,
        None,
        _encode_counted(a) if a.counted else (),
        tuple(
            (e.description, e.link, _ordinal(e.on), e.where.line, e.where.column)
            for e in a.evidence
            if e.link is not None
        ),
        None,
        None if a.withdrawn is None else (a.withdrawn.on.toordinal(), a.withdrawn.reason),
    )


def outline_action(path: Path, encoded: tuple[Any, ...]) -> Action:
    """The outline of the Action that encode_action wrote: what a rule that reads the
    whole plan reads of an action judged elsewhere (Rule.whole_plan), what `status`
    sorts, counts, filters by and shows, and its evidence links; nothing else (no
    updates, source, dates or outcome). A fifth of decode_action."""
    evidence = tuple(
        [
            Evidence(d, link, _day(on), Location(path, line, column))
            for d, link, on, line, column in encoded[15]
            if link is not None
        ]
    )
    withdrawn = encoded[17]
    return Action(
        ref=encoded[0],
        title=encoded[1],
        leads=encoded[2],
        deadline=Deadline(_day(encoded[3]), encoded[4]),
        rag=encoded[5],
        path=path,
        positions=encoded[6],
        theme=encoded[7],
        strategic_lead=encoded[9],
        counted=_counted(path, encoded[14]) if encoded[14] else (),
        evidence=evidence,
        withdrawn=None
        if withdrawn is None
        else Withdrawal(date.fromordinal(withdrawn[0]), withdrawn[1]),
    )


def _counted(path: Path, rows: tuple[Any, ...]) -> tuple[Measure, ...]:
    return tuple(
        Measure(
            name,
            id_,
            unit,
            higher,
            _decode_point(path, baseline),
            _decode_point(path, target),
            tuple(_decode_point(path, r) for r in readings),
            Location(path, line, column),
        )
        for name, id_, unit, higher, baseline, target, readings, line, column in rows
    )


def _encode_counted(a: Action) -> tuple[Any, ...]:
    return tuple(
        (
            m.name,
            m.id,
            m.unit,
            m.higher_is_better,
            _encode_point(m.baseline),
            _encode_point(m.target),
            tuple(_encode_point(r) for r in m.readings),
            m.where.line,
            m.where.column,
        )
        for m in a.counted
    )


def _encode_point(point: Point) -> tuple[Any, ...]:
    return (point.on.toordinal(), point.value, point.where.line, point.where.column)


def _decode_point(path: Path, row: tuple[Any, ...]) -> Point:
    on, value, line, column = row
    return Point(date.fromordinal(on), value, Location(path, line, column))


def decode_result(path: Path, row: tuple[Any, ...]) -> Result:
    encoded, finding_rows = row
    findings = decode_findings(path, finding_rows)
    return (None if encoded is None else decode_action(path, encoded)), findings


def decode_findings(path: Path, rows: tuple[Any, ...]) -> tuple[Finding, ...]:
    """The findings of a file, from the rows encode_result wrote."""
    return tuple(
        Finding(rule, Severity(sev), message, Location(path, line, column), hint, has_line=has_line)
        for rule, sev, message, line, column, hint, has_line in rows
    )


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
        counted,
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
        counted=_counted(path, counted),
        evidence=tuple(
            [
                Evidence(d, link, _day(on), Location(path, line, column))
                for d, link, on, line, column in evidence
            ]
        ),
        updates=tuple(
            [
                Update(
                    _DAYS.get(on) or _day_of(on),
                    note,
                    why,
                    None if rd is None else Day(date.fromordinal(rd), rd_text),
                    Location(path, line, column),
                )
                for on, note, why, rd, rd_text, line, column in updates
            ]
        ),
        withdrawn=None
        if withdrawn is None
        else Withdrawal(date.fromordinal(withdrawn[0]), withdrawn[1]),
    )
