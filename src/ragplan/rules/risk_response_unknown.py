"""A risk's response names a ref that is no action of the plan."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, close_matches, risk_finding

ID = "risk-response-unknown"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    refs = [a.ref for a in plan.actions]
    for status in ctx.status.risks:
        if not status.is_open:
            continue
        for ref in status.risk.responses:
            if ref not in refs:
                close = close_matches(ref, refs, 0.6)
                yield risk_finding(
                    ID,
                    RULE.severity,
                    status.risk,
                    "responses",
                    f"risk {status.risk.id} names response {ref}, which is no action of the plan",
                    f"did you mean {close[0]}?" if close else "use the ref of an action",
                )


RULE = Rule(ID, Severity.ERROR, "a risk response that is no action of the plan", check)
