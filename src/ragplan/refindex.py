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
from pathlib import Path

from . import __version__
from .cache import FORMAT, CacheDir, StatKey, is_settled, stat_key
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
        self.by_file: dict[str, str | None] = {}  # file name -> ref (None: unreadable)

    def build(self) -> dict[str, list[Path]]:
        """Every ref in the plan's action files, with the files that state it."""
        actions = self.folder / "actions"
        paths = self.source.yaml_files(actions)
        entries, written_ns = self._load()
        kept: dict[str, tuple[StatKey | None, str | None]] = {}
        refs: dict[str, list[Path]] = {}
        changed = False
        for path in paths:
            if self.source.is_outside(path):
                continue
            key = stat_key(path)
            entry = entries.get(path.name)
            if (
                entry is not None
                and key is not None
                and entry[0] == key
                and is_settled(max(key[1], key[2]), written_ns)
            ):
                ref = entry[1]
            else:
                data = self.source.read(path)
                ref = quick_ref(data)
                if ref is None:
                    ref = _parsed_ref(data, path)
                changed = True
            kept[path.name] = (key, ref)
            self.by_file[path.name] = ref
            if ref is not None:
                refs.setdefault(ref, []).append(path)
        if changed or len(kept) != len(entries):
            self._store(kept)
        return refs

    def _cache_path(self) -> Path | None:
        if self.cache is None:
            return None
        return self.cache.path_for("refs", os.path.abspath(self.folder).encode())

    def _load(self) -> tuple[dict[str, tuple[StatKey | None, str | None]], int]:
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


def _parsed_ref(data: bytes, path: Path) -> str | None:
    """The ref of a file the quick look could not read, even when the file has other
    problems (the loader reports those)."""
    values, _reader = parse_record(data, path, None, "action")
    ref = None if values is None else values.get("ref")
    return ref if type(ref) is str else None


def locate(folder: Path, ref: str, source: Source, cache: CacheDir | None) -> Path:
    """The action file that states `ref`: first the file named after it, else by the
    index; an InputError naming the closest refs when there is none."""
    actions = folder / "actions"
    for suffix in YAML_SUFFIXES:
        path = actions / (file_stem(ref) + suffix)
        if path.is_file() and not source.is_outside(path):
            data = source.read(path)
            if (quick_ref(data) or _parsed_ref(data, path)) == ref:
                return path
    refs = RefIndex(folder, source, cache).build()
    paths = refs.get(ref)
    if paths is None:
        folded = [r for r in refs if r.casefold() == ref.casefold()]
        if len(folded) == 1:
            paths = refs[folded[0]]
    if paths is None:
        close = difflib.get_close_matches(ref, list(refs), n=3, cutoff=0.5)
        raise InputError(
            f"there is no action {ref} in {folder}",
            f"did you mean {' or '.join(close)}?"
            if close
            else "`ragplan status` lists the actions; refs are as written in each file's `ref:`",
        )
    if len(paths) > 1:
        names = ", ".join(str(p) for p in paths)
        raise InputError(
            f"{len(paths)} files claim the ref {ref}: {names}",
            "give each action its own ref (ragplan check reports this as duplicate-ref)",
        )
    return paths[0]
