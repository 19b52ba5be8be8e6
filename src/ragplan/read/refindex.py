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

from .. import __version__
from ..core.errors import InputError
from ..core.names import file_stem, name_problem
from .cache import FORMAT, SETTLE_NS, CacheDir, StatKey, is_inside
from .loader import YAML_SUFFIXES, Source, parse_record

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
        self.actions = folder / "actions"
        self.source = source
        self.cache = cache

    def build(self) -> dict[str, str | None]:
        """The ref each of the plan's action files states (None: none found), by file name.

        One directory listing and one stat per file, by name relative to the open folder,
        and no Path object per file: at 10,000 files, pathlib alone cost more than the
        rest of `ragplan new` (make bench). When no file's stat changed since the index
        was kept (and none changed just before), the kept refs are the answer; otherwise
        only the files whose stat changed are read."""
        listing = self._listing(self.folder / "actions")
        stats, refs, written_ns = self.load_entries()
        settled = written_ns - SETTLE_NS  # a file changed after this is read again
        if stats != listing or any(
            key[1] >= settled or key[2] >= settled for key in listing.values()
        ):
            refs = {
                name: (
                    refs[name]
                    if stats.get(name) == key and key[1] < settled and key[2] < settled
                    else self._ref_of(name)
                )
                for name, key in listing.items()
            }
            self._store(listing, refs)
        return refs

    def _ref_of(self, name: str) -> str | None:
        data = self.source.read(self.actions / name)
        return quick_ref(data) or _parsed_ref(data, self.actions / name)

    def _listing(self, actions: Path) -> dict[str, StatKey]:
        """The stat of each action file that may be read (SPEC 1: not through a link out
        of the repository), by file name."""
        boundary = self.source.boundary
        if boundary is not None and not is_inside(actions, boundary):
            return {}
        try:
            folder = os.open(actions, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return {}
        listing: dict[str, StatKey] = {}
        look = os.stat
        try:
            for name in os.listdir(folder):
                if name[0] == "." or not name.endswith(YAML_SUFFIXES):
                    continue
                try:
                    st = look(name, dir_fd=folder, follow_symlinks=False)
                    if stat.S_ISLNK(st.st_mode):
                        if boundary is None or not is_inside(actions / name, boundary):
                            continue
                        st = look(name, dir_fd=folder)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    listing[name] = (
                        st.st_size,
                        st.st_mtime_ns,
                        st.st_ctime_ns,
                        st.st_ino,
                        st.st_dev,
                    )
        except OSError:
            return {}
        finally:
            os.close(folder)
        return listing

    def _cache_path(self) -> Path | None:
        if self.cache is None:
            return None
        return self.cache.path_for("refs", os.path.abspath(self.folder).encode())

    def load_entries(self) -> tuple[dict[str, StatKey], dict[str, str | None], int]:
        """The kept stats and refs by file name, and when they were kept (0: none)."""
        path = self._cache_path()
        if path is None or self.cache is None:
            return {}, {}, 0
        loaded = self.cache.load(path)
        if loaded is None:
            return {}, {}, 0
        value, written_ns = loaded
        if (  # any surprise in what came back: an empty index (stats are compared whole)
            type(value) is tuple
            and len(value) == 3
            and value[0] == (FORMAT, __version__)
            and type(value[1]) is dict
            and type(value[2]) is dict
            and value[1].keys() == value[2].keys()
            and all(ref is None or type(ref) is str for ref in value[2].values())
        ):
            return value[1], value[2], written_ns
        return {}, {}, 0

    def _store(self, stats: dict[str, StatKey], refs: dict[str, str | None]) -> None:
        path = self._cache_path()
        if path is not None and self.cache is not None:
            self.cache.store(path, ((FORMAT, __version__), stats, refs))


def claimants(refs: dict[str, str | None]) -> dict[str, list[str]]:
    """Each ref with the names of the files that state it, in name order."""
    names: dict[str, list[str]] = {}
    for name in sorted(refs):
        ref = refs[name]
        if ref is not None:
            names.setdefault(ref, []).append(name)
    return names


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
    guesses += [name for name, known in index.load_entries()[1].items() if known == ref]
    for name in guesses:
        path = actions / name
        if path.is_file() and _may_read(path, source):
            data = source.read(path)
            if (quick_ref(data) or _parsed_ref(data, path)) == ref:
                return path
    refs = claimants(index.build())
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
