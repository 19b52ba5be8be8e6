"""The risk register and its 5x5 heat map: terminal, Markdown and JSON (SPEC 8).

The terminal and Markdown show the tracker's prepared rows (tracker.risk_row,
tracker.heat_rows), so every view says the same thing in the same words.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..core.risks import movement_words, response_ratings
from ..core.status import PlanStatus
from .status_markdown import cell
from .tracker import heat_rows, risk_row
from .words import one_line

HEADINGS = ("Id", "Risk", "L x I", "Level", "Change", "Owner", "Last review", "Responses")


def register_rows(status: PlanStatus) -> list[dict[str, Any]]:
    """The register with stable keys (README: `risks --format json`)."""
    rows = []
    for r in status.risks:
        risk = r.risk
        rows.append(
            {
                "id": risk.id,
                "title": risk.title,
                "category": risk.category,
                "owner": list(risk.owners),
                "likelihood": risk.likelihood,
                "impact": risk.impact,
                "score": risk.score,
                "level": r.level.key,
                "level_label": r.level.label,
                "open": r.is_open,
                "last_reviewed": r.last_reviewed.isoformat(),
                "review_overdue": r.review_overdue,
                "target_missed": r.target_missed,
                "movement": movement_words(r),
                "responses": [
                    {"ref": ref, "rating": label}
                    for ref, label in response_ratings(risk, status.plan)
                ],
                "closed": None
                if risk.closed is None
                else {"date": risk.closed[0].isoformat(), "reason": risk.closed[1]},
            }
        )
    return rows


def render_json(statuses: list[PlanStatus]) -> str:
    from .status_data import risks_data

    plans = [
        {
            "title": s.plan.title,
            "path": str(s.plan.path),
            "summary": risks_data(s),
            "register": register_rows(s),
        }
        for s in statuses
    ]
    document = {"today": statuses[0].today.isoformat(), "plans": plans}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def heat_table(status: PlanStatus) -> Table:
    table = Table(title=Text("Heat map of open risks", style="bold"), title_justify="left")
    table.add_column("Likelihood / impact", no_wrap=True)
    for impact in range(1, 6):
        table.add_column(str(impact), justify="center", no_wrap=True)
    for row in heat_rows(status):
        table.add_row(
            str(row.likelihood),
            *(
                Text(c.words, style=f"bold #{c.text} on #{c.background}" if c.count else "dim")
                for c in row.cells
            ),
        )
    return table


def register_table(status: PlanStatus) -> Table:
    table = Table(
        title=Text("Risk register, highest score first", style="bold"),
        title_justify="left",
        expand=True,
    )
    for name in HEADINGS:
        table.add_column(name, no_wrap=name in ("Id", "L x I", "Level", "Change"))
    for r in status.risks:
        row = risk_row(r, status.plan)
        notes = f" [{'; '.join(row.notes)}]" if row.notes else ""
        table.add_row(
            Text(one_line(row.id)),
            Text(one_line(row.title, 90) + notes),
            row.score,
            Text(row.level, style=f"bold #{row.text} on #{row.background}"),
            row.movement,
            Text(one_line(row.owner)),
            row.last_review,
            Text(one_line(row.responses)),
        )
    return table


def render_terminal(status: PlanStatus) -> RenderableType:
    return Group(heat_table(status), Text(), register_table(status))


def render_markdown(statuses: list[PlanStatus]) -> str:
    lines: list[str] = []
    for status in statuses:
        lines += [f"## Risk register: {cell(status.plan.title)}", ""]
        lines += [
            "| Likelihood / impact | 1 | 2 | 3 | 4 | 5 |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for heat in heat_rows(status):
            words = [f"**{c.words}**" if c.count else c.words for c in heat.cells]
            lines.append(f"| {heat.likelihood} | " + " | ".join(words) + " |")
        lines += ["", "| " + " | ".join(HEADINGS) + " |", "|" + " --- |" * len(HEADINGS)]
        for r in status.risks:
            row = risk_row(r, status.plan)
            title = row.title + (f" ({'; '.join(row.notes)})" if row.notes else "")
            cells = (row.id, title, row.score, row.level, row.movement, row.owner,
                     row.last_review, row.responses)  # fmt: skip
            lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
