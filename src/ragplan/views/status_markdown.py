"""`status --format markdown`: the dashboard as Markdown, fit for a wiki or a PR comment."""

from __future__ import annotations

from ..core.dates import show
from ..core.status import PlanStatus, State
from .words import (
    arrow_text,
    baseline_text,
    change_summary,
    deadline_text,
    groups,
    one_line,
    reasons,
)


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, no pipes, no raw HTML."""
    return (
        one_line(text)
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def render_status_markdown(statuses: list[PlanStatus], group_by: str) -> str:
    return "\n".join(_plan(status, group_by) for status in statuses)


def _plan(status: PlanStatus, group_by: str) -> str:
    plan = status.plan
    lines = [f"# {cell(plan.title)}", ""]
    who = f"{cell(plan.organisation)} · " if plan.organisation else ""
    lines += [f"{who}Status on {show(status.today)}; {baseline_text(status)}.", ""]
    lines += ["| Rating | Actions | Meaning |", "| --- | ---: | --- |"]
    counts = status.counts
    for level in plan.rag_scale:
        lines.append(f"| {cell(level.label)} | {counts[level.key]} | {cell(level.meaning)} |")
    withdrawn = sum(1 for s in status.actions if s.state is State.WITHDRAWN)
    lines += [
        "",
        f"**Overdue:** {len(status.refs('is_overdue'))} "
        f"({len(status.overdue_unexplained)} with no explanation, "
        f"{len(status.overdue_explained)} explained) · "
        f"**Stale:** {len(status.refs('is_stale'))} · "
        f"**Due soon:** {len(status.refs('is_due_soon'))} · **Withdrawn:** {withdrawn}",
        "",
    ]
    if status.baseline is not None:
        lines += [f"**Since {cell(status.baseline.name)}:** {change_summary(status)}", ""]
    attention = list(groups(status, group_by))
    if not attention:
        lines += ["No action needs attention.", ""]
    for name, members in attention:
        lines += [
            f"## Needs attention: {cell(name)}",
            "",
            "| Ref | Action | Rating | Change | Lead | Deadline | Why |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for s in members:
            a = s.action
            lines.append(
                f"| {cell(a.ref)} | {cell(one_line(a.title, 80))} | "
                f"{cell(plan.level(a.rag).label)} | {arrow_text(s)} | "
                f"{cell(', '.join(a.leads))} | {cell(deadline_text(s))} | "
                f"{cell('; '.join(reasons(s, status.today)))} |"
            )
        lines.append("")
    return "\n".join(lines)
