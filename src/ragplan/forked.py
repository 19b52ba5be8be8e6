"""Two texts made at once: one here, one in a forked copy of this process (SPEC 6).

What a command prints is made after every file is read, in one process, while the
second core waits. A long text that costs much per object (a status table laid out by
rich) is made in two parts, the second by a copy of the process: forking shares
everything already built, so only the text comes back. (Where the cost per object is
small, as in writing findings, the copy gains nothing: Python writes each object's
reference count, so every page either process touches is copied.) Where forking is
not safe, or the copy fails, this process makes both parts itself: the result never
depends on how it was made. A copy may also be left to finish work after the command
has ended (detach).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Forking is safe only in a process with one thread (none was started where
    threading was never loaded)."""
    threading = sys.modules.get("threading")
    return hasattr(os, "fork") and (threading is None or threading.active_count() == 1)


def detach() -> None:
    """In a copy of the process left to finish work after the command has ended: no
    terminal, none of the command's output streams, and the lowest priority: the
    command's own processes (the first, and a copy laying out half a table) never
    wait for it while they run."""
    import contextlib

    os.setsid()
    quiet = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(quiet, stream)
    with contextlib.suppress(OSError):
        os.nice(10)
    with contextlib.suppress(OSError, AttributeError):  # Linux: only on a core left idle,
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))  # never the command's


def outlive(first: int, limit_s: float = 60.0) -> None:
    """In a detached copy (forked by `first`): wait for `first`, the command's process,
    to end (or `limit_s`). The two cores of a virtual machine may share one core's
    execution units, so that work done beside the command slows it even at the lowest
    priority: a worker's share of the cache waits for the command's output (make
    bench: a fifth of `status` on 10,000 files)."""
    import time

    deadline = time.monotonic() + limit_s
    while os.getppid() == first and time.monotonic() < deadline:
        time.sleep(0.005)


def in_two(here: Callable[[], str], there: Callable[[], str]) -> tuple[str, str]:
    """`here()` made in this process and `there()` in a copy of it, at the same time."""
    return made_in_two(
        here,
        there,
        lambda text: text.encode("utf-8", "surrogatepass"),
        lambda data: data.decode("utf-8", "surrogatepass"),
    )


def made_in_two(
    here: Callable[[], T],
    there: Callable[[], T],
    encode: Callable[[T], bytes],
    decode: Callable[[bytes], T],
) -> tuple[T, T]:
    """in_two for any value that `encode` turns into bytes (in the copy) and `decode`
    back (here); anything that goes wrong there, and it is made here."""
    if not can_fork():
        return here(), there()
    mine, data = _with_copy(here, lambda: encode(there()))
    if data is not None:
        try:
            return mine, decode(data)
        except Exception:  # not what the copy sends: made here instead
            pass
    return mine, there()


def _with_copy(here: Callable[[], T], there: Callable[[], bytes]) -> tuple[T, bytes | None]:
    """`here()`, and what `there()` gave in a copy of the process (None if it failed:
    the caller then makes it here; the result never depends on how it was made)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: make its part, send it, end without cleaning up
        status = 1
        try:
            os.close(reader)
            data = there()
            with os.fdopen(writer, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    try:
        with os.fdopen(reader, "rb") as received:
            mine = here()
            data = received.read()
    finally:
        _, status = os.waitpid(pid, 0)
    return mine, (data if status == 0 else None)
