"""An action's theme is not in plan.yaml's `themes` list (only when the list is given)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, close_matches, finding

ID = "unknown-theme"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    if not plan.themes:
        return
    for action in plan.actions:
        if action.theme is not None and action.theme not in plan.themes:
            close = close_matches(action.theme, plan.themes, 0.5)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "use one of the themes in plan.yaml, or add it there"
            )
            yield finding(
                ID,
                RULE.severity,
                action,
                "theme",
                f"theme '{action.theme}' is not one of the plan's themes",
                hint,
            )


RULE = Rule(ID, Severity.ERROR, "theme not in the plan's themes list", check)
