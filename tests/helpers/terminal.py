"""ragplan run on a terminal (a pseudo-terminal), answered as a person would type."""

from __future__ import annotations

import os
import pty
import select
import time
from pathlib import Path


def on_terminal(
    argv: list[str], cwd: Path, env: dict[str, str], answers: list[tuple[bytes, bytes]]
) -> tuple[int, str]:
    """Run `argv` on a terminal; each time the last line shown holds an answer's prompt,
    type its reply (b"\\x04" ends the input, b"\\x03" is Ctrl-C). The exit code, and all
    the terminal showed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on the terminal
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        os.execv(argv[0], argv)
    seen = b""
    waiting = list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if waiting and waiting[0][0] in seen.rsplit(b"\n", 1)[-1]:
            os.write(fd, waiting.pop(0)[1])
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace").replace("\r", "")
