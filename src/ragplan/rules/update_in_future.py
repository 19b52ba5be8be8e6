"""An update dated after today: progress cannot be reported before it happens."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding

ID = "update-in-future"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for action in plan.actions:
        for update in action.updates:
            if update.on > ctx.today:
                yield finding(
                    ID,
                    RULE.severity,
                    action,
                    None,
                    f"{action.ref}: an update is dated {show(update.on)}, after today "
                    f"({show(ctx.today)})",
                    "check the date",
                    where=update.where,
                )


RULE = Rule(ID, Severity.WARNING, "an update dated after today", check)
