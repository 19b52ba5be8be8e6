"""An open action with no update for longer than `stale_after_days`.

Counts from the latest update's date; with none, the action's start, else the plan's.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding, open_statuses

ID = "stale"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    limit = plan.settings.stale_after_days
    for status in open_statuses(ctx):
        if not status.is_stale:
            continue
        key = "updates" if status.action.updates else "ref"
        if status.last_activity is None:
            message = f"{status.ref} has never been updated and has no start date"
        else:
            days = (ctx.today - status.last_activity).days
            since = "last update" if status.action.updates else "no update since the start,"
            message = (
                f"{status.ref} has had no update for {days} days ({since} "
                f"{show(status.last_activity)}; the limit is {limit})"
            )
        yield finding(
            ID, RULE.severity, status.action, key, message, "add an update saying where it stands"
        )


RULE = Rule(ID, Severity.WARNING, "no update for longer than stale_after_days", check)
