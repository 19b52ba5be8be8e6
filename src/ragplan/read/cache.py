"""The cache folder (SPEC 6): in the user's cache directory, never in a checkout.

In CI every byte of a checkout was written by the pull request's author, so nothing
read from it may change a verdict except the plan files themselves. The cache
therefore lives in the user's cache directory, and every entry is checked against
what it stands for before it is used: a whole run's output (memo.py) by every plan
file's stat when it ran, the ref index (refindex.py) by each action file's stat.
A stat (size, mtime, ctime, inode, device) is trusted only when the file was last
changed well before the entry was written: a file changed in the same clock tick as
that write ("racily clean", as git calls it) is read again. ctime cannot be set by a
user, so a rewritten file always looks changed.

Cache files are `marshal` data inside a checked envelope (its length and a CRC-32: it
guards against a damaged file, not a forged one, which would take write access to
the user's own folder), never pickle. An entry is opened without following links and
read only up to the length it records; one that is truncated, corrupt, a link or of
an unexpected shape is discarded. The folder is bounded: past `limit` bytes the least
recently used files are deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import tempfile
import zlib
from pathlib import Path
from typing import Any

from .. import __version__

StatKey = tuple[int, int, int, int, int]
FORMAT = 9
DEFAULT_LIMIT = 256 * 1024 * 1024  # bytes; RAGPLAN_CACHE_MAX_MB overrides
MAX_ENTRY = 64 * 1024 * 1024  # an entry longer than this is not read
_MAGIC = b"ragplan-cache\n"
_HEAD = len(_MAGIC) + 8 + 4  # magic, payload length, CRC-32 of the payload
SETTLE_NS = 2_000_000_000  # a file changed this close to a cache write is not trusted


def stat_key(path: Path | str) -> StatKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def is_settled(changed_ns: int, written_ns: int) -> bool:
    """True when a change at `changed_ns` (mtime or ctime) came well before `written_ns`."""
    return changed_ns < written_ns - SETTLE_NS


def digest(*parts: bytes) -> bytes:
    """A digest of several byte strings, each length-prefixed so none can run into the next."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def is_inside(path: Path | str, folder: Path | str) -> bool:
    """True when `path`, with every symbolic link resolved, lies inside `folder` (resolved)."""
    real = os.path.realpath(path)
    top = os.path.realpath(folder)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


class CacheDir:
    """The cache folder: checked reads, atomic writes, least-recently-used pruning."""

    def __init__(self, root: Path, limit: int = DEFAULT_LIMIT) -> None:
        self.root = root
        self.limit = limit

    def path_for(self, kind: str, *key: bytes) -> Path:
        name = digest(__version__.encode(), str(FORMAT).encode(), kind.encode(), *key).hex()
        return self.root / f"v{FORMAT}" / kind / name[:2] / name

    def load(self, path: Path) -> tuple[Any, int] | None:
        """What `store` wrote at `path`, and when; None when absent or unusable."""
        try:
            handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            if os.path.islink(path):
                self._discard(path)
            return None
        try:
            st = os.fstat(handle)
            if not stat.S_ISREG(st.st_mode) or not _HEAD <= st.st_size <= _HEAD + MAX_ENTRY:
                self._discard(path)
                return None
            with open(handle, "rb", closefd=False) as stream:
                head = stream.read(_HEAD)
                length = int.from_bytes(head[len(_MAGIC) : len(_MAGIC) + 8], "little")
                if head[: len(_MAGIC)] != _MAGIC or length != st.st_size - _HEAD:
                    self._discard(path)
                    return None
                payload = stream.read(length)
        except OSError:
            return None
        finally:
            os.close(handle)
        if zlib.crc32(payload).to_bytes(4, "little") != head[-4:]:
            self._discard(path)
            return None
        try:
            return marshal.loads(payload), st.st_mtime_ns
        except (EOFError, ValueError, TypeError):
            self._discard(path)
            return None

    def store(self, path: Path, value: Any) -> None:
        """Write atomically (temp file, then rename), then prune; failures only cost speed."""
        try:
            payload = marshal.dumps(value)
        except ValueError:
            return
        envelope = (
            _MAGIC + len(payload).to_bytes(8, "little") + zlib.crc32(payload).to_bytes(4, "little")
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(envelope + payload)
                os.replace(temp, path)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            return
        self.prune()

    def touch(self, path: Path) -> None:
        """Mark a cache file as used now, for pruning."""
        with contextlib.suppress(OSError):
            os.utime(path, follow_symlinks=False)

    def _discard(self, path: Path) -> None:
        with contextlib.suppress(OSError):
            os.unlink(path)

    def prune(self) -> None:
        """Delete the least recently used cache files while the folder exceeds its limit."""
        files: list[tuple[int, int, str]] = []
        total = 0
        for folder, _dirs, names in os.walk(self.root / f"v{FORMAT}"):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    st = os.lstat(path)
                except OSError:
                    continue
                files.append((st.st_mtime_ns, st.st_size, path))
                total += st.st_size
        if total <= self.limit:
            return
        files.sort()
        for _used, size, path in files:
            if total <= self.limit:
                break
            try:
                os.unlink(path)
                total -= size
            except OSError:
                pass


def cache_for(root: Path, no_cache: bool, environ: dict[str, str]) -> CacheDir | None:
    """The cache (SPEC 6): `RAGPLAN_CACHE_DIR`, else the user's cache directory
    (`$XDG_CACHE_HOME/ragplan`, else `~/.cache/ragplan`); None when turned off.

    A cache folder inside the repository being read is never used: everything in a
    checkout may have been written by a pull request's author.
    """
    from .places import boundary_of

    if no_cache or environ.get("RAGPLAN_NO_CACHE", "") not in ("", "0"):
        return None
    configured = environ.get("RAGPLAN_CACHE_DIR")
    if configured:
        folder = Path(configured)
    else:
        from platformdirs import user_cache_path

        folder = user_cache_path("ragplan", appauthor=False)
    if is_inside(folder, boundary_of(root)):
        return None
    limit = environ.get("RAGPLAN_CACHE_MAX_MB", "")
    return CacheDir(folder, int(limit) * 1024 * 1024 if limit.isdigit() else DEFAULT_LIMIT)
