"""Every command, registered on the Typer app: importing a command family's module
registers its commands, in the order `ragplan --help` lists them."""

from __future__ import annotations

from . import status

# isort: split
from . import gate

# isort: split
from . import edit

# isort: split
from . import audit

# isort: split
from . import render

# isort: split
from . import spreadsheets

# isort: split
from . import risks

# isort: split
from . import registry
from .app import app, main

__all__ = [
    "app",
    "audit",
    "edit",
    "gate",
    "main",
    "registry",
    "render",
    "risks",
    "spreadsheets",
    "status",
]
