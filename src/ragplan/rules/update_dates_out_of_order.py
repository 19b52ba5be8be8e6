"""An update listed after a later-dated one: updates are kept oldest first."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding, out_of_order

ID = "update-dates-out-of-order"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for action in plan.actions:
        days = [update.on for update in action.updates]
        if days == sorted(days):  # the usual case, at a tenth of the cost
            continue
        for update, latest in out_of_order(action.updates, lambda u: u.on):
            yield finding(
                ID,
                RULE.severity,
                action,
                None,
                f"{action.ref}: the update of {show(update.on)} comes after one of {show(latest)}",
                "list updates oldest first",
                where=update.where,
            )


RULE = Rule(ID, Severity.WARNING, "updates not in date order", check)
