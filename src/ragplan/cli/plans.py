"""Printing what a command made, and exiting with its code."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from ..commands.common import Compute, produce
from ..read.memo import Outcome, run_key
from . import app


def run(root: Path, no_cache: bool, reusable: bool, compute: Compute) -> None:
    """Print what `compute` gives for the plans at `root` (see outcomes.produce) and
    exit; `reusable`: an identical later run may be answered with it."""
    key = None
    if reusable and app.invoked_args is not None:
        key = run_key(app.invoked_args, os.environ, date.today())
    deliver(produce(root, no_cache, key, app.replayed_key, compute))


def deliver(outcome: Outcome) -> None:
    """Print an outcome and exit with its code."""
    for text, stream in ((outcome.stdout, sys.stdout), (outcome.stderr, sys.stderr)):
        if text:
            stream.write(text)
            stream.flush()
    import typer

    raise typer.Exit(outcome.exit_code)
