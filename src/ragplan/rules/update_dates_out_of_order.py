"""An update listed after a later-dated one: updates are kept oldest first."""

from __future__ import annotations

from collections.abc import Iterator

from ..dates import show
from ..model import Finding, Plan, Severity
from .base import Context, Rule, finding

ID = "update-dates-out-of-order"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for action in plan.actions:
        latest = None
        for update in action.updates:
            if latest is not None and update.on < latest:
                yield finding(
                    ID,
                    RULE.severity,
                    action,
                    None,
                    f"{action.ref}: the update of {show(update.on)} comes after one "
                    f"of {show(latest)}",
                    "list updates oldest first",
                    where=update.where,
                )
            latest = update.on if latest is None else max(latest, update.on)


RULE = Rule(ID, Severity.WARNING, "updates not in date order", check)
