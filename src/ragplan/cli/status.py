"""`ragplan status`: the dashboard, as a terminal table, JSON or Markdown."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError
from ..memo import Outcome
from .app import NoCacheOpt, PlanArg, SinceOpt, TodayOpt, app, resolve_today
from .launch import status_key
from .plans import assess_all, invalid, load_plans, run

if TYPE_CHECKING:
    from ..cache import CacheDir


class GroupBy(enum.StrEnum):
    theme = "theme"
    lead = "lead"


class StatusFormat(enum.StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
def status(
    plan: PlanArg = Path("plans"),
    group_by: Annotated[
        GroupBy,
        typer.Option(
            "--group-by", help="Group the actions that need attention by theme or by lead."
        ),
    ] = GroupBy.theme,
    lead: Annotated[
        str | None,
        typer.Option(help="Only actions led by this person (operational or strategic; any case)."),
    ] = None,
    theme: Annotated[str | None, typer.Option(help="Only actions of this theme.")] = None,
    rag: Annotated[str | None, typer.Option(help="Only actions with this rating.")] = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", help="table (terminal), json or markdown.")
    ] = StatusFormat.table,
    since: SinceOpt = None,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Dashboard: counts by rating, overdue, stale, due soon, rating changes, and the
    actions that need attention."""
    day = resolve_today(today)
    console = None
    if output_format is StatusFormat.table:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=False)

    def compute(folders: list[Path], cache: CacheDir | None) -> tuple[Outcome, Iterable[Path]]:
        from ..evaluate import select

        loaded = load_plans(plan, cache, folders, keep_parsed=since is not None)
        if loaded.has_errors:
            return invalid(loaded), ()
        if rag is not None and not any(
            rag.lower() in {level.key for level in p.rag_scale} for p in loaded.plans
        ):
            keys = sorted({level.key for p in loaded.plans for level in p.rag_scale})
            raise InputError(
                f"--rag {rag!r} is not a rating of this plan", "use one of " + ", ".join(keys)
            )
        statuses = [select(s, lead, theme, rag) for s, _ in assess_all(loaded, day, since, cache)]
        if output_format is StatusFormat.json:
            import json

            from ..reports.status_data import status_document

            document = status_document(statuses, day)
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        elif output_format is StatusFormat.markdown:
            from ..reports.status_markdown import render_status_markdown

            text = render_status_markdown(statuses, group_by.value)
        else:
            from ..reports.terminal import render_status

            assert console is not None
            with console.capture() as captured:
                render_status(console, statuses, group_by.value)
            text = captured.get()
        return Outcome(text, "", 0), ()

    terminal: tuple[str, ...] = ()
    if console is not None:  # how rich lays the table out
        terminal = tuple(
            str(setting)
            for setting in (
                console.width,
                console.color_system,
                console.is_terminal,
                console.no_color,
                console.encoding,
                console.legacy_windows,
            )
        )
    key = status_key(output_format.value, group_by.value, day, lead, theme, rag, terminal)
    run(plan, no_cache, key if since is None else None, compute)
