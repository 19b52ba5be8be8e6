"""With --since: a snapshot the base already had, dated before today, was changed or
removed.

Why: a snapshot records what a board was told on its date; the arrows of every later
report are measured from it. Rewriting it rewrites the past.
Fails: base `snapshots/2014-12.yaml` rates 1a red; head rates it amber.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.dates import show
from ..core.model import Finding, Location, Plan, Severity, Snapshot
from .base import Context, Rule

ID = "snapshot-rewritten"


def _said(snapshot: Snapshot) -> tuple[object, ...]:
    return (snapshot.on, snapshot.label, snapshot.ratings, snapshot.deadlines, snapshot.risks)


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    if ctx.base is None:
        return
    now = {s.name: s for s in plan.snapshots}
    for before in ctx.base.snapshots:
        if before.on >= ctx.today:
            continue  # not yet a board's record
        after = now.get(before.name)
        if after is not None and _said(after) == _said(before):
            continue
        what = "removed" if after is None else "changed"
        yield Finding(
            ID,
            RULE.severity,
            f"snapshot {before.name} ({show(before.on)}) was {what} since the base: it "
            "records what that board was told",
            Location(before.path if after is None else after.path, 1, 1),
            "put it back as it was; record what changed in a new snapshot or an update",
            has_line=False,
        )


RULE = Rule(
    ID,
    Severity.ERROR,
    "(with --since) a snapshot dated before today was changed or removed",
    check,
    needs_base=True,
)
