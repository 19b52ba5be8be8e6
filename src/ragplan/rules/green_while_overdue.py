"""Overdue with no explanation in force, yet rated with the best open rating (Green).

Why: the dates contradict the rating; a board reading "Green" would be misled.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding, open_statuses

ID = "green-while-overdue"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    best_open = next((level for level in plan.rag_scale if not level.is_complete), None)
    if best_open is None:
        return
    for status in open_statuses(ctx):
        due = status.action.deadline.due
        if (
            status.is_overdue
            and not status.is_explained
            and due is not None
            and status.action.rag == best_open.key
        ):
            yield finding(
                ID,
                RULE.severity,
                status.action,
                "rag",
                f"{status.ref} is rated {best_open.label} but is overdue since "
                f"{show(due)} with no explanation",
                "review the rating, or explain the delay in an update",
            )


RULE = Rule(
    ID, Severity.WARNING, "overdue and unexplained, yet rated with the best open rating", check
)
