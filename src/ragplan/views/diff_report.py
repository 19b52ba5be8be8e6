"""`ragplan diff` as Markdown for a pull-request comment, and as JSON (stable keys)."""

from __future__ import annotations

import json
from typing import Any

from ..core.dates import show
from ..core.diff import KINDS, Item, PlanDiff, Side
from .status_markdown import cell

# The table of each kind: (column heading, the Item value it shows).
_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "rating_changes": (("", "arrow"), ("Was", "from"), ("Now", "to")),
    "deadlines_moved": (
        ("Was", "from"),
        ("Now", "to"),
        ("Moved", "direction"),
        ("Times moved", "moves"),
        ("Explanation", "explanation"),
    ),
    "revised_deadlines": (
        ("Was", "from"),
        ("Revised to", "to"),
        ("Revisions", "revisions"),
        ("Explanation", "explanation"),
    ),
    "explanations": (("Date", "date"), ("Explanation", "explanation")),
    "updates": (("Date", "date"), ("Note", "note")),
    "evidence": (("Evidence", "description"), ("Link", "link")),
    "added": (("Rating", "rating"), ("Deadline", "deadline")),
    "completed": (("Rating", "rating"), ("Completed", "completed")),
    "withdrawn": (("Date", "date"), ("Reason", "reason")),
    "removed": (),
    "newly_overdue": (("Due", "due"), ("Explained", "explained")),
    "no_longer_overdue": (("Why", "why"),),
    "risks": (("Change", "change"), ("Was", "from"), ("Now", "to")),
    "measure_states": (("Measure", "measure"), ("Was", "from"), ("Now", "to")),
    "readings": (("Measure", "measure"), ("Date", "date"), ("Value", "value")),
}
# What the first two columns name: an action, but a risk in the risk register's table
_SUBJECT = {"risks": ("Risk", "What could happen")}
_EMPTY = {"explanation": "no explanation"}


def side_text(side: Side) -> str:
    label = f", {side.label}" if side.label else ""
    return f"{side.name}{label} ({show(side.on)})"


def render_markdown(diffs: list[PlanDiff]) -> str:
    lines: list[str] = []
    for diff in diffs:
        if lines:
            lines.append("")
        lines += [f"## Changes to {cell(diff.title)}", ""]
        lines += [f"From {cell(side_text(diff.base))} to {cell(side_text(diff.head))}.", ""]
        if diff.is_new:
            lines += ["The plan is new: it did not exist at the base.", ""]
        lines += [f"Note: {cell(note)}." for note in diff.notes]
        if diff.notes:
            lines.append("")
        if not diff.items:
            lines.append("No change to any action.")
            continue
        headline = diff.headline
        lines += [f"**{cell(headline[:1].upper() + headline[1:])}**", ""]
        for kind, heading in KINDS:
            items = diff.of(kind)
            if items:
                lines += _table(kind, heading, items)
    return "\n".join(lines) + "\n"


def _table(kind: str, heading: str, items: list[Item]) -> list[str]:
    columns = _COLUMNS[kind]
    head = [*_SUBJECT.get(kind, ("Ref", "Action")), *(title for title, _ in columns)]
    lines = [f"### {heading} ({len(items)})", ""]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + " --- |" * len(head))
    for item in items:
        values = [item.get(key) or _EMPTY.get(key, "") for _, key in columns]
        row = [cell(item.ref), cell(item.title), *(cell(v) for v in values)]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    return lines


def document(diffs: list[PlanDiff]) -> dict[str, Any]:
    """The same content with stable keys (README: `diff --format json`)."""
    first = diffs[0]
    return {
        "base": _side(first.base),
        "head": _side(first.head),
        "plans": [
            {
                "title": d.title,
                "path": d.path,
                "is_new": d.is_new,
                "headline": d.headline,
                "notes": list(d.notes),
                "counts": {kind: len(d.of(kind)) for kind, _ in KINDS},
                **{
                    kind: [{"ref": i.ref, "title": i.title, **dict(i.values)} for i in d.of(kind)]
                    for kind, _ in KINDS
                },
            }
            for d in diffs
        ],
    }


def _side(side: Side) -> dict[str, Any]:
    return {"name": side.name, "label": side.label, "date": side.on.isoformat()}


def render_json(diffs: list[PlanDiff]) -> str:
    return json.dumps(document(diffs), indent=2, ensure_ascii=False) + "\n"
