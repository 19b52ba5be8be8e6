"""An open action past its deadline with no explanation in force.

Why: the board's first question. Overdue is allowed; silence is not.
Fails (today 2015-03-02): `deadline: 2015-02` and no update with an explanation.
Passes: an update `explanation: Review slipped at DfE's request` dated within
`explanation_valid_days`, or with a `revised_deadline` not yet passed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding, open_statuses

ID = "overdue-unexplained"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for status in open_statuses(ctx):
        due = status.action.deadline.due
        if status.is_overdue and not status.is_explained and due is not None:
            days = (ctx.today - due).days
            yield finding(
                ID,
                RULE.severity,
                status.action,
                "deadline",
                f"{status.ref} is overdue since {show(due)} ({days} day"
                f"{'s' if days != 1 else ''}) with no explanation in force",
                "add an update with an explanation, or a revised_deadline",
            )


RULE = Rule(ID, Severity.ERROR, "overdue with no explanation in force", check)
