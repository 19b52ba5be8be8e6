"""What a rule is: an id, a default severity, a summary and a check function."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from ..core.model import Action, Finding, Location, Plan, Risk, Severity
from ..core.status import ActionStatus, PlanStatus, State

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may read besides the plan: the date, statuses, the base, the repo."""

    today: date
    status: PlanStatus
    repo_root: Path  # evidence links must resolve inside it
    base: Plan | None = None  # the plan at --since, for rules that compare with it
    # every rule's default severity, by id (run_rules fills it in)
    defaults: Mapping[str, Severity] = field(default_factory=dict)
    # the open actions' statuses, which most rules go through: found once, not by each
    open: tuple[ActionStatus, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found = tuple([s for s in self.status.actions if s.state is State.OPEN])
        object.__setattr__(self, "open", found)


Check = Callable[[Plan, Context], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A check rule: its id, default severity and what it looks for."""

    id: str
    severity: Severity
    summary: str
    check: Check
    needs_base: bool = False  # runs only with --since
    # plan.yaml cannot lower it or turn it off: it is how a reviewer sees that it tried
    is_locked: bool = False


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


def repeats(items: Iterable[T], key: Callable[[T], str | None]) -> Iterator[tuple[T, T]]:
    """(item, the first one with its key) for each later item that repeats a key."""
    first: dict[str, T] = {}
    for item in items:
        name = key(item)
        if name is None:
            continue
        other = first.setdefault(name, item)
        if other is not item:
            yield item, other


def out_of_order(items: Iterable[T], on: Callable[[T], date]) -> Iterator[tuple[T, date]]:
    """(item, the latest date before it) for each item dated before one listed earlier."""
    latest: date | None = None
    for item in items:
        if latest is not None and on(item) < latest:
            yield item, latest
        latest = on(item) if latest is None else max(latest, on(item))


def close_matches(word: str, choices: Sequence[str], cutoff: float) -> list[str]:
    """The choice closest to a mistyped word, if any is close (for a hint)."""
    import difflib  # here: most runs name nothing unknown (SPEC 6)

    return difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)


def open_statuses(ctx: Context) -> tuple[ActionStatus, ...]:
    return ctx.open
