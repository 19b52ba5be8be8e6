"""A complete rating with no evidence: Blue means "achieved *and evidenced*".

Fails: `rag: blue` and no `evidence:`. Passes: at least one evidence entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Finding, Plan, Severity
from ..core.status import State
from .base import Context, Rule, finding

ID = "complete-without-evidence"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for status in ctx.status.actions:
        action = status.action
        if status.state is State.DONE and not action.evidence:
            label = plan.level(action.rag).label
            yield finding(
                ID,
                RULE.severity,
                action,
                "rag",
                f"{action.ref} is rated {label} (complete) but lists no evidence",
                "add evidence: what shows the improvement was achieved",
            )


RULE = Rule(ID, Severity.ERROR, "a complete rating with no evidence", check)
