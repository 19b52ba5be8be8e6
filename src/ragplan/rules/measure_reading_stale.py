"""An open action's counted measure with no reading for longer than `measure_reading_days`."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.measures import is_stale
from ..core.model import Finding, Plan, Severity
from ..core.status import State
from .base import Context, Rule, finding

ID = "measure-reading-stale"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    limit = plan.settings.measure_reading_days
    if not ctx.status.measures:
        return
    open_refs = {s.ref for s in ctx.status.actions if s.state is State.OPEN}
    for status in ctx.status.measures:
        if status.action.ref not in open_refs:
            continue
        days = (ctx.today - status.last_reading).days
        if is_stale(status, ctx.today, limit):
            when = show(status.last_reading)
            since = (
                f"last reading on {when}" if status.latest else f"none since the baseline of {when}"
            )
            yield finding(
                ID,
                RULE.severity,
                status.action,
                None,
                f"{status.action.ref}'s measure '{status.measure.name}' has had no reading "
                f"for {days} days ({since})",
                f"add the latest figure under `readings`; readings are expected at least "
                f"every {limit} days (settings.measure_reading_days)",
                where=status.measure.where,
            )


RULE = Rule(ID, Severity.WARNING, "a counted measure with no recent reading", check)
