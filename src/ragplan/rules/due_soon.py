"""An open action whose deadline falls within `due_soon_days` (today included)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding, open_statuses

ID = "due-soon"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for status in open_statuses(ctx):
        due = status.action.deadline.due
        if status.is_due_soon and due is not None:
            days = (due - ctx.today).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            yield finding(
                ID,
                RULE.severity,
                status.action,
                "deadline",
                f"{status.ref} is due {when} ({show(due)})",
            )


RULE = Rule(ID, Severity.INFO, "deadline within due_soon_days", check)
