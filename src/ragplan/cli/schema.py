"""`ragplan schema`: the JSON Schema of a file kind, for editors."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer

from ..commands.common import plan_settings
from .app import app


class SchemaKind(enum.StrEnum):
    action = "action"
    plan = "plan"
    snapshot = "snapshot"
    risk = "risk"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file kind.")] = SchemaKind.action,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan", help="Use this plan's rag_scale for ratings (default: Blue/Green/Amber/Red)."
        ),
    ] = None,
) -> None:
    """The JSON Schema (draft-07) of an action, plan, snapshot or risk file, for editors."""
    from ..core.model import DEFAULT_SCALE
    from ..core.schema import json_schema

    scale = DEFAULT_SCALE if plan is None else plan_settings(plan)[0].rag_scale
    typer.echo(json.dumps(json_schema(kind.value, scale), indent=2, ensure_ascii=False))
