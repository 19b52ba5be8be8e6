"""Rated with the best open rating, yet a counted measure is off track or missed.

Why: the numbers contradict the rating; a board reading "Green" would be misled.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.measures import BAD
from ..core.model import Finding, Plan, Severity
from ..core.status import State
from .base import Context, Rule, finding

ID = "green-while-off-track"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    best_open = next((level for level in plan.rag_scale if not level.is_complete), None)
    if best_open is None:
        return
    if not ctx.status.measures:
        return
    open_refs = {s.ref for s in ctx.status.actions if s.state is State.OPEN}
    for status in ctx.status.measures:
        action = status.action
        if action.ref in open_refs and action.rag == best_open.key and status.state in BAD:
            yield finding(
                ID,
                RULE.severity,
                action,
                "rag",
                f"{action.ref} is rated {best_open.label} but its measure "
                f"'{status.measure.name}' is {status.state.value}",
                "review the rating against the numbers, or explain them in an update",
            )


RULE = Rule(
    ID, Severity.WARNING, "rated with the best open rating while a measure is off track", check
)
