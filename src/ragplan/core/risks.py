"""SPEC 8 as pure functions: a risk's score, level, review and movement, and the 5x5
heat map of a plan's open risks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Arrow, Plan, Risk, RiskLevel, Snapshot


@dataclass(frozen=True, slots=True)
class RiskStatus:
    """A risk's state on a date."""

    risk: Risk
    level: RiskLevel
    is_open: bool
    last_reviewed: date
    review_overdue: bool
    target_missed: bool
    arrow: Arrow | None  # against the baseline snapshot; None without one
    before: int | None  # the score at the baseline


def level_of(score: int, levels: tuple[RiskLevel, ...]) -> RiskLevel:
    """The first level whose max_score reaches the score."""
    return next((level for level in levels if score <= level.max_score), levels[-1])


def last_reviewed(risk: Risk) -> date:
    return max((r.on for r in risk.reviews), default=risk.opened)


def assess_risk(risk: Risk, plan: Plan, today: date, baseline: Snapshot | None) -> RiskStatus:
    is_open = risk.closed is None
    last = last_reviewed(risk)
    overdue = is_open and (today - last).days > plan.settings.risk_review_days
    missed = (
        is_open
        and risk.target is not None
        and today > risk.target[2]
        and risk.score > risk.target[0] * risk.target[1]
    )
    arrow, before = None, None
    if baseline is not None and is_open:
        grades = baseline.grades_of(risk.id)
        if grades is None:
            arrow = Arrow.NEW
        else:
            before = grades[0] * grades[1]
            arrow = (
                Arrow.UP
                if risk.score < before
                else Arrow.DOWN
                if risk.score > before
                else Arrow.SAME
            )
    return RiskStatus(
        risk, level_of(risk.score, plan.risk_levels), is_open, last, overdue, missed, arrow, before
    )


def assess_register(plan: Plan, today: date, baseline: Snapshot | None) -> list[RiskStatus]:
    """Every risk, open ones first, highest score first, then by id."""
    statuses = [assess_risk(r, plan, today, baseline) for r in plan.risks]
    return sorted(statuses, key=lambda s: (not s.is_open, -s.risk.score, s.risk.id))


def open_response(risk: Risk, plan: Plan) -> bool:
    """True when one of its response refs is an action that is open (not done, not
    withdrawn)."""
    complete = {level.key for level in plan.rag_scale if level.is_complete}
    by_ref = {a.ref: a for a in plan.actions}
    return any(
        ref in by_ref and by_ref[ref].withdrawn is None and by_ref[ref].rag not in complete
        for ref in risk.responses
    )


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One cell of the risk heat map: how many open risks score there."""

    likelihood: int
    impact: int
    count: int
    level: RiskLevel
    ids: tuple[str, ...]


def heat_map(statuses: list[RiskStatus], levels: tuple[RiskLevel, ...]) -> list[list[HeatCell]]:
    """Rows of likelihood 5 (top) to 1, columns of impact 1 to 5: the open risks in each."""
    rows = []
    for likelihood in range(5, 0, -1):
        row = []
        for impact in range(1, 6):
            ids = tuple(
                s.risk.id
                for s in statuses
                if s.is_open and s.risk.likelihood == likelihood and s.risk.impact == impact
            )
            row.append(
                HeatCell(likelihood, impact, len(ids), level_of(likelihood * impact, levels), ids)
            )
        rows.append(row)
    return rows


def movement_words(status: RiskStatus) -> str:
    """`↑ from 20`, `new`, or "" without a baseline."""
    if status.arrow is None:
        return ""
    return "new" if status.before is None else f"{status.arrow.value} from {status.before}"


def response_ratings(risk: Risk, plan: Plan) -> list[tuple[str, str]]:
    """Each response ref with its action's rating label (`not in the plan` when unknown)."""
    by_ref = {a.ref: a for a in plan.actions}
    return [
        (ref, plan.level(by_ref[ref].rag).label if ref in by_ref else "not in the plan")
        for ref in risk.responses
    ]
