"""With --since: the deadline moved later than in the base with no new explanation.

Why: quietly editing `deadline:` hides slippage. The honest way is an update with
an explanation and a revised_deadline, which trackers show beside the original.
Fails: base `deadline: 2015-02`, head `deadline: 2015-04`, no new explanation.
Also fails: a new update whose revised_deadline moves later with a blank explanation.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..core.dates import show
from ..core.model import Action, Finding, Plan, Severity
from ..core.status import counts_as_explanation
from .base import Context, Rule, finding

ID = "deadline-moved-unexplained"


def effective_due(action: Action) -> date | None:
    """The latest revised deadline, else the deadline; None for ongoing (no end)."""
    revised = [u.revised_deadline.value for u in action.updates if u.revised_deadline]
    return revised[-1] if revised else action.deadline.due


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    if ctx.base is None:
        return
    before_by_ref = {a.ref: a for a in ctx.base.actions}
    for action in plan.actions:
        before = before_by_ref.get(action.ref)
        if before is None or action.withdrawn is not None:
            continue
        was, now = effective_due(before), effective_due(action)
        if was is None or (now is not None and now <= was):
            continue
        old = {(u.on, u.explanation) for u in before.updates}
        if any(
            u.on <= ctx.today
            and counts_as_explanation(u.explanation)
            and (u.on, u.explanation) not in old
            for u in action.updates
        ):
            continue
        moved_to = "ongoing" if now is None else show(now)
        yield finding(
            ID,
            RULE.severity,
            action,
            "deadline",
            f"{action.ref}'s deadline moved from {show(was)} to {moved_to} with no new explanation",
            "keep the original deadline and add an update with an explanation and "
            "a revised_deadline",
        )


RULE = Rule(
    ID,
    Severity.ERROR,
    "(with --since) the deadline moved later than in the base with no new explanation",
    check,
    needs_base=True,
)
