"""A lead or strategic lead is not in plan.yaml's `people` list (only when the list is given)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, close_matches, finding, risk_finding

ID = "unknown-lead"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    if not plan.people:
        return
    for action in plan.actions:
        named = [("lead", name) for name in action.leads]
        if action.strategic_lead is not None:
            named.append(("strategic_lead", action.strategic_lead))
        for key, name in named:
            if name not in plan.people:
                close = close_matches(name, plan.people, 0.6)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "use a name from the people list in plan.yaml, or add it there"
                )
                yield finding(
                    ID, RULE.severity, action, key, f"{name} is not in the plan's people list", hint
                )
    for risk in plan.risks:
        for name in risk.owners:
            if name not in plan.people:
                close = close_matches(name, plan.people, 0.6)
                yield risk_finding(
                    ID,
                    RULE.severity,
                    risk,
                    "owner",
                    f"risk {risk.id}'s owner {name} is not in the plan's people list",
                    f"did you mean '{close[0]}'?"
                    if close
                    else "use a name from the people list in plan.yaml, or add it there",
                )


RULE = Rule(ID, Severity.ERROR, "lead not in the plan's people list", check)
