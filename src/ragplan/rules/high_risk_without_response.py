"""An open risk at the matrix's highest level with no open action treating it."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Finding, Plan, Severity
from ..core.risks import open_response
from .base import Context, Rule, risk_finding

ID = "high-risk-without-response"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    top = plan.risk_levels[-1]
    for status in ctx.status.risks:
        if status.is_open and status.level == top and not open_response(status.risk, plan):
            named = ", ".join(status.risk.responses)
            why = f"none of its responses ({named}) is open" if named else "it has no response"
            yield risk_finding(
                ID,
                RULE.severity,
                status.risk,
                "responses" if named else None,
                f"risk {status.risk.id} is {top.label} (score {status.risk.score}) and {why}",
                "list the refs of open actions that treat it under `responses`, or add one",
            )


RULE = Rule(ID, Severity.ERROR, "a high risk with no open response action", check)
