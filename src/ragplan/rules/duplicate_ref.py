"""Two files claim the same ref: arrows, history and links would mix the two actions.

Refs compare exactly as written ("1a" and "1A" are different refs, as in a tracker).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Action, Finding, Plan, Severity
from .base import Context, Rule, finding

ID = "duplicate-ref"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    first: dict[str, Action] = {}
    for action in sorted(plan.actions, key=lambda a: str(a.path)):
        other = first.setdefault(action.ref, action)
        if other is not action:
            yield finding(
                ID,
                RULE.severity,
                action,
                "ref",
                f"ref {action.ref} is also used by {other.path.name}",
                "give each action its own ref",
            )


RULE = Rule(ID, Severity.ERROR, "two files claim the same ref", check)
