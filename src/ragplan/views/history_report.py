"""`ragplan history` as a terminal table, Markdown, or JSON (stable keys)."""

from __future__ import annotations

import json
from typing import Any

from ..core.dates import show
from ..read.timeline import Event, Timeline
from .status_markdown import cell
from .words import clean, one_line


def _source(event: Event) -> str:
    if event.kind == "snapshot":
        return f"board {event.source}" + (f" ({event.label})" if event.label else "")
    return f"commit {event.source} by {event.author}"


def render_table(timeline: Timeline) -> str:
    lines = [f"{one_line(timeline.ref)}  {one_line(timeline.title)}", f"  {timeline.path}", ""]
    if not timeline.events:
        lines.append("  no commit or snapshot mentions this action yet")
    for event in timeline.events:
        lines.append(f"{show(event.on):>11}  {one_line(_source(event))}")
        lines += [f"{'':>11}    {one_line(change)}" for change in event.changes]
    if timeline.stopped:
        lines += ["", f"Note: {clean(timeline.stopped)}"]
    return "\n".join(lines) + "\n"


def render_markdown(timeline: Timeline) -> str:
    lines = [f"## History of {cell(timeline.ref)}: {cell(timeline.title)}", ""]
    lines += ["| Date | Source | Rating | What changed |", "| --- | --- | --- | --- |"]
    for event in timeline.events:
        changes = "; ".join(event.changes)
        lines.append(
            f"| {show(event.on)} | {cell(_source(event))} | {cell(event.rating or '')} "
            f"| {cell(changes)} |"
        )
    if timeline.stopped:
        lines += ["", cell(timeline.stopped)]
    return "\n".join(lines) + "\n"


def document(timeline: Timeline) -> dict[str, Any]:
    return {
        "ref": timeline.ref,
        "title": timeline.title,
        "path": str(timeline.path),
        "stopped": timeline.stopped,
        "events": [
            {
                "date": e.on.isoformat(),
                "kind": e.kind,
                "commit": e.source if e.kind == "commit" else None,
                "author": e.author,
                "snapshot": e.source if e.kind == "snapshot" else None,
                "label": e.label,
                "rating": e.rating,
                "changes": list(e.changes),
            }
            for e in timeline.events
        ],
    }


def render_json(timeline: Timeline) -> str:
    return json.dumps(document(timeline), indent=2, ensure_ascii=False) + "\n"
