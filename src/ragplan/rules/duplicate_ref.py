"""Two files claim the same ref: arrows, history and links would mix the two actions.

Refs compare exactly as written ("1a" and "1A" are different refs, as in a tracker).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding, repeats

ID = "duplicate-ref"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    uses = Counter(a.ref for a in plan.actions)
    repeated = [a for a in plan.actions if uses[a.ref] > 1]  # few: only they are sorted
    for action, other in repeats(sorted(repeated, key=lambda a: str(a.path)), lambda a: a.ref):
        yield finding(
            ID,
            RULE.severity,
            action,
            "ref",
            f"ref {action.ref} is also used by {other.path.name}",
            "give each action its own ref",
        )


RULE = Rule(ID, Severity.ERROR, "two files claim the same ref", check)
