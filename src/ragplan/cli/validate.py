"""`ragplan validate`: the structure of every file, each problem with its place."""

from __future__ import annotations

import functools
from pathlib import Path

from ..commands.check import validate_outcome
from .app import NoCacheOpt, PlanArg, app
from .plans import run


@app.command()
def validate(plan: PlanArg = Path("plans"), no_cache: NoCacheOpt = False) -> None:
    """Check the structure of every file; list every problem with file:line:column.

    Exits 0 when all files are valid, 2 when any is not."""
    run(plan, no_cache, True, functools.partial(validate_outcome, plan))
