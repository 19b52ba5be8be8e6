"""With --since: an update the base already had was changed or removed.

Why: updates are the audit trail. What a lead told the December board must read the
same in March; a correction is a new update, never an edit of the old one. An action
file deleted with its updates loses them too (to end an action, mark it `withdrawn:`).
Fails: base `- date: 2014-12-05 / note: Group set up`, head `note: Group set up early`.

How updates are matched: by what they say (date, note, explanation, revised deadline),
wherever they stand in the list. So a list reordered by date is no rewrite, and a typo
fixed is one (the fix belongs in a new update); an action is matched by its ref, so a
renamed file is followed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Location, Plan, Severity
from .base import Context, Rule, finding

ID = "update-rewritten"
_HINT = "put it back as it was; to correct it, add a new update"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    if ctx.base is None:
        return
    now = {a.ref: a for a in plan.actions}
    for before in ctx.base.actions:
        if not before.updates:
            continue
        after = now.get(before.ref)
        if after is None:
            count = len(before.updates)
            yield Finding(
                ID,
                RULE.severity,
                f"{before.ref} ({before.path.name}) is gone, and its {count} "
                f"update{'s' if count != 1 else ''} with it: the audit trail only grows",
                Location(before.path, 1, 1),
                "restore the file; to end an action, mark it `withdrawn:` with a date and a reason",
                ref=before.ref,
                has_line=False,
            )
            continue
        kept = Counter(u.content for u in after.updates)
        for update in before.updates:
            if kept[update.content] > 0:
                kept[update.content] -= 1
                continue
            yield finding(
                ID,
                RULE.severity,
                after,
                "updates",
                f"{after.ref}'s update of {show(update.on)} was changed or removed since "
                "the base: updates are the audit trail and only grow",
                _HINT,
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "(with --since) an update the base already had was changed or removed",
    check,
    needs_base=True,
)
