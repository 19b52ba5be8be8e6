"""Every command, registered on the Typer app: importing a command's module registers
it, in the order `ragplan --help` lists them."""

from __future__ import annotations

# isort: off
from . import status, validate, check
from . import edit  # new, update
from . import diff, snapshot, history, render
from . import spreadsheets  # import, export
from . import risks, rules, schema
from . import serve

# isort: on
from .app import app, main

__all__ = [
    "app",
    "check",
    "diff",
    "edit",
    "history",
    "main",
    "render",
    "risks",
    "rules",
    "schema",
    "serve",
    "snapshot",
    "spreadsheets",
    "status",
    "validate",
]
