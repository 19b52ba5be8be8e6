"""Two counted measures share an id: ids name one measure in the plan (SPEC 9)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Action, Finding, Measure, Plan, Severity
from .base import Context, Rule, finding

ID = "duplicate-measure-id"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    first: dict[str, tuple[Action, Measure]] = {}
    counting = [a for a in plan.actions if a.counted]  # few: only they are sorted
    for action in sorted(counting, key=lambda a: str(a.path)):
        for measure in action.counted:
            if measure.id is None:
                continue
            other = first.setdefault(measure.id, (action, measure))
            if other[1] is not measure:
                yield finding(
                    ID,
                    RULE.severity,
                    action,
                    None,
                    f"measure id {measure.id} is also used by {other[0].ref}'s '{other[1].name}'",
                    "give each counted measure its own id",
                    where=measure.where,
                )


RULE = Rule(ID, Severity.ERROR, "two counted measures share an id", check)
