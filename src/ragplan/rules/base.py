"""What a rule is: an id, a default severity, a summary and a check function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from ..evaluate import PlanStatus
from ..model import Finding, Plan, Severity


@dataclass(frozen=True, slots=True)
class Context:
    today: date
    status: PlanStatus
    base: Plan | None = None  # the plan at --since, for rules that compare with it
    repo_root: object = None


Check = Callable[[Plan, Context], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    check: Check
    needs_base: bool = False
