"""What a rule is: an id, a default severity, a summary and a check function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..evaluate import ActionStatus, PlanStatus, State
from ..model import Action, Finding, Location, Plan, Risk, Severity


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may read besides the plan: the date, statuses, the base, the repo."""

    today: date
    status: PlanStatus
    repo_root: Path  # evidence links must resolve inside it
    base: Plan | None = None  # the plan at --since, for rules that compare with it


Check = Callable[[Plan, Context], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    check: Check
    needs_base: bool = False  # runs only with --since


def finding(
    rule: str,
    severity: Severity,
    action: Action,
    key: str | None,
    message: str,
    hint: str | None = None,
    where: Location | None = None,
) -> Finding:
    """A finding about one action, placed at `key`'s line (or `where`)."""
    return Finding(rule, severity, message, where or action.where(key), hint, ref=action.ref)


def risk_finding(
    rule: str, severity: Severity, risk: Risk, key: str | None, message: str, hint: str
) -> Finding:
    """A finding about one risk, placed at `key`'s line; `ref` carries the risk's id."""
    return Finding(rule, severity, message, risk.where(key), hint, ref=risk.id)


def open_statuses(ctx: Context) -> Iterator[ActionStatus]:
    return (s for s in ctx.status.actions if s.state is State.OPEN)
