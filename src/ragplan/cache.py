"""The read cache (SPEC 6): in the user's cache directory, never in a checkout.

In CI every byte of a checkout was written by the pull request's author, so nothing
read from it may change a verdict except the plan files themselves. The cache
therefore lives in the user's cache directory (`CacheDir`), and every entry is
checked against the bytes it stands for:

- `FileCache` keeps, per plan folder (one cache file per absolute folder path), each
  action file's load result keyed by a digest of its bytes and the plan's rating
  keys. The same path with other bytes (a CI runner that reuses one workspace for
  many branches) never hits a stale entry.
- To skip reading unchanged files, an entry also keeps the stat (size, mtime, ctime,
  inode, device) recorded for that very file, trusted only when the file was last
  changed well before the cache was written: a file changed in the same clock tick as
  that write ("racily clean", as git calls it) is read and its digest compared.
  ctime cannot be set by a user, so a rewritten file always looks changed.

Cache files are `marshal` data inside a checksummed envelope, never pickle; a file
that is truncated, corrupt or of an unexpected shape is discarded and rebuilt. The
folder is bounded: past `limit` bytes the least recently used files are deleted.
"""

from __future__ import annotations

import contextlib
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
StatKey = tuple[int, int, int, int, int]
FORMAT = 3
DEFAULT_LIMIT = 256 * 1024 * 1024  # bytes; RAGPLAN_CACHE_MAX_MB overrides
_MAGIC = b"ragplan-cache\n"
_RACY_NS = 2_000_000_000  # a file changed this close to the cache write is re-read


def stat_key(path: Path | str) -> StatKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def is_settled(key: StatKey | None, written_ns: int) -> bool:
    """True when a file with this stat was last changed well before `written_ns`."""
    return key is not None and max(key[1], key[2]) < written_ns - _RACY_NS


def digest(*parts: bytes) -> bytes:
    """A digest of several byte strings, each length-prefixed so none can run into the next."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def is_inside(path: Path, folder: Path) -> bool:
    """True when `path`, with every symbolic link resolved, lies inside `folder` (resolved)."""
    real = os.path.realpath(path)
    top = os.path.realpath(folder)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


class CacheDir:
    """The cache folder: envelope-checked reads, atomic writes, least-recently-used pruning."""

    def __init__(self, root: Path, limit: int = DEFAULT_LIMIT) -> None:
        self.root = root
        self.limit = limit
        self.wrote = False

    def path_for(self, kind: str, *key: bytes) -> Path:
        name = digest(__version__.encode(), str(FORMAT).encode(), kind.encode(), *key).hex()
        return self.root / f"v{FORMAT}" / kind / name[:2] / name

    def load(self, path: Path) -> tuple[Any, int] | None:
        """What `store` wrote at `path`, and when; None when absent or unusable."""
        try:
            with open(path, "rb") as handle:
                written_ns = os.fstat(handle.fileno()).st_mtime_ns
                data = handle.read()
        except OSError:
            return None
        head = len(_MAGIC) + 16
        if data[: len(_MAGIC)] != _MAGIC or digest(data[head:]) != data[len(_MAGIC) : head]:
            self._discard(path)
            return None
        try:
            return marshal.loads(data[head:]), written_ns
        except (EOFError, ValueError, TypeError):
            self._discard(path)
            return None

    def store(self, path: Path, value: Any) -> None:
        """Write atomically (temp file, then rename); failures only cost speed."""
        try:
            payload = marshal.dumps(value)
        except ValueError:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_MAGIC + digest(payload) + payload)
                os.replace(temp, path)
            except BaseException:
                os.unlink(temp)
                raise
            self.wrote = True
        except OSError:
            pass

    def touch(self, path: Path) -> None:
        """Mark a cache file as used now, for pruning."""
        with contextlib.suppress(OSError):
            os.utime(path)

    def _discard(self, path: Path) -> None:
        with contextlib.suppress(OSError):
            os.unlink(path)

    def prune(self) -> None:
        """Delete the least recently used cache files while the folder exceeds its limit."""
        if not self.wrote:
            return
        files: list[tuple[int, int, str]] = []
        total = 0
        for folder, _dirs, names in os.walk(self.root / f"v{FORMAT}"):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                files.append((st.st_mtime_ns, st.st_size, path))
                total += st.st_size
        files.sort()
        for _used, size, path in files:
            if total <= self.limit:
                break
            try:
                os.unlink(path)
                total -= size
            except OSError:
                pass


class FileCache:
    """Load results of one plan folder's action files."""

    def __init__(self, cache: CacheDir | None, folder: Path, rag_keys: tuple[str, ...] | None):
        self.cache = cache
        self.header = (FORMAT, __version__, rag_keys)
        self.entries: dict[str, Any] = {}
        self.kept: dict[str, Any] = {}
        self.written_ns = 0
        self.is_dirty = False
        self.path: Path | None = None
        if cache is None:
            return
        self.path = cache.path_for("files", os.path.abspath(folder).encode())
        loaded = cache.load(self.path)
        if loaded is None:
            return
        value, self.written_ns = loaded
        if (
            type(value) is tuple
            and len(value) == 2
            and value[0] == self.header
            and type(value[1]) is dict
        ):
            self.entries = value[1]

    def get_unread(self, path: Path, key: StatKey | None) -> Result | None:
        """The cached result when the file's stat proves it unchanged, without reading it."""
        entry = self.entries.get(path.name)
        if entry is None or key is None or entry[1] != key or not is_settled(key, self.written_ns):
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
            result = decode_result(path, entry[2])
        except Exception:  # any surprise in what came back: parse the file instead
            return None
        self.kept[path.name] = entry
        return result

    def put(self, path: Path, data: bytes, key: StatKey | None, result: Result) -> None:
        if self.path is not None:
            self.kept[path.name] = (digest(data), key, encode_result(result))
            self.is_dirty = True

    def save(self) -> None:
        """Keep the entries used this run (so deleted files drop out)."""
        if self.cache is None or self.path is None:
            return
        if self.is_dirty or len(self.kept) != len(self.entries):
            self.cache.store(self.path, (self.header, self.kept))
        elif self.kept:
            self.cache.touch(self.path)


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


def encode_result(result: Result) -> tuple[Any, ...]:
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


def decode_result(path: Path, row: tuple[Any, ...]) -> Result:
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
