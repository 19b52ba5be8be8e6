"""A counted measure that is off track (no better than its baseline) or missed its target."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.measures import MeasureState, show_value
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding

ID = "measure-off-track"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for status in ctx.status.measures:
        m = status.measure
        target = f"{show_value(m.target.value, m.unit)} by {show(m.target.on)}"
        if status.state is MeasureState.OFF_TRACK:
            assert status.latest is not None
            message = (
                f"{status.action.ref}'s measure '{m.name}' is off track: "
                f"{show_value(status.latest.value, m.unit)} on {show(status.latest.on)}, no "
                f"better than the baseline {show_value(m.baseline.value, m.unit)} "
                f"(target {target})"
            )
        elif status.state is MeasureState.MISSED:
            latest = status.latest
            now = (
                f"; the latest reading is {show_value(latest.value, m.unit)}"
                if latest
                else "; it has no reading"
            )
            message = f"{status.action.ref}'s measure '{m.name}' missed its target of {target}{now}"
        else:
            continue
        yield finding(
            ID,
            RULE.severity,
            status.action,
            None,
            message,
            "say in an update what is being done, and review the rating",
            where=m.where,
        )


RULE = Rule(ID, Severity.WARNING, "a counted measure off track or past its target unmet", check)
