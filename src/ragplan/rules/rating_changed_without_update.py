"""With --since: an action's rating moved, but no update was added that says why.

Why: a board reads a change of rating as news; the tracker's "latest progress" must
explain it. A Red turned Green with no word is the change a reviewer should ask about.
Fails: base `rag: red`, head `rag: green`, the same updates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding

ID = "rating-changed-without-update"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    if ctx.base is None:
        return
    before_by_ref = {a.ref: a for a in ctx.base.actions}
    for action in plan.actions:
        before = before_by_ref.get(action.ref)
        if before is None or before.rag == action.rag or action.withdrawn is not None:
            continue
        old = Counter(u.content for u in before.updates)
        new = Counter(u.content for u in action.updates if u.on <= ctx.today)
        if new - old:
            continue
        was = plan.level(before.rag).label if _known(plan, before.rag) else before.rag
        now = plan.level(action.rag).label
        yield finding(
            ID,
            RULE.severity,
            action,
            "rag",
            f"{action.ref}'s rating moved from {was} to {now} with no new update saying why",
            "add an update saying what changed",
        )


def _known(plan: Plan, key: str) -> bool:
    return any(level.key == key for level in plan.rag_scale)


RULE = Rule(
    ID,
    Severity.WARNING,
    "(with --since) the rating moved but no update was added that says why",
    check,
    needs_base=True,
)
