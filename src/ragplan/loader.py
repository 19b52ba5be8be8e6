"""Plan folders -> Plans, with every structure problem as a Finding (SPEC 1).

The read path is built for SPEC 6: the commonest action file by regular expressions
(patternread), the usual one in one pass over its lines (quickread); any other file as
a tree (blockyaml, else libyaml's events in yamltree) checked field by field (reading);
a cache of each action file's result keyed by its bytes; and, with enough files to
parse, a forked worker that takes half of them. What a command does with each action
(PartWork: `check`'s rules, `status`'s assessment) is done by the process that read it.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol

from .cache import CacheDir, StatKey, is_inside, stat_key
from .errors import InputError
from .fields import SPECS
from .filecache import (
    FileCache,
    Result,
    decode_action,
    decode_findings,
    decode_result,
    encode_result,
    outline_action,
)
from .forked import can_fork, detach, outlive
from .model import (
    DEFAULT_RISK_LEVELS,
    DEFAULT_SCALE,
    Action,
    Day,
    Evidence,
    Finding,
    Location,
    Measure,
    Plan,
    Point,
    RagLevel,
    Review,
    Risk,
    RiskLevel,
    Settings,
    Severity,
    Snapshot,
    Update,
    Withdrawal,
)
from .names import name_problem
from .patternread import read_values as pattern_values
from .patternread import snapshot_values
from .places import boundary_of, find_plan_folders
from .quickread import read_values as line_values
from .reading import Reader
from .yamltree import MAX_BYTES, parse

YAML_SUFFIXES = (".yaml", ".yml")
_CHUNK = 64 * 1024
PARALLEL_MIN_FILES = 600  # fewer files to parse than this: one process is faster (make bench)
_PARENT_SHARE = 0.45  # this process also decodes what the worker sends (make bench)
_PARENT_SHARE_COUNTING = 0.5  # ... unless only its findings are wanted (`validate`)
_PARENT_SHARE_WORKING = 0.475  # ... or outlines, with the work done on both sides
_BATCH = 256  # files read in a row before they are parsed (see _batches)
# Work of a command's that the first process does while the worker reads (`prepare`),
# and how many files the worker parses in the time it takes
Prepare = tuple[Callable[[], None], int]
_PIPE_SIZE = 1 << 20  # Linux's largest pipe buffer by default


class PartWork(Protocol):
    """What each process does with the actions it reads, beyond reading them (judging.py:
    `check`'s rules, `status`'s assessment). `run` gives the items (findings, statuses)
    of a part of a plan's actions, each about the file `path_of` names (or about none of
    them: a risk's finding, in the run over this process's part). The worker sends each
    item as `pack` makes it, and this process rebuilds it with `unpack`, around the
    outline of its action (filecache.outline_action). `actions` says what this process
    makes of the worker's actions: "outline", or "full", the actions in full."""

    @property
    def actions(self) -> str: ...

    def run(self, plan: Plan, actions: Sequence[Action]) -> Sequence[Any]: ...

    def path_of(self, item: Any) -> Path: ...

    def pack(self, item: Any) -> tuple[Any, ...]: ...

    def unpack(self, row: tuple[Any, ...], outline: Action, folder: Path) -> Any: ...


class Source:
    """Where plan files come from: the disk, confined to `boundary` (SPEC 1).

    A file reached through a symbolic link that resolves outside `boundary` (the
    repository, or the plan root outside git) is listed but never read.
    """

    def __init__(self, boundary: Path | None = None) -> None:
        self.boundary = boundary
        self.outside: set[Path] = set()
        self._folders: dict[Path, int] = {}  # open folders, to read their files by name
        self._last: tuple[Path | None, int] = (None, -1)  # the folder last read from

    def read_in(self, folder: Path, name: str) -> bytes:
        """The file `name` in `folder` (one yaml_files listed), read by name in the open
        folder: with os.read, about half the cost of open() and a buffered read (SPEC 6).
        (The cache's key of the file, its stat, is taken where the entry is stored, not
        here: filecache.key_now.)"""
        try:
            # O_NONBLOCK: a file swapped for a FIFO after the listing cannot hang the run
            flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK
            handle = os.open(name, flags, dir_fd=self._opened(folder))
        except OSError:
            return self.read(folder / name)  # which says what is wrong
        try:
            data = os.read(handle, _CHUNK)
            if len(data) == _CHUNK:  # a long file: read on to its end
                parts = [data]
                while chunk := os.read(handle, _CHUNK):
                    parts.append(chunk)
                data = b"".join(parts)
        except OSError:
            return self.read(folder / name)
        finally:
            os.close(handle)
        return data

    def _opened(self, folder: Path) -> int:
        """The open folder, to read and stat its files by name (OSError if it cannot be)."""
        if folder is self._last[0]:  # the usual case: the folder read from just before
            return self._last[1]
        handle = self._folders.get(folder)
        if handle is None:
            handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            self._folders[folder] = handle
        self._last = (folder, handle)
        return handle

    def close(self) -> None:
        """Close the folders read_in opened."""
        for folder in self._folders.values():
            os.close(folder)
        self._folders.clear()
        self._last = (None, -1)

    def read(self, path: Path) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file", None) from None
        except OSError as error:
            raise InputError(
                f"{path}: cannot be read ({error.strerror})", "check the file's permissions"
            ) from None

    def stat_key(self, path: Path) -> StatKey | None:
        return stat_key(path)

    def stat_in(self, folder: Path, name: str) -> StatKey | None:
        """stat_key of the file `name` in `folder`, by name in the open folder."""
        try:
            st = os.stat(name, dir_fd=self._opened(folder))
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)

    def is_outside(self, path: Path) -> bool:
        """True when `path` is reached through a link out of the boundary (see yaml_files)."""
        if self.boundary is not None and path.name == "plan.yaml":
            return not is_inside(path, self.boundary)
        return bool(self.outside) and path in self.outside

    def yaml_files(self, folder: Path) -> list[Path]:
        try:
            entries = [
                e
                for e in os.scandir(folder)
                if e.name.endswith(YAML_SUFFIXES) and not e.name.startswith(".") and e.is_file()
            ]
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            raise InputError(
                f"{folder}: cannot be read ({error.strerror})", "check the folder's permissions"
            ) from None
        entries.sort(key=lambda e: e.name)
        # a listed name is one part: the Path is built without parsing it again (a fifth
        # of the cost of `folder / name`, 10,000 times; SPEC 6), where pathlib allows
        child = getattr(folder, "_make_child_relpath", folder.joinpath)
        paths = [child(e.name) for e in entries]
        if self.boundary is not None:
            if not is_inside(folder, self.boundary):  # a link in the folder's own path
                self.outside.update(paths)
            else:
                self.outside.update(
                    path
                    for entry, path in zip(entries, paths, strict=True)
                    if entry.is_symlink() and not is_inside(path, self.boundary)
                )
        return paths


class MemorySource(Source):
    """Files held in memory, e.g. read from git objects at a revision."""

    def __init__(self, files: dict[Path, bytes], outside: frozenset[Path] = frozenset()) -> None:
        super().__init__()
        self.files = files
        self.outside = set(outside)
        self.folders: dict[Path, list[Path]] = {}  # each folder's files, found once
        self.named: dict[Path, dict[str, bytes]] = {}  # each folder's files' bytes by name
        parents: dict[str, Path] = {}  # one Path per folder: Path.parent is slow
        for path, data in (*files.items(), *((path, None) for path in outside)):
            head, _, name = str(path).rpartition(os.sep)
            folder = parents.get(head)
            if folder is None:
                folder = parents[head] = path.parent
                self.folders[folder] = []
                self.named[folder] = {}
            self.folders[folder].append(path)
            if data is not None:
                self.named[folder][name] = data

    def read(self, path: Path) -> bytes:
        return self.files[path]

    def read_in(self, folder: Path, name: str) -> bytes:
        return self.named[folder][name]  # no Path to build and hash per file (SPEC 6)

    def stat_key(self, path: Path) -> StatKey | None:
        return None  # only the bytes can tell

    def stat_in(self, folder: Path, name: str) -> StatKey | None:
        return None

    def is_outside(self, path: Path) -> bool:
        return path in self.outside

    def yaml_files(self, folder: Path) -> list[Path]:
        return sorted(self.folders.get(folder, ()), key=attrgetter("name"))


@dataclass(frozen=True, slots=True)
class PlanLoad:
    """One plan folder as read: the plan, its structure findings, how many files were read
    and how many actions they hold."""

    plan: Plan
    findings: tuple[Finding, ...]
    files: int
    actions: int = 0
    judged: tuple[Any, ...] = ()  # the items of the work given to load, in file order


class Parsed:
    """The action files parsed in this run, with their bytes: a second load of the same
    bytes under the same ratings (the base of `--since` or `diff`) reuses the result
    instead of parsing again, with or without the cache."""

    def __init__(self) -> None:
        # keyed by the path's text: a Path hashes and compares its parts, ten times slower
        self.results: dict[tuple[str, tuple[str, ...] | None], tuple[bytes, Result]] = {}
        self.paths: dict[str, Path] = {}  # the Path of each, for a second load to share
        self.names: dict[str, str] = {}  # git's name of each file's bytes (git_name)

    def put(
        self,
        path: Path,
        rag_keys: tuple[str, ...] | None,
        data: bytes,
        result: Result,
        name: str | None = None,
    ) -> None:
        text = str(path)
        self.results[(text, rag_keys)] = (data, result)
        self.paths[text] = path
        self.names[text] = git_name(data) if name is None else name

    def files(self) -> dict[str, tuple[Path, bytes, str]]:
        """The files parsed, by the path's text: the Path, the bytes and git's name of
        them (worked out by the process that read the file, while the other read too)."""
        paths, names = self.paths, self.names
        return {
            text: (paths[text], data, names[text]) for (text, _), (data, _) in self.results.items()
        }

    def get(self, path: Path, rag_keys: tuple[str, ...] | None, data: bytes) -> Result | None:
        found = self.results.get((str(path), rag_keys))
        return found[1] if found is not None and found[0] == data else None


def git_name(data: bytes) -> str:
    """The name git gives a file with these bytes (SHA-1; a SHA-256 repository's names
    never match it, so its files are all fetched)."""
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True, slots=True)
class Loaded:
    """Every plan at or below a folder, with what was found reading them."""

    plans: tuple[Plan, ...]
    findings: tuple[Finding, ...]
    files: int = 0  # files read, for the summary line
    parsed: Parsed | None = None  # kept when asked for, for a second load (since.py)
    actions: int = 0  # the plans' actions, counted even when they were not kept
    judged: tuple[tuple[Any, ...], ...] = ()  # each plan's items of the work (see load)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def load(
    root: Path,
    known_rules: Collection[str] = (),
    cache: CacheDir | None = None,
    workers: int = 1,
    folders: list[Path] | None = None,
    keep_parsed: bool = False,
    with_actions: bool = True,
    work: PartWork | None = None,
    prepare: Prepare | None = None,
) -> Loaded:
    """Every plan at or below `root`, and every structure problem in its files.

    The files that need parsing, from all plans, are split between this process and,
    when there are enough of them and `workers` > 1, one forked worker (SPEC 6).
    `with_actions=False` (for `validate`, which needs only the findings): the plans come
    without their actions, which are only counted, so the worker's are never rebuilt here.
    `work` (`check`, `status`): each process does it on the actions it reads, and each
    plan's items are in `judged`; the actions the worker read come as outlines, unless
    the work asks for them in full. `prepare`: work of the caller's that this process
    does while a worker reads its share, the share smaller by what it costs (perhaps
    not done at all: the caller makes sure).
    """
    if (keep_parsed or work is not None) and not with_actions:
        raise ValueError("what is kept or worked on must hold the actions")
    if keep_parsed and work is not None and work.actions != "full":
        raise ValueError("what is kept for a second load must hold the actions in full")
    folders = find_plan_folders(root) if folders is None else folders
    source = Source(boundary_of(root))
    parsed = Parsed() if keep_parsed else None
    paused = gc.isenabled()  # from the first file read (see _parse)
    gc.disable()
    try:
        try:
            started = [_start(folder, known_rules, cache, source, parsed) for folder in folders]
            items = [(s, i) for s in started for i in s.pending]
            _parse(items, workers, with_actions, work, prepare)
        finally:
            source.close()
        results = [_finish(s, source, True, with_actions, work) for s in started]
    finally:
        gc.freeze()
        if paused:
            gc.enable()
    return Loaded(
        tuple(r.plan for r in results),
        tuple(f for r in results for f in r.findings),
        sum(r.files for r in results),
        parsed,
        sum(r.actions for r in results),
        tuple(r.judged for r in results) if work is not None else (),
    )


def load_plan(
    folder: Path,
    known_rules: Collection[str] = (),
    cache: CacheDir | None = None,
    source: Source | None = None,
    update_cache: bool = True,
    parsed: Parsed | None = None,
) -> PlanLoad:
    """One plan folder as a Plan, with the structure findings of all its files
    (reusing what `parsed` holds for identical bytes)."""
    source = source or Source(boundary_of(folder))
    try:
        started = _start(folder, known_rules, cache, source, parsed)
        _parse([(started, i) for i in started.pending], workers=1)
    finally:
        source.close()
    return _finish(started, source, update_cache, with_actions=True)


class _Started:
    """A plan folder part-way through loading: plan.yaml read, action files looked up."""

    def __init__(self, folder: Path, base: Plan | None, findings: list[Finding]) -> None:
        self.folder = folder
        self.base = base
        self.findings = findings
        self.rag_keys = None if base is None else tuple(level.key for level in base.rag_scale)
        self.actions = folder / "actions"  # one Path object: Source.read_in's fast case
        self.paths: list[Path] = []
        self.results: list[Result | None] = []
        self.pending: list[int] = []  # indexes of files to parse
        self.is_readable = True  # False: plan.yaml links out, so nothing here is read
        self.data: dict[int, tuple[bytes, StatKey | None]] = {}  # read before parsing
        self.cache: FileCache = FileCache(None, folder, None)
        self.parsed: Parsed | None = None
        self.source = Source()
        self.counted = 0  # actions the worker read whose Action was not rebuilt here
        self.snapshot_findings: list[Finding] = []
        self.snapshot_files = 0
        self.judged: dict[int, list[Any]] = {}  # the work's items, by file index
        # files with an entry in the cache, looked up by the process that takes them
        self.deferred: set[int] = set()


def read_plan_yaml(
    folder: Path, known_rules: Collection[str], source: Source
) -> tuple[Plan | None, list[Finding], bool]:
    """A folder's plan.yaml (see read_plan_file), and False when it links out of the
    repository: then nothing in the folder may be read."""
    path = folder / "plan.yaml"
    if source.is_outside(path):
        return None, [outside_finding(path)], False
    return (*read_plan_file(source.read(path), path, folder, known_rules), True)


def _start(
    folder: Path,
    known_rules: Collection[str],
    cache: CacheDir | None,
    source: Source,
    parsed: Parsed | None = None,
) -> _Started:
    base, findings, is_readable = read_plan_yaml(folder, known_rules, source)
    started = _Started(folder, base, findings)
    started.parsed = parsed
    started.source = source
    if not is_readable:
        started.is_readable = False
        return started
    started.cache = files = FileCache(cache, folder, started.rag_keys)
    started.paths = paths = source.yaml_files(started.actions)
    results = started.results
    # Nothing to look up (no cache, or none yet for this folder, and no earlier parse of
    # this run): each file is read by the process that parses it, not all of them here.
    lookup = bool(files.entries) or (parsed is not None and bool(parsed.results))
    # With only the cache to look in, each file's entry is looked up (stat, decode) by
    # the process that takes the file, as parsing is shared (SPEC 6: a run of another
    # command on unchanged files)
    deferring = parsed is None
    entries = files.entries
    links_out = bool(source.outside)  # else no action file can link out (see yaml_files)
    for index, path in enumerate(paths):
        if links_out and source.is_outside(path):
            results.append((None, (outside_finding(path),)))
            continue
        if not lookup or deferring:
            if deferring and path.name in entries:
                started.deferred.add(index)
            started.pending.append(index)
            results.append(None)
            continue
        key = source.stat_key(path)
        result = files.get_unread(path, key)
        if result is None:
            data = source.read_in(started.actions, path.name)
            result = files.get(path, data, key)
            if result is None and parsed is not None:
                result = parsed.get(path, started.rag_keys, data)
            if result is None:
                started.pending.append(index)
                started.data[index] = (data, key)
        results.append(result)
    _read_snapshots(started, source)
    return started


def _read_snapshots(started: _Started, source: Source) -> None:
    """A plan's snapshots, read before its actions, since the baseline among them is
    part of what each process works out for the actions it reads (judging.Assessor)."""
    snapshots: list[Snapshot] = []
    paths = source.yaml_files(started.folder / "snapshots")
    for path in paths:
        if source.is_outside(path):
            started.snapshot_findings.append(outside_finding(path))
            continue
        snapshot, found = read_snapshot(source.read(path), path, started.rag_keys)
        if snapshot is not None and started.base is not None:
            snapshots.append(snapshot)
        started.snapshot_findings.extend(found)
    started.snapshot_files = len(paths)
    if started.base is not None:
        started.base = replace(started.base, snapshots=tuple(snapshots))


def _parse(
    items: list[tuple[_Started, int]],
    workers: int,
    with_actions: bool = True,
    work: PartWork | None = None,
    prepare: Prepare | None = None,
) -> None:
    """Parse the pending files; with enough of them, a forked worker takes a share.

    The cyclic garbage collector is paused meanwhile, and what was built is then
    frozen out of its reach: plans make many objects and no cycles, so its passes over
    them cost a tenth of the time, and later a third of `check`, and free nothing."""
    paused = gc.isenabled()
    gc.disable()
    try:
        _parse_all(items, workers, with_actions, work, prepare)
    finally:
        gc.freeze()
        if paused:
            gc.enable()


def _parse_all(
    items: list[tuple[_Started, int]],
    workers: int,
    with_actions: bool,
    work: PartWork | None,
    prepare: Prepare | None = None,
) -> None:
    if not (workers > 1 and len(items) >= PARALLEL_MIN_FILES and can_fork()):
        _parse_here(items, work=work)
        return
    gc.freeze()  # the worker then never touches the inherited objects' GC headers
    share = (
        _PARENT_SHARE_WORKING
        if work is not None
        else _PARENT_SHARE
        if with_actions
        else _PARENT_SHARE_COUNTING
    )
    mine = int(len(items) * share)
    if prepare is not None:  # this process prepares meanwhile: the worker parses more
        mine = max(mine - prepare[1] // 2, 0)
    theirs = items[mine:]
    reader, writer = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # fewer waits for a full pipe (Linux)
        import fcntl  # only where os.fork is

        fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    # with the cache's writes left behind (CacheDir.hold), the worker stores its share of
    # the entries after it has sent its last results, and is not waited for
    behind = any(started.cache.is_behind for started, _ in theirs)
    first = os.getpid()
    pid = os.fork()
    if pid == 0:  # the worker: parse its share, send each batch's results, exit
        status = 1
        try:
            os.close(reader)
            with os.fdopen(writer, "wb") as out:
                for batch in _batches(theirs):
                    chunk = marshal.dumps(_encoded_batch(batch, work))
                    out.write(len(chunk).to_bytes(8, "little") + chunk)
                    out.flush()
            if behind:
                detach()
                outlive(first)
            for files in {id(s.cache): s.cache for s, _ in theirs}.values():
                files.save_part()
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    incoming = _FromWorker(reader, theirs, with_actions, work)
    try:
        if prepare is not None:
            prepare[0]()
        _parse_here(items[:mine], between=incoming.poll, work=work)
        incoming.finish()
    finally:
        os.close(reader)
        if not behind or incoming.is_broken or incoming.applied < len(theirs):
            os.waitpid(pid, 0)
    _parse_here(theirs[incoming.applied :], work=work)  # none, unless the worker failed


class _FromWorker:
    """The worker's results as they come: a length and a marshal list of rows per batch,
    read and decoded between the batches this process parses, so that decoding overlaps
    the worker's parsing instead of following it (SPEC 6)."""

    def __init__(
        self,
        pipe: int,
        theirs: list[tuple[_Started, int]],
        with_actions: bool,
        work: PartWork | None,
    ) -> None:
        self.pipe = pipe
        self.theirs = theirs
        # the Actions; with a work, their outlines and the items the worker made of them;
        # without the actions, only the structure findings (and a count)
        self.with_actions = with_actions
        self.work = work
        self.received = bytearray()
        self.applied = 0  # rows of `theirs` decoded so far
        self.is_broken = False
        os.set_blocking(pipe, False)

    def poll(self) -> None:
        """Decode whatever whole batches have arrived, without waiting."""
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(self.pipe, _PIPE_SIZE):
                self.received += chunk
        self._apply()

    def finish(self) -> None:
        """Wait for the rest, to the worker's end, and decode it."""
        os.set_blocking(self.pipe, True)
        while chunk := os.read(self.pipe, _PIPE_SIZE):
            self.received += chunk
            self._apply()

    def _apply(self) -> None:
        if self.is_broken:
            return
        received = self.received
        start = 0
        while len(received) - start >= 8:
            size = int.from_bytes(received[start : start + 8], "little")
            if len(received) - start - 8 < size:
                break
            try:
                rows = marshal.loads(received[start + 8 : start + 8 + size])
            except (EOFError, ValueError, TypeError):
                rows = None
            start += 8 + size
            if type(rows) is not list or len(rows) > len(self.theirs) - self.applied:
                self.is_broken = True  # not what a worker sends: the rest is parsed here
                break
            items = self.theirs[self.applied : self.applied + len(rows)]
            for (started, index), (row, data, made, name, hit) in zip(items, rows, strict=True):
                path = started.paths[index]
                if self.work is not None:
                    rebuild = decode_action if self.work.actions == "full" else outline_action
                    action = None if row[0] is None else rebuild(path, row[0])
                    result = started.results[index] = (action, decode_findings(path, row[1]))
                    if action is not None:
                        unpack, folder = self.work.unpack, started.folder
                        started.judged[index] = [unpack(item, action, folder) for item in made]
                elif self.with_actions:
                    result = started.results[index] = decode_result(path, row)
                else:
                    started.counted += row[0] is not None
                    result = started.results[index] = (None, decode_findings(path, row[1]))
                if started.parsed is not None:
                    started.parsed.put(path, started.rag_keys, data, result, name)
                if hit:
                    started.cache.keep(path.name)
            self.applied += len(rows)
        del received[:start]


def _read_item(started: _Started, index: int) -> tuple[Result, bytes | None, StatKey | None, bool]:
    """A pending file's result, with its bytes (None when the cache gave the result
    unread), the stat taken before they were read (if one was taken: else the cache
    takes it as it stores the entry), and whether the cache gave the result."""
    path = started.paths[index]
    if index in started.deferred:
        files, name = started.cache, path.name
        key = started.source.stat_in(started.actions, name)
        result = files.get_unread(path, key)
        if result is not None:
            return result, None, key, True
        data = started.source.read_in(started.actions, name)
        result = files.get(path, data, key)
        if result is not None:
            return result, data, key, True
        return read_action(data, path, started.rag_keys), data, key, False
    held = started.data.pop(index, None)  # read ahead, or by _start's lookup
    if held is None:
        data, key = started.source.read_in(started.actions, path.name), None
    else:
        data, key = held
    return read_action(data, path, started.rag_keys), data, key, False


def _encoded_batch(batch: list[tuple[_Started, int]], work: PartWork | None) -> list[Any]:
    """What the worker sends for a batch of files, a row each: the result as marshal
    tuples, its action perhaps as an outline; its bytes when this run keeps what it
    parsed (`--since`, `diff`); and with a work, the items it made of the action, packed.
    What the cache is to keep of each file stays in the worker, which stores it itself
    (FileCache.save_part)."""
    read = [_read_item(started, index) for started, index in batch]
    made: list[list[Any]] = [[] for _ in batch]
    if work is not None:
        made = _work_on(batch, [result[0] for result, _, _, _ in read], work)
        made = [[work.pack(item) for item in items] for items in made]
    rows = []
    for offset, ((started, index), (result, data, key, hit)) in enumerate(
        zip(batch, read, strict=True)
    ):
        outline = not _sends_in_full(started, work)
        kept = started.parsed is not None and data is not None  # with its bytes, git's name
        rows.append(
            (
                encode_result(result, outline=outline),
                data if kept else None,
                made[offset],
                git_name(data) if kept and data is not None else None,
                hit,  # the cache gave it: the first process keeps the entry
            )
        )
        if not hit and data is not None:
            started.cache.put(started.paths[index], data, key, result)
    return rows


def _read_ahead(items: list[tuple[_Started, int]]) -> None:
    """Read the files of `items` that are not yet held (see _batches)."""
    for started, index in items:
        if index not in started.data and index not in started.deferred:
            name = started.paths[index].name
            started.data[index] = (started.source.read_in(started.actions, name), None)


def _batches(items: list[tuple[_Started, int]]) -> Iterator[list[tuple[_Started, int]]]:
    """`items` a batch at a time, each batch's files read before any is parsed: the
    system calls in a row, then the parsing in a row, take a tenth less time than
    taking turns (the processor's caches are warm for each; make bench)."""
    for at in range(0, len(items), _BATCH):
        batch = items[at : at + _BATCH]
        _read_ahead(batch)
        yield batch


def _parse_here(
    items: list[tuple[_Started, int]],
    between: Callable[[], None] | None = None,
    work: PartWork | None = None,
) -> None:
    """Parse `items` in this process, and do `work` on each batch's actions (calling
    `between` after each batch)."""
    for batch in _batches(items):
        actions: list[Action | None] = []
        for started, index in batch:
            result, data, key, hit = _read_item(started, index)
            started.results[index] = result
            actions.append(result[0])
            if data is None:  # the cache gave it, unread
                continue
            if not hit:
                started.cache.put(started.paths[index], data, key, result)
            if started.parsed is not None:
                started.parsed.put(started.paths[index], started.rag_keys, data, result)
        if work is not None:
            made = _work_on(batch, actions, work)
            for offset, (started, index) in enumerate(batch):
                if actions[offset] is not None:
                    started.judged[index] = made[offset]
        if between is not None:
            between()


def _finish(
    started: _Started,
    source: Source,
    update_cache: bool,
    with_actions: bool,
    work: PartWork | None = None,
) -> PlanLoad:
    folder = started.folder
    findings = started.findings
    actions: list[Action] = []
    own: list[Action] = []  # the actions not yet worked on (taken from the cache)
    worked = started.judged
    for index, result in enumerate(started.results):
        assert result is not None
        action, action_findings = result
        if action is not None:
            actions.append(action)
            if index not in worked:
                own.append(action)
        findings.extend(action_findings)
    counted = len(actions) + started.counted
    if started.base is None:  # ratings were not checked against a scale: none can be judged
        actions = own = []
        counted = 0
    if not with_actions:
        actions = []
    if update_cache:
        started.cache.save()
    findings.extend(started.snapshot_findings)
    risks: list[Risk] = []
    risk_paths = source.yaml_files(folder / "risks") if started.is_readable else []
    for path in risk_paths:
        if source.is_outside(path):
            findings.append(outside_finding(path))
            continue
        risk, risk_findings = read_risk(source.read(path), path)
        if risk is not None:
            risks.append(risk)
        findings.extend(risk_findings)
    base = started.base or Plan(title=folder.name, path=folder)
    plan = replace(base, path=folder, actions=tuple(actions), risks=tuple(risks))
    files = 1 + len(started.paths) + started.snapshot_files + len(risk_paths)
    judged = () if work is None else _in_file_order(started, work, work.run(plan, own))
    return PlanLoad(plan, tuple(_with_plan(f, folder) for f in findings), files, counted, judged)


def _work_on(
    batch: list[tuple[_Started, int]], actions: list[Action | None], work: PartWork
) -> list[list[Any]]:
    """The items `work` makes of a batch's actions, plan by plan, by the offset in the
    batch of the file each is about (in the worker, one about any other file makes it
    fail, and the first process parses the rest itself)."""
    made: list[list[Any]] = [[] for _ in batch]
    at = 0
    while at < len(batch):
        started = batch[at][0]
        end = at
        while end < len(batch) and batch[end][0] is started:
            end += 1
        if started.base is not None:  # else its actions are not used (see _finish)
            offsets = {str(started.paths[batch[n][1]]): n for n in range(at, end)}
            part = [action for action in actions[at:end] if action is not None]
            for item in work.run(started.base, part):
                made[offsets[str(work.path_of(item))]].append(item)
        at = end
    return made


def _sends_in_full(started: _Started, work: PartWork | None) -> bool:
    """Whether the worker sends a file's action in full, or (with a work, when neither
    this run keeps it nor the work needs it) its outline alone (the cache's entries
    come apart, see _encoded_batch)."""
    return work is None or work.actions != "outline" or started.parsed is not None


def _in_file_order(started: _Started, work: PartWork, own: Sequence[Any]) -> tuple[Any, ...]:
    """A plan's items, made by either process, batch by batch or (`own`) at the end, in
    the order of their files (so that no order depends on which process read a file),
    then those about no action file (a risk's findings)."""
    if not started.judged:  # all made at the end, in the order run gives them
        return tuple(own)
    merged = started.judged
    index_of = {str(path): index for index, path in enumerate(started.paths)} if own else {}
    others = []
    for item in own:
        index = index_of.get(str(work.path_of(item)))
        if index is None:
            others.append(item)
        else:
            merged.setdefault(index, []).append(item)
    return (*(item for index in sorted(merged) for item in merged[index]), *others)


def outside_finding(path: Path) -> Finding:
    """A plan file reached through a link out of the repository: named, never shown."""
    return Finding(
        "symlink-outside",
        Severity.ERROR,
        f"{path.name} is a symbolic link to a file outside the repository, so it is not read",
        Location(path, 1, 1),
        "replace the link with the file itself, or point it at a file inside the repository",
        has_line=False,
    )


def _with_plan(finding: Finding, folder: Path) -> Finding:
    return Finding(
        finding.rule,
        finding.severity,
        finding.message,
        finding.where,
        finding.hint,
        finding.ref,
        folder,
        finding.has_line,
    )


def parse_record(
    data: bytes, path: Path, rag_keys: Collection[str] | None, spec_name: str
) -> tuple[dict[str, Any] | None, Reader]:
    reader = Reader(path, rag_keys)
    tree, problems = parse(data, path)
    reader.findings.extend(problems)
    if tree is None:
        if not problems:
            reader.findings.append(
                Finding(
                    "schema",
                    Severity.ERROR,
                    "the file is empty",
                    Location(path, 1, 1),
                    f"write the {spec_name}'s fields, or delete the file",
                    has_line=False,
                )
            )
        return None, reader
    spec = SPECS[spec_name]
    return reader.record(tree, spec), reader


def read_action(
    data: bytes, path: Path, rag_keys: Collection[str] | None
) -> tuple[Action | None, tuple[Finding, ...]]:
    """One action file: the Action (None when unusable) and its findings.

    A file in the usual layout is read by quickread in one pass; any other, and any
    file with a problem, by the general path, which names every problem."""
    values = _quick_values(data, rag_keys)
    if values is None:
        values, reader = parse_record(data, path, rag_keys, "action")
        if values is None or reader.findings:
            return None, tuple(reader.findings)
    return action_from(values, path), ()


def _quick_values(data: bytes, rag_keys: Collection[str] | None) -> dict[str, Any] | None:
    text = _plain_text(data)
    if text is None:
        return None
    return pattern_values(text, rag_keys) or line_values(text, rag_keys)


def _plain_text(data: bytes) -> str | None:
    """A file's text for the quick readers: None when the general path must read it
    (too long, a byte order mark, not UTF-8), which words what is wrong."""
    if len(data) > MAX_BYTES or data.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def action_from(values: dict[str, Any], path: Path) -> Action:
    """The Action that the Reader's values of an action file (with no problem) describe.

    Written for speed (SPEC 6: it runs once per action file): list comprehensions, and
    nothing built for a key the file does not have."""
    measures = values.get("measures")
    evidence = values.get("evidence")
    updates = values.get("updates")
    withdrawn = values.get("withdrawn")
    start = values.get("start")
    completed = values.get("completed")
    return Action(
        ref=values["ref"],
        title=values["title"],
        leads=values["lead"],
        deadline=values["deadline"],
        rag=values["rag"],
        path=path,
        positions=values["@"],
        theme=values.get("theme"),
        source=values.get("source"),
        strategic_lead=values.get("strategic_lead"),
        start=None if start is None else start.value,
        completed=None if completed is None else completed.value,
        outcome=values.get("outcome"),
        measures=() if measures is None else tuple([m for m in measures if type(m) is str]),
        counted=()
        if measures is None
        else tuple([_measure(path, m) for m in measures if type(m) is dict]),
        evidence=()
        if evidence is None
        else tuple(
            [
                Evidence(e["description"], e.get("link"), _day(e.get("date")), _at(path, e, 0))
                for e in evidence
            ]
        ),
        updates=()
        if updates is None
        else tuple(
            [
                Update(
                    u["date"].value,
                    u.get("note"),
                    u.get("explanation"),
                    u.get("revised_deadline"),
                    Location(path, u["@"][0][1], u["@"][0][2]),
                )
                for u in updates
            ]
        ),
        withdrawn=None
        if withdrawn is None
        else Withdrawal(withdrawn["date"].value, withdrawn["reason"]),
    )


def _measure(path: Path, values: dict[str, Any]) -> Measure:
    readings = tuple(_point(path, r) for r in values.get("readings", ()))
    return Measure(
        name=values["name"],
        id=values.get("id"),
        unit=values.get("unit"),
        higher_is_better=values.get("better", "higher") == "higher",
        baseline=_point(path, values["baseline"]),
        target=_point(path, values["target"]),
        readings=readings,
        where=_at(path, values, 0),
    )


def _point(path: Path, values: dict[str, Any]) -> Point:
    return Point(values["date"].value, values["value"], _at(path, values, 0))


def _day(day: Day | None) -> Any:
    return None if day is None else day.value


def _at(path: Path, values: dict[str, Any], index: int) -> Location:
    positions = values["@"]
    if not positions:
        return Location(path, 1, 1)
    return Location(path, positions[index][1], positions[index][2])


def read_plan_file(
    data: bytes, path: Path, folder: Path, known_rules: Collection[str]
) -> tuple[Plan | None, list[Finding]]:
    """plan.yaml: a Plan without actions (None when unusable), and its findings."""
    values, reader = parse_record(data, path, None, "plan")
    if values is None:
        return None, reader.findings
    scale = _scale(values, reader)
    rules = []
    for rule_id, severity, key in values.get("rules", ()):
        if known_rules and rule_id not in known_rules:
            reader.problem(
                key,
                f"unknown rule '{rule_id}' in 'rules'",
                "run `ragplan rules` to list the rule ids",
            )
        else:
            rules.append((rule_id, severity))
    settings = values.get("settings") or {}
    defaults = Settings()
    plan = Plan(
        title=values.get("title", folder.name),
        path=folder,
        organisation=values.get("organisation"),
        start=_day(values.get("start")),
        settings=Settings(
            settings.get("stale_after_days", defaults.stale_after_days),
            settings.get("due_soon_days", defaults.due_soon_days),
            settings.get("explanation_valid_days", defaults.explanation_valid_days),
            settings.get("measure_reading_days", defaults.measure_reading_days),
            settings.get("risk_review_days", defaults.risk_review_days),
        ),
        rag_scale=scale,
        themes=values.get("themes", ()),
        people=values.get("people", ()),
        rules=tuple(rules),
        risk_levels=_risk_levels(values, reader, path),
    )
    return plan, reader.findings


def _risk_levels(values: dict[str, Any], reader: Reader, path: Path) -> tuple[RiskLevel, ...]:
    """plan.yaml's risk matrix (SPEC 8), best first, its last level reaching 25."""
    given = values.get("risk_levels")
    if not given:
        return DEFAULT_RISK_LEVELS
    levels = tuple(
        RiskLevel(v["key"].lower(), v.get("label") or v["key"].title(), v["max_score"])
        for v in given
        if "key" in v and "max_score" in v
    )
    where = Location(path, given[0]["@"][0][1] if given[0]["@"] else 1, 1)
    scores = [level.max_score for level in levels]
    if scores != sorted(set(scores)) or not scores or scores[-1] < 25 or scores[0] < 1:
        reader.findings.append(
            Finding(
                "schema",
                Severity.ERROR,
                "risk_levels must rise: each max_score higher than the one before, the "
                "last at least 25 (5 x 5)",
                where,
                "e.g. low 4, medium 12, high 25",
            )
        )
        return DEFAULT_RISK_LEVELS
    return levels


def _scale(values: dict[str, Any], reader: Reader) -> tuple[RagLevel, ...]:
    entries = values.get("rag_scale")
    if entries is None:
        return DEFAULT_SCALE
    levels: list[RagLevel] = []
    for entry in entries:
        key = entry.get("key")
        if key is None:
            continue
        key = key.lower()
        if any(level.key == key for level in levels):
            line, column = entry["@"][0][1:]
            reader.findings.append(
                Finding(
                    "schema",
                    Severity.ERROR,
                    f"rating '{key}' is listed twice in rag_scale",
                    Location(reader.path, line, column),
                    "keep one entry per rating",
                )
            )
            continue
        levels.append(
            RagLevel(
                key,
                entry.get("label", key.title()),
                entry.get("meaning", ""),
                entry.get("complete", False),
            )
        )
    if not levels:
        positions = dict((name, (line, col)) for name, line, col in values["@"])
        line, column = positions.get("rag_scale", (1, 1))
        reader.findings.append(
            Finding(
                "schema",
                Severity.ERROR,
                "rag_scale lists no ratings",
                Location(reader.path, line, column),
                "list the ratings best first, each with a key, or remove rag_scale for the "
                "default Blue/Green/Amber/Red",
            )
        )
        return DEFAULT_SCALE
    return tuple(levels)


def read_snapshot(
    data: bytes, path: Path, rag_keys: Collection[str] | None
) -> tuple[Snapshot | None, list[Finding]]:
    """A snapshot file (None when unusable) and its findings."""
    findings: list[Finding] = []
    values = _quick_snapshot(data, rag_keys)
    if values is None:  # not the commonest form: the general path names every problem
        values, reader = parse_record(data, path, rag_keys, "snapshot")
        findings = reader.findings
        if values is None or findings:
            return None, findings
    stem = path.name.rsplit(".", 1)[0]
    problem = name_problem(stem, "the snapshot's name (its file name)")
    if problem is not None:
        findings.append(
            Finding(
                "schema",
                Severity.ERROR,
                problem,
                Location(path, 1, 1),
                "rename the file: a board date such as 2015-01.yaml makes a good name",
                has_line=False,
            )
        )
        return None, findings
    snapshot = Snapshot(
        name=stem,
        on=values["date"].value,
        label=values.get("label"),
        ratings=tuple((ref, rag) for ref, rag, _ in values["ratings"]),
        deadlines=tuple((ref, deadline) for ref, deadline, _ in values.get("deadlines", ())),
        path=path,
        risks=tuple((key, grades) for key, grades, _ in values.get("risks", ())),
    )
    return snapshot, findings


def _quick_snapshot(data: bytes, rag_keys: Collection[str] | None) -> dict[str, Any] | None:
    text = _plain_text(data)
    return None if text is None else snapshot_values(text, rag_keys)


def read_risk(data: bytes, path: Path) -> tuple[Risk | None, list[Finding]]:
    """A risk file of risks/ (None when unusable) and its findings (SPEC 8)."""
    values, reader = parse_record(data, path, None, "risk")
    if values is None or reader.findings:
        return None, reader.findings
    target = values.get("target")
    closed = values.get("closed")
    risk = Risk(
        id=values["id"],
        title=values["title"],
        owners=values["owner"],
        opened=values["opened"].value,
        likelihood=values["likelihood"],
        impact=values["impact"],
        path=path,
        positions=values["@"],
        category=values.get("category"),
        target=None
        if target is None
        else (target["likelihood"], target["impact"], target["by"].value),
        controls=values.get("controls"),
        responses=values.get("responses", ()),
        outcome=values.get("outcome"),
        reviews=tuple(Review(r["date"].value, r.get("note")) for r in values.get("reviews", ())),
        closed=None if closed is None else (closed["date"].value, closed["reason"]),
    )
    return risk, reader.findings
