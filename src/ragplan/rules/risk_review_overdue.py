"""An open risk not reviewed for longer than `settings.risk_review_days`."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, risk_finding

ID = "risk-review-overdue"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    days = plan.settings.risk_review_days
    for status in ctx.status.risks:
        if status.review_overdue:
            since = (ctx.today - status.last_reviewed).days
            yield risk_finding(
                ID,
                RULE.severity,
                status.risk,
                None,
                f"risk {status.risk.id} was last reviewed on {show(status.last_reviewed)}, "
                f"{since} days ago",
                f"add a review under `reviews`; risks are reviewed at least every {days} days "
                "(settings.risk_review_days)",
            )


RULE = Rule(ID, Severity.WARNING, "an open risk overdue for review", check)
