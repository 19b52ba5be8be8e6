"""Which action file holds which ref, without parsing ten thousand files (new, update).

Most files say `ref: 3b` on a line of their own at the top level: a regular
expression finds it in the bytes. A file where it does not (a quoted ref, flow style,
a BOM, `ref` twice) is parsed by the loader. The answers are kept in the user's cache,
keyed by each file's stat (size, times, inode, device) as the read cache is, so a
second run only stats the files. `update` always re-reads the file it writes, so a
wrong answer here can cost a search, never a write to the wrong action.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from pathlib import Path

from . import __version__
from .cache import FORMAT, SETTLE_NS, CacheDir, StatKey, is_inside
from .errors import InputError
from .loader import YAML_SUFFIXES, Source, parse_record
from .names import file_stem, name_problem

_REF_LINE = re.compile(
    rb"^ref:[ \t]*([^\s#'\"&*!|>%@`{\[][^\r\n#]*?)[ \t]*(?:#[^\r\n]*)?\r?$", re.M
)
_SAFE = re.compile(rb"[\w./-]+(?: [\w./-]+)*")


def quick_ref(data: bytes) -> str | None:
    """The ref a file states on a top-level line of its own, when that is unambiguous."""
    found = _REF_LINE.findall(data)
    if len(found) != 1 or not _SAFE.fullmatch(found[0]) or b"\n" not in data:
        return None
    try:
        ref = found[0].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return ref if name_problem(ref) is None else None


class RefIndex:
    """ref -> the action files in a plan folder that claim it."""

    def __init__(self, folder: Path, source: Source, cache: CacheDir | None) -> None:
        self.folder = folder
        self.source = source
        self.cache = cache

    def build(self) -> dict[str, list[str]]:
        """Every ref in the plan's action files, with the names of the files that state it.

        One scandir and plain strings, not Path objects: at 10,000 files, pathlib alone
        cost more than the rest of `ragplan new` (make bench)."""
        entries, written_ns = self.load_entries()
        settled = written_ns - SETTLE_NS  # a file changed after this is read again
        kept: dict[str, tuple[StatKey | None, str | None]] = {}
        names: dict[str, list[str]] = {}
        for entry in self._entries(self.folder / "actions"):
            try:
                st = entry.stat()
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
            known = entries.get(entry.name)
            if (
                known is not None
                and known[0] == key
                and st.st_mtime_ns < settled
                and st.st_ctime_ns < settled
            ):
                ref = known[1]
            else:
                data = _read(entry.path, self.source)
                ref = quick_ref(data) or _parsed_ref(data, Path(entry.path))
            kept[entry.name] = (key, ref)
            if ref is not None:
                names.setdefault(ref, []).append(entry.name)
        if kept != entries:
            self._store(kept)
        return names

    def _entries(self, actions: Path) -> list[os.DirEntry[str]]:
        """The action files that may be read (SPEC 1: not through a link out of the
        repository)."""
        boundary = self.source.boundary
        if boundary is not None and not is_inside(actions, boundary):
            return []
        try:
            with os.scandir(actions) as scan:
                return [
                    e
                    for e in scan
                    if e.name.endswith(YAML_SUFFIXES)
                    and not e.name.startswith(".")
                    and (
                        not e.is_symlink()
                        or (boundary is not None and is_inside(Path(e.path), boundary))
                    )
                ]
        except OSError:
            return []

    def _cache_path(self) -> Path | None:
        if self.cache is None:
            return None
        return self.cache.path_for("refs", os.path.abspath(self.folder).encode())

    def load_entries(self) -> tuple[dict[str, tuple[StatKey | None, str | None]], int]:
        path = self._cache_path()
        if path is None or self.cache is None:
            return {}, 0
        loaded = self.cache.load(path)
        if loaded is None:
            return {}, 0
        value, written_ns = loaded
        if (
            type(value) is tuple
            and len(value) == 2
            and value[0] == (FORMAT, __version__)
            and type(value[1]) is dict
            and all(
                type(v) is tuple and len(v) == 2 and (v[1] is None or type(v[1]) is str)
                for v in value[1].values()
            )
        ):
            return value[1], written_ns
        return {}, 0

    def _store(self, entries: dict[str, tuple[StatKey | None, str | None]]) -> None:
        path = self._cache_path()
        if path is not None and self.cache is not None:
            self.cache.store(path, ((FORMAT, __version__), entries))


def _read(file: str, source: Source) -> bytes:
    """A file's bytes by its plain path (no Path object per file: 10,000 of them cost
    0.1 s); the source's own read, with its error message, when that fails."""
    try:
        with open(file, "rb") as handle:
            return handle.read()
    except OSError:
        return source.read(Path(file))


def _may_read(path: Path, source: Source) -> bool:
    """SPEC 1: a file reached through a link out of the repository is never read."""
    boundary = source.boundary
    if boundary is None:
        return True
    return is_inside(path, boundary)


def _parsed_ref(data: bytes, path: Path) -> str | None:
    """The ref of a file the quick look could not read, even when the file has other
    problems (the loader reports those)."""
    values, _reader = parse_record(data, path, None, "action")
    ref = None if values is None else values.get("ref")
    return ref if type(ref) is str else None


def locate(folder: Path, ref: str, source: Source, cache: CacheDir | None) -> Path:
    """The action file that states `ref`: the file named after it, else the one the
    last index named (each read to confirm it still states the ref), else by a fresh
    index; an InputError naming the closest refs when there is none."""
    actions = folder / "actions"
    if not _may_read(actions, source):
        raise InputError(
            f"{actions} links out of the repository; ragplan neither reads nor writes there",
            "replace the link with the folder itself",
        )
    index = RefIndex(folder, source, cache)
    guesses = [file_stem(ref) + suffix for suffix in YAML_SUFFIXES]
    guesses += [name for name, (_, known) in index.load_entries()[0].items() if known == ref]
    for name in guesses:
        path = actions / name
        if path.is_file() and _may_read(path, source):
            data = source.read(path)
            if (quick_ref(data) or _parsed_ref(data, path)) == ref:
                return path
    refs = index.build()
    names = refs.get(ref)
    if names is None:
        folded = [r for r in refs if r.casefold() == ref.casefold()]
        if len(folded) == 1:
            names = refs[folded[0]]
    if names is None:
        close = difflib.get_close_matches(ref, list(refs), n=3, cutoff=0.5)
        raise InputError(
            f"there is no action {ref} in {folder}",
            f"did you mean {' or '.join(close)}?"
            if close
            else "`ragplan status` lists the actions; refs are as written in each file's `ref:`",
        )
    paths = [actions / name for name in sorted(names)]
    if len(paths) > 1:
        listed = ", ".join(str(p) for p in paths)
        raise InputError(
            f"{len(paths)} files claim the ref {ref}: {listed}",
            "give each action its own ref (ragplan check reports this as duplicate-ref)",
        )
    return paths[0]
