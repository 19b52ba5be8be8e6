"""Past a risk's target date with its score still above the target's."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, risk_finding

ID = "risk-target-missed"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for status in ctx.status.risks:
        if status.target_missed:
            risk = status.risk
            assert risk.target is not None
            likelihood, impact, by = risk.target
            yield risk_finding(
                ID,
                RULE.severity,
                risk,
                "target",
                f"risk {risk.id} was to reach {likelihood} x {impact} = {likelihood * impact} "
                f"by {show(by)}; it is {risk.likelihood} x {risk.impact} = {risk.score}",
                "review the risk: record what is being done, or set a new target",
            )


RULE = Rule(ID, Severity.WARNING, "a risk past its target date above its target score", check)
