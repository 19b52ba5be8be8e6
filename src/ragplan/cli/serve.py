"""`ragplan serve DB`: Datasette over an `export --format sqlite` database (SPEC 12)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import InputError
from .app import app


@app.command()
def serve(
    database: Annotated[
        Path,
        typer.Argument(metavar="DB", help="A database made by `ragplan export --format sqlite`."),
    ],
    port: Annotated[int, typer.Option("--port", help="The port on 127.0.0.1.")] = 8001,
) -> None:
    """Datasette on 127.0.0.1 over the plans' database, with titles, descriptions,
    facets (rating, lead, theme, plan) and canned queries for the common questions.
    Needs Datasette (`pip install 'ragplan[national]'`)."""
    from ..sheets.database import check_database
    from ..views.rendering import shipped_templates

    if not database.is_file():
        raise InputError(
            f"{database}: no such file", "make it with `ragplan export --format sqlite`"
        )
    check_database(database, must_exist=True)
    if importlib.util.find_spec("datasette") is None:
        raise InputError(
            "ragplan serve needs Datasette, which is not installed",
            "pip install 'ragplan[national]' (or pip install datasette)",
        )
    if not 0 < port < 65536:
        raise InputError(f"--port {port}: not a port", "e.g. --port 8001")
    metadata = shipped_templates() / "datasette-metadata.json"
    argv = [
        sys.executable, "-m", "datasette", "serve", str(database), "--host", "127.0.0.1",
        "--port", str(port), "--metadata", str(metadata), "--immutable", str(database),
    ]  # fmt: skip
    sys.stdout.flush()
    os.execv(sys.executable, argv)  # Datasette takes the process: its Ctrl-C, its exit code
