"""`ragplan risks`: the risk register and its 5x5 heat map (SPEC 8)."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..commands.common import assess_all, load_plans, require_valid
from .app import NoCacheOpt, PlanArg, SinceOpt, TodayOpt, app, resolve_today


class RiskFormat(enum.StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
def risks(
    plan: PlanArg = Path("plans"),
    output_format: Annotated[
        RiskFormat, typer.Option("--format", help="table, json or markdown.")
    ] = RiskFormat.table,
    since: SinceOpt = None,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """The risk register, highest score first: level, owner, last review, movement since
    the baseline, response actions and their ratings; with the 5x5 heat map of open
    risks (likelihood 5 at the top, impact 1 to 5 across)."""
    from ..views import risk_report

    day = resolve_today(today)
    loaded = load_plans(plan, keep_parsed=since is not None)
    require_valid(loaded)
    statuses = [s for s, _ in assess_all(loaded, day, since) if s.plan.risks]
    if not statuses:
        typer.echo(f"No plan under {plan} has a risk register (a risks/ folder of risk files).")
        return
    if output_format is RiskFormat.json:
        sys.stdout.write(risk_report.render_json(statuses))
    elif output_format is RiskFormat.markdown:
        sys.stdout.write(risk_report.render_markdown(statuses))
    else:
        from rich.text import Text

        from ..views.terminal import terminal_console

        console = terminal_console()
        for status in statuses:
            console.print(Text(status.plan.title, style="bold"))
            console.print(risk_report.render_terminal(status))
