"""What the tests share: plan files to write, a git that runs as a fixed author, the
expected-output files, the damage done to generated text. Test modules import from
here, never from one another."""

from __future__ import annotations

from .damage import damaged
from .git import GIT_ENV, git
from .golden import assert_golden
from .plans import (
    DATA,
    HOSTILE,
    PLAN_YAML,
    RAGPLAN,
    ROOT,
    Run,
    action,
    dedent,
    hostile_plan,
)

__all__ = [
    "DATA",
    "GIT_ENV",
    "HOSTILE",
    "PLAN_YAML",
    "RAGPLAN",
    "ROOT",
    "Run",
    "action",
    "assert_golden",
    "damaged",
    "dedent",
    "git",
    "hostile_plan",
]
