"""`status --format json`: the documented, stable shape of SPEC 2."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..core.status import PlanStatus, State


def status_document(statuses: list[PlanStatus], today: date) -> dict[str, Any]:
    return {"today": today.isoformat(), "plans": [_plan(s) for s in statuses]}


def risks_data(status: PlanStatus) -> dict[str, Any]:
    """SPEC 8's `risks` key: open risks only (closed ones are in the register, apart)."""
    from ..core.risks import open_response

    plan = status.plan
    live = [r for r in status.risks if r.is_open]
    top = plan.risk_levels[-1]
    return {
        "counts": {
            level.key: sum(1 for r in live if r.level == level) for level in plan.risk_levels
        },
        "open": len(live),
        "review_overdue": [r.risk.id for r in live if r.review_overdue],
        "high_without_response": [
            r.risk.id for r in live if r.level == top and not open_response(r.risk, plan)
        ],
        "changes": [
            {
                "id": r.risk.id,
                "from": r.before,
                "to": r.risk.score,
                "arrow": r.arrow.value,
            }
            for r in live
            if r.arrow is not None
        ],
    }


def _plan(status: PlanStatus) -> dict[str, Any]:
    baseline = status.baseline
    return {
        "title": status.plan.title,
        "path": str(status.plan.path),
        "baseline": None
        if baseline is None
        else {"name": baseline.name, "date": baseline.on.isoformat(), "label": baseline.label},
        "counts": status.counts,
        "overdue": status.refs("is_overdue"),
        "overdue_unexplained": status.overdue_unexplained,
        "overdue_explained": status.overdue_explained,
        "stale": status.refs("is_stale"),
        "due_soon": status.refs("is_due_soon"),
        "withdrawn": [s.ref for s in status.actions if s.state is State.WITHDRAWN],
        "done": [s.ref for s in status.actions if s.state is State.DONE],
        "changes": [
            {"ref": c.ref, "from": c.before, "to": c.after, "arrow": c.arrow.value}
            for c in status.changes
        ],
        "measures": [
            {
                "ref": m.action.ref,
                "name": m.measure.name,
                "id": m.measure.id,
                "unit": m.measure.unit,
                "latest": None if m.latest is None else m.latest.value,
                "latest_date": None if m.latest is None else m.latest.on.isoformat(),
                "target": m.measure.target.value,
                "target_date": m.measure.target.on.isoformat(),
                "state": m.state.value,
            }
            for m in status.measures
        ],
        **({"risks": risks_data(status)} if status.plan.risks else {}),
    }
