"""`ragplan rules`: the rule registry, and the severity each rule has for a plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..commands.common import plan_settings
from ..core.errors import InputError
from .app import app


@app.command("rules")
def rules_command(
    plan: Annotated[
        Path | None,
        typer.Argument(
            help="Show the severities this plan sets (default: ./plans when it exists)."
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """The rule registry: id, default severity, severity in force, description."""
    from ..rules import REGISTRY, severity_in_force

    if output_format not in ("text", "json"):
        raise InputError(f"--format {output_format!r}: use text or json")
    folder = plan if plan is not None else (Path("plans") if Path("plans").exists() else None)
    configured = [] if folder is None else plan_settings(folder)
    rows = []
    for rule in REGISTRY.values():
        in_force = {severity_in_force(rule, p) for p in configured} or {rule.severity}
        word = (
            (
                "off" if None in in_force else next(iter(in_force)).value  # type: ignore[union-attr]
            )
            if len(in_force) == 1
            else "varies"
        )
        rows.append((rule.id, rule.severity.value, word, rule.summary))
    if output_format == "json":
        typer.echo(
            json.dumps(
                {
                    "rules": [
                        {"id": r[0], "default": r[1], "in_force": r[2], "description": r[3]}
                        for r in rows
                    ]
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    width = max(len(r[0]) for r in rows)
    typer.echo(f"{'id':<{width}}  default  in force  description")
    for rule_id, default, word, summary in rows:
        typer.echo(f"{rule_id:<{width}}  {default:<7}  {word:<8}  {summary}")
