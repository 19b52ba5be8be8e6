"""An overdue action whose explanation is in force: reported so the board sees it, never fails.

Passes silently only when the action is not overdue.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding, open_statuses

ID = "overdue-explained"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for status in open_statuses(ctx):
        due, why = status.action.deadline.due, status.explanation
        if status.is_explained and due is not None and why is not None:
            until = (
                f", revised deadline {show(why.revised_deadline.value)}"
                if why.revised_deadline
                else ""
            )
            yield finding(
                ID,
                RULE.severity,
                status.action,
                "deadline",
                f"{status.ref} is overdue since {show(due)}; explained on {show(why.on)}{until}",
                where=why.where,
            )


RULE = Rule(ID, Severity.INFO, "overdue, explanation in force (reported, never fails)", check)
