"""A measure's reading listed after a later-dated one: readings are kept oldest first."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding, out_of_order

ID = "measure-readings-out-of-order"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for action in plan.actions:
        for measure in action.counted:
            for reading, latest in out_of_order(measure.readings, lambda r: r.on):
                yield finding(
                    ID,
                    RULE.severity,
                    action,
                    None,
                    f"{action.ref}'s measure '{measure.name}': the reading of "
                    f"{show(reading.on)} comes after one of {show(latest)}",
                    "list readings oldest first",
                    where=reading.where,
                )


RULE = Rule(ID, Severity.WARNING, "a measure's readings not in date order", check)
