"""The cache folder (SPEC 6): in the user's cache directory, never in a checkout.

In CI every byte of a checkout was written by the pull request's author, so nothing
read from it may change a verdict except the plan files themselves. The cache
therefore lives in the user's cache directory (`CacheDir`), and every entry is
checked against what it stands for:

- `filecache.FileCache` keeps, per plan folder (one cache file per absolute folder path), each
  action file's load result keyed by a digest of its bytes and the plan's rating
  keys. The same path with other bytes (a CI runner that reuses one workspace for
  many branches) never hits a stale entry.
- To skip reading unchanged files, an entry also keeps the stat (size, mtime, ctime,
  inode, device) recorded for that very file, trusted only when the file was last
  changed well before the cache was written: a file changed in the same clock tick as
  that write ("racily clean", as git calls it) is read and its digest compared.
  ctime cannot be set by a user, so a rewritten file always looks changed.
- `memo.RunMemo` keeps a whole run's output, with every plan file's stat when it ran.

Cache files are `marshal` data inside a checksummed envelope (CRC-32: it guards
against a damaged file, not a forged one, which would take write access to the
user's own folder; the entries' keys are BLAKE2b digests), never pickle; a file that
is truncated, corrupt or of an unexpected shape is discarded and rebuilt. The
folder is bounded: past `limit` bytes the least recently used files are deleted.

A command may hold its writes (`CacheDir.hold`) and have them done after its output
is ready, by a detached copy of its process when they are many (`write_held`): a run's
output never waits on the cache. The copy writes the entry of the whole run
(memo.RunMemo) first, holding a lock that a run starting meanwhile waits for, so a run
that follows at once on unchanged files still finds it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hashlib import blake2b

from . import __version__
from .forked import can_fork, detach

StatKey = tuple[int, int, int, int, int]
FORMAT = 8
DEFAULT_LIMIT = 256 * 1024 * 1024  # bytes; RAGPLAN_CACHE_MAX_MB overrides
_MAGIC = b"ragplan-cache\n"
SETTLE_NS = 2_000_000_000  # a file changed this close to a cache write is not trusted
# held writes of fewer entries than this are done before the run ends: forking is then
# dearer than writing (make bench)
BEHIND_MIN_ENTRIES = 1000


def stat_key(path: Path | str) -> StatKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def is_settled(changed_ns: int, written_ns: int) -> bool:
    """True when a change at `changed_ns` (mtime or ctime) came well before `written_ns`."""
    return changed_ns < written_ns - SETTLE_NS


def hasher() -> blake2b:
    """A new 16-byte BLAKE2b hash: hashlib's own, from the module hashlib takes it from,
    without loading OpenSSL as hashlib does (2 ms of a second run; SPEC 6). Loaded when
    first used: a run without the cache never needs it."""
    try:
        from _blake2 import blake2b as made
    except ImportError:  # a Python built without it: hashlib finds one
        from hashlib import blake2b as made
    return made(digest_size=16)


def digest(*parts: bytes) -> bytes:
    """A digest of several byte strings, each length-prefixed so none can run into the next."""
    h = hasher()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def _checksum(data: bytes, start: int = 0) -> bytes:
    """The envelope's check of `data[start:]`: a whole run's output is megabytes, and a
    CRC a fifth of a digest's cost (a second run reads it; SPEC 6)."""
    import zlib

    return zlib.crc32(memoryview(data)[start:]).to_bytes(4, "little")


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
        # writes held until write_held, with how many entries each holds; None: at once
        self.held: list[tuple[Path, Callable[[], Any], int]] | None = None
        self.written: list[tuple[Path, Callable[[], Any], int]] = []
        self.behind = False  # see hold

    def hold(self, behind: bool) -> None:
        """Hold the writes given to store_later until write_held. `behind`: when there is
        much to write, a detached copy of this process may do it, so that this one can
        print and exit at once (and the worker, loader.py, stores its own share)."""
        self.held = []
        self.behind = behind

    def store_later(
        self, path: Path, make: Callable[[], Any], entries: int, first: bool = False
    ) -> None:
        """Store what `make` gives (`entries` in it): at once, or when held, at write_held
        (`first`: before the others, while a run that follows waits for it)."""
        if self.held is None:
            self.store(path, make())
        elif first:
            self.held.insert(0, (path, make, -1))
        else:
            self.held.append((path, make, entries))

    def write_held(self) -> None:
        """Write what was held, then prune: behind (see hold), when there is much to
        write; a run that starts meanwhile waits for the writes marked `first`
        (wait_for_writer)."""
        held, self.held = self.held or [], None
        self.written = held  # freed with this object (see launch.spare)
        if (
            self.behind
            and sum(max(entries, 0) for _, _, entries in held) >= BEHIND_MIN_ENTRIES
            and can_fork()
        ):
            lock = self._lock()
            if os.fork() != 0:
                if lock is not None:
                    os.close(lock)  # the copy holds the lock until its first writes are done
                return
            try:
                detach()
                self._write(held, lock)
            finally:
                os._exit(0)
        self._write(held, None)

    def _write(self, held: list[tuple[Path, Callable[[], Any], int]], lock: int | None) -> None:
        for path, make, entries in held:
            if lock is not None and entries >= 0:  # the first writes are done
                os.close(lock)
                lock = None
            self.store(path, make())
        if lock is not None:
            os.close(lock)
        self.prune()

    def _lock(self) -> int | None:
        """The writers' lock, taken, if no other run holds it."""
        import fcntl  # only where os.fork is

        try:
            self.root.mkdir(parents=True, exist_ok=True)
            lock = os.open(self.root / "writing.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)
            return None
        return lock

    def wait_for_writer(self) -> None:
        """Wait (up to 2 s) while a copy of an earlier run writes what it marked first."""
        try:
            lock = os.open(self.root / "writing.lock", os.O_RDONLY)
        except OSError:
            return
        try:
            import fcntl
            import time

            for _ in range(400):
                try:
                    fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    time.sleep(0.005)
                except OSError:
                    return
        finally:
            os.close(lock)

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
        head = len(_MAGIC) + 4
        if data[: len(_MAGIC)] != _MAGIC or _checksum(data, head) != data[len(_MAGIC) : head]:
            self._discard(path)
            return None
        try:
            return marshal.loads(memoryview(data)[head:]), written_ns
        except (EOFError, ValueError, TypeError):
            self._discard(path)
            return None

    def store(self, path: Path, value: Any) -> None:
        """Write atomically (temp file, then rename); failures only cost speed."""
        try:
            payload = marshal.dumps(value)
        except ValueError:
            return
        import tempfile  # here: most runs write nothing (4 ms; SPEC 6)

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_MAGIC + _checksum(payload) + payload)
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
