"""A complete rating with no `completed` date: trackers show when it was achieved."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Finding, Plan, Severity
from ..core.status import State
from .base import Context, Rule, finding

ID = "complete-without-date"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for status in ctx.status.actions:
        if status.state is State.DONE and status.action.completed is None:
            label = plan.level(status.action.rag).label
            yield finding(
                ID,
                RULE.severity,
                status.action,
                "rag",
                f"{status.ref} is rated {label} (complete) with no completed date",
                "add `completed: YYYY-MM-DD`",
            )


RULE = Rule(ID, Severity.INFO, "a complete rating with no completed date", check)
