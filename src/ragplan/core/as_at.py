"""The plan as it stood on a board's day: the one rebuild of "the plan as at" a
snapshot, used by `--since SNAPSHOT`, `diff SNAPSHOT` and the board pack."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .model import Action, Deadline, Plan, Snapshot


def plan_at(plan: Plan, snapshot: Snapshot) -> Plan:
    """The plan as a board saw it: the snapshot's ratings and deadlines on today's
    actions, with only the updates, evidence, readings, completion and withdrawal dated by
    then; its risks with the grades the snapshot records, and their reviews by then."""
    by_ref = {a.ref: a for a in plan.actions}
    deadlines = dict(snapshot.deadlines)
    on = snapshot.on
    actions = []
    for ref, rag in snapshot.ratings:
        now = by_ref.get(ref)
        if now is None:  # gone since: only what the snapshot says is known
            actions.append(
                Action(
                    ref=ref,
                    title="",
                    leads=(),
                    deadline=deadlines.get(ref, Deadline(None, "ongoing")),
                    rag=rag,
                    path=plan.path,
                    positions=(),
                )
            )
            continue
        actions.append(action_at(now, on, rag, deadlines.get(ref, now.deadline)))
    rated = {ref for ref, _ in snapshot.ratings}
    for action in plan.actions:  # withdrawn before the board: a snapshot leaves them out
        if action.ref not in rated and action.withdrawn is not None and action.withdrawn.on <= on:
            actions.append(action_at(action, on, action.rag, action.deadline))
    grades = dict(snapshot.risks)
    risks = tuple(
        replace(
            risk,
            likelihood=grades[risk.id][0] if risk.id in grades else risk.likelihood,
            impact=grades[risk.id][1] if risk.id in grades else risk.impact,
            reviews=tuple(r for r in risk.reviews if r.on <= on),
            closed=risk.closed if risk.closed and risk.closed[0] <= on else None,
        )
        for risk in plan.risks
        if risk.opened <= on
    )
    return replace(plan, actions=tuple(actions), snapshots=(), risks=risks)


def action_at(action: Action, on: date, rag: str, deadline: Deadline) -> Action:
    """The action as it stood on `on`, with that rating and deadline: only the updates,
    evidence, measure readings, completion and withdrawal dated by then."""
    return replace(
        action,
        deadline=deadline,
        rag=rag,
        completed=action.completed if action.completed and action.completed <= on else None,
        evidence=tuple(e for e in action.evidence if e.on is None or e.on <= on),
        updates=tuple(u for u in action.updates if u.on <= on),
        counted=tuple(
            replace(m, readings=tuple(r for r in m.readings if r.on <= on)) for m in action.counted
        ),
        withdrawn=action.withdrawn if action.withdrawn and action.withdrawn.on <= on else None,
    )
