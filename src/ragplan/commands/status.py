"""`ragplan status`: the dashboard, as a terminal table, JSON or Markdown."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InputError
from ..read.memo import Outcome
from .common import invalid, load_plans

if TYPE_CHECKING:
    from ..read.cache import CacheDir


def status_outcome(
    root: Path,
    output_format: str,
    group_by: str,
    day: date,
    lead: str | None,
    theme: str | None,
    rag: str | None,
    since: str | None,
    folders: list[Path],
    cache: CacheDir | None,
) -> tuple[Outcome, Iterable[Path]]:
    """The dashboard as a terminal table, JSON or Markdown."""
    from ..core.status import select
    from .common import assess_all

    loaded = load_plans(root, folders, keep_parsed=since is not None)
    if loaded.has_errors:
        return invalid(loaded), ()
    if rag is not None and not any(
        rag.lower() in {level.key for level in p.rag_scale} for p in loaded.plans
    ):
        keys = sorted({level.key for p in loaded.plans for level in p.rag_scale})
        raise InputError(
            f"--rag {rag!r} is not a rating of this plan", "use one of " + ", ".join(keys)
        )
    assessed = [status for status, _ in assess_all(loaded, day, since)]
    statuses = [select(s, lead, theme, rag) for s in assessed]
    if output_format == "json":
        import json

        from ..views.status_data import status_document

        document = status_document(statuses, day)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    elif output_format == "markdown":
        from ..views.status_markdown import render_status_markdown

        text = render_status_markdown(statuses, group_by)
    else:
        from ..views.terminal import render_status

        text = render_status(statuses, group_by)
    return Outcome(text, "", 0), ()
