"""The risk register and its 5x5 heat map: terminal, Markdown and JSON (SPEC 8)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .. import colours
from ..dates import show
from ..evaluate import PlanStatus
from ..model import RiskLevel
from ..register import HeatCell, RiskStatus, heat_map
from .status_markdown import cell
from .words import one_line


def level_colours(level: RiskLevel, levels: tuple[RiskLevel, ...]) -> tuple[str, str]:
    """(background, text) for a level: green to red across the matrix, AA contrast."""
    return colours.level_colours(levels.index(level), len(levels))


def _movement(status: RiskStatus) -> str:
    if status.arrow is None:
        return ""
    if status.before is None:
        return "new"
    return f"{status.arrow.value} from {status.before}"


def register_rows(status: PlanStatus) -> list[dict[str, Any]]:
    rows = []
    for r in status.risks:
        risk = r.risk
        responses = []
        by_ref = {a.ref: a for a in status.plan.actions}
        for ref in risk.responses:
            action = by_ref.get(ref)
            label = status.plan.level(action.rag).label if action else "not in the plan"
            responses.append({"ref": ref, "rating": label})
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
                "movement": _movement(r),
                "responses": responses,
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
    return json.dumps({"today": statuses[0].today.isoformat(), "plans": plans}, indent=2,
                      ensure_ascii=False) + "\n"  # fmt: skip


def _cell_words(cell: HeatCell) -> str:
    return f"{cell.count} {cell.level.label}"


def heat_table(status: PlanStatus) -> Table:
    levels = status.plan.risk_levels
    table = Table(title=Text("Heat map of open risks", style="bold"), title_justify="left")
    table.add_column("Likelihood / impact", no_wrap=True)
    for impact in range(1, 6):
        table.add_column(str(impact), justify="center", no_wrap=True)
    for row in heat_map(list(status.risks), levels):
        cells = []
        for c in row:
            background, text = level_colours(c.level, levels)
            style = f"bold #{text} on #{background}" if c.count else "dim"
            cells.append(Text(_cell_words(c), style=style))
        table.add_row(str(row[0].likelihood), *cells)
    return table


def register_table(status: PlanStatus) -> RenderableType:
    levels = status.plan.risk_levels
    table = Table(title=Text("Risk register, highest score first", style="bold"),
                  title_justify="left", expand=True)  # fmt: skip
    for name in ("Id", "Risk", "L x I", "Level", "Change", "Owner", "Last review", "Responses"):
        table.add_column(name, no_wrap=name in ("Id", "L x I", "Level", "Change"))
    for r in status.risks:
        risk = r.risk
        background, text = level_colours(r.level, levels)
        notes = []
        if not r.is_open and risk.closed:
            notes.append(f"closed {show(risk.closed[0])}")
        if r.review_overdue:
            notes.append("review overdue")
        if r.target_missed:
            notes.append("target missed")
        responses = ", ".join(
            f"{ref} ({status.plan.level(a.rag).label})" if (a := _action(status, ref)) else
            f"{ref} (not in the plan)"
            for ref in risk.responses
        ) or "none"  # fmt: skip
        table.add_row(
            Text(one_line(risk.id)),
            Text(one_line(risk.title, 90) + (f" [{'; '.join(notes)}]" if notes else "")),
            f"{risk.likelihood} x {risk.impact} = {risk.score}",
            Text(r.level.label, style=f"bold #{text} on #{background}"),
            _movement(r),
            Text(one_line(", ".join(risk.owners))),
            show(r.last_reviewed),
            Text(one_line(responses)),
        )
    return table


def _action(status: PlanStatus, ref: str):  # type: ignore[no-untyped-def]
    return next((a for a in status.plan.actions if a.ref == ref), None)


def render_terminal(status: PlanStatus) -> RenderableType:
    return Group(heat_table(status), Text(), register_table(status))


def render_markdown(statuses: list[PlanStatus]) -> str:
    lines: list[str] = []
    for status in statuses:
        plan = status.plan
        lines += [f"## Risk register: {cell(plan.title)}", ""]
        lines += [
            "| Likelihood / impact | 1 | 2 | 3 | 4 | 5 |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in heat_map(list(status.risks), plan.risk_levels):
            words = [
                f"**{c.count} {c.level.label}**" if c.count else f"{c.count} {c.level.label}"
                for c in row
            ]
            lines.append(f"| {row[0].likelihood} | " + " | ".join(words) + " |")
        lines += ["", "| Id | Risk | L x I | Level | Change | Owner | Last review | Responses |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for data in register_rows(status):
            notes = []
            if not data["open"]:
                notes.append(f"closed {data['closed']['date']}")
            if data["review_overdue"]:
                notes.append("review overdue")
            if data["target_missed"]:
                notes.append("target missed")
            title = data["title"] + (f" ({'; '.join(notes)})" if notes else "")
            responses = ", ".join(f"{x['ref']} ({x['rating']})" for x in data["responses"])
            lines.append(
                f"| {cell(data['id'])} | {cell(title)} | {data['likelihood']} x {data['impact']}"
                f" = {data['score']} | {cell(data['level_label'])} | {cell(data['movement'])} | "
                f"{cell(', '.join(data['owner']))} | {show_iso(data['last_reviewed'])} | "
                f"{cell(responses or 'none')} |"
            )
        lines.append("")
    return "\n".join(lines)


def show_iso(text: str) -> str:
    from datetime import date

    return show(date.fromisoformat(text))
