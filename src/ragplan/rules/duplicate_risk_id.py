"""Two risk files claim the same id."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, repeats, risk_finding

ID = "duplicate-risk-id"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for risk, other in repeats(sorted(plan.risks, key=lambda r: str(r.path)), lambda r: r.id):
        yield risk_finding(
            ID,
            RULE.severity,
            risk,
            "id",
            f"risk id {risk.id} is also used by {other.path.name}",
            "give each risk its own id",
        )


RULE = Rule(ID, Severity.ERROR, "two risk files claim the same id", check)
