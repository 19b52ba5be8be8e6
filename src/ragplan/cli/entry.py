"""The `ragplan` console entry point.

A command line run before, on plan files that have not changed since, is answered
with what it printed then (memo.py), before Typer and the YAML reader load: most of a
second run would otherwise be spent importing them. Anything else goes to the Typer
app, which parses the line and runs the command.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path


def main() -> None:
    """Console entry point."""
    from ..read.cache import cache_for
    from ..read.memo import replay, run_key

    argv = sys.argv[1:]
    # None when turned off, or when it would lie inside the repository being read
    cache = cache_for(Path.cwd(), False, dict(os.environ))
    key = None
    if cache is not None:
        key = run_key(argv, os.environ, date.today())
        outcome = replay(cache, key)
        if outcome is not None:
            sys.stdout.write(outcome.stdout)
            sys.stdout.flush()
            sys.stderr.write(outcome.stderr)
            sys.exit(outcome.exit_code)
    from . import app
    from .commands import main as run_command

    app.replayed_key = key
    run_command()
