"""Writing plan files: atomic, serialised per plan, never through a link (new, update).

A write goes to a temporary file in the same folder, is flushed and fsynced, takes
the old file's mode, and replaces the old file in one rename: a reader, or a process
killed at any point, sees the old file or the new one, never a torn one. Writers of
one plan take its lock first, so concurrent updates queue rather than lose each
other's work. The lock file lives outside the plan folder, in a per-user folder of
the system's temporary directory: a lock file cannot be deleted safely while others
may wait on it, and nothing but plan files belongs in a plan folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import InputError
from ..core.fields import PLAN_PARTS, TEMP_SUFFIX

LOCK_TIMEOUT = 60.0  # seconds to wait for another writer of the same plan


def _lock_folder() -> Path:
    if hasattr(os, "getuid"):
        user = str(os.getuid())
    else:  # pragma: no cover - Windows
        import getpass

        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "user"
    folder = Path(tempfile.gettempdir()) / f"ragplan-locks-{user}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


@contextlib.contextmanager
def plan_lock(plan_folder: Path) -> Iterator[None]:
    """Hold the write lock of one plan (by its real path) while the block runs; first,
    clear what a write killed part-way left (no writer can be at work meanwhile)."""
    real = os.path.realpath(plan_folder)
    name = hashlib.blake2b(real.encode(), digest_size=16).hexdigest()
    path = _lock_folder() / f"{name}.lock"
    taken = _flock(path) if hasattr(os, "fork") else _filelock(path)
    try:
        with taken:
            _clear_leftovers(plan_folder)
            yield
    except TimeoutError:
        raise InputError(
            f"another ragplan command has been writing to {plan_folder} for "
            f"{LOCK_TIMEOUT:.0f} seconds",
            "wait for it to finish, then run this again",
        ) from None


def _clear_leftovers(plan_folder: Path) -> None:
    """Delete the temporary files of writes that were killed before their rename (the
    loader reports them meanwhile, so that `git add -A` never takes one unseen)."""
    for folder in (plan_folder, *(plan_folder / part for part in PLAN_PARTS)):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for leftover in names:
            if leftover.startswith(".") and leftover.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(folder / leftover)
    shutil.rmtree(plan_folder.with_name(f".{plan_folder.name}{TEMP_SUFFIX}"), ignore_errors=True)


@contextlib.contextmanager
def _flock(path: Path) -> Iterator[None]:
    """The lock on POSIX: flock on the lock file, retried until LOCK_TIMEOUT (filelock
    does the same, but loads logging, secrets and more: a fifth of `new`; SPEC 6)."""
    import fcntl
    import time

    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(path) from None
                time.sleep(0.02)
        yield  # released when the file is closed
    finally:
        os.close(handle)


@contextlib.contextmanager
def _filelock(path: Path) -> Iterator[None]:  # pragma: no cover - Windows
    from filelock import FileLock, Timeout

    try:
        with FileLock(str(path), timeout=LOCK_TIMEOUT):
            yield
    except Timeout:
        raise TimeoutError(path) from None


def refuse_link(path: Path) -> None:
    """A plan file that is a symbolic link is not written through."""
    if path.is_symlink():
        raise InputError(
            f"{path} is a symbolic link; ragplan does not write through links",
            "edit the file it points to, or replace the link with a copy of that file",
        )


def replace_file(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically, keeping its permissions."""
    refuse_link(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:  # none yet, or no folder to hold one: writing it says which
        mode = None
    _write(path, data, mode, exclusive=False)


def create_file(path: Path, data: bytes) -> None:
    """Create `path` holding `data`, atomically; an existing file is never replaced."""
    _write(path, data, None, exclusive=True)


def temp_path(path: Path) -> Path:
    """Where the new text of `path` is written before it replaces `path`. One name per
    file: writers hold the plan's lock, so the next writer of a file takes over what a
    killed one left (the loader never reads hidden files)."""
    return path.with_name(f".{path.name}{TEMP_SUFFIX}")


def _write(path: Path, data: bytes, mode: int | None, exclusive: bool) -> None:
    folder = path.parent
    temp = temp_path(path)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)  # a killed writer's leftover, or a link planted there
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(temp, flags, 0o600)
    except OSError as error:
        raise InputError(
            f"{folder}: cannot write here ({error.strerror})", "check the folder's permissions"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode if mode is not None else _default_mode())
        if exclusive:
            try:
                os.link(temp, path)  # fails when `path` exists: never replaces a file
            except FileExistsError:
                raise InputError(f"{path} already exists", "choose another ref") from None
            os.unlink(temp)
        else:
            os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise InputError(
            f"{path}: cannot be written ({error.strerror})", "check the path and its permissions"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def create_plan(folder: Path, files: dict[Path, bytes]) -> None:
    """A new plan folder holding `files` (paths inside `folder`), all at once: built in a
    hidden staging folder beside it, then renamed into place, so a killed import leaves
    either no plan or the whole of it, never a part that validates."""
    staging = folder.with_name(f".{folder.name}{TEMP_SUFFIX}")
    shutil.rmtree(staging, ignore_errors=True)  # a killed import's (the caller holds the lock)
    try:
        for path, data in files.items():
            target = staging / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(target, _default_mode())
        for made in sorted({staging / p.relative_to(folder).parent for p in files}, reverse=True):
            _sync_folder(made)
        if folder.exists():
            folder.rmdir()  # empty (the caller made sure): rename needs the name free
        os.rename(staging, folder)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(
            f"{folder}: cannot be written ({error.strerror})", "check the path and its permissions"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _sync_folder(folder.parent)


def add_files(files: dict[Path, bytes], replace: bool) -> None:
    """Write several files of one plan, each atomically, all of them first as temporary
    files, then renamed in one pass: a run stopped before the pass changes nothing, and
    its leftovers are named by the loader and cleared by the next write. `replace`: an
    existing file may be replaced; else none is."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            if not replace and os.path.lexists(path):
                raise InputError(f"{path} already exists", "--force replaces it")
            temp = temp_path(path)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(temp, flags, 0o600), "wb") as handle:
                temps.append((temp, path))
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, _default_mode())
        for temp, path in temps:
            os.replace(temp, path)
    except OSError as error:
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise InputError(
            f"{error.filename or 'a plan file'}: cannot be written ({error.strerror})",
            "check the path and its permissions",
        ) from None
    for folder in {path.parent for path in files}:
        _sync_folder(folder)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
