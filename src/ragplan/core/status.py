"""SPEC 3 as pure functions of a Plan and `today`: done, overdue, stale, explained, changes."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .measures import MeasureStatus, assess_measures
from .model import Action, Arrow, Plan, Snapshot, Update
from .risks import RiskStatus, assess_register

# Letters that show nothing (Hangul fillers): a reviewer would see a blank explanation
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_RUNS = re.compile(r"(\d+)|(\D+)")  # digits, or the text between them


class State(enum.Enum):
    OPEN = "open"
    DONE = "done"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Change:
    """How an action's rating moved since the baseline snapshot."""

    ref: str
    before: str | None  # the baseline's rating; None when the action is new
    after: str
    arrow: Arrow


@dataclass(frozen=True, slots=True)
class ActionStatus:
    """An action's state on a date: overdue, explained, stale, due soon."""

    action: Action
    state: State
    is_overdue: bool
    is_explained: bool  # overdue, with an explanation in force
    is_due_soon: bool
    is_stale: bool
    last_activity: date | None  # the latest update, else the start the staleness counts from
    explanation: Update | None  # the explanation in force, if any
    revised_deadline: date | None  # the latest revised deadline given in an update
    revisions: int  # how many updates revised the deadline
    change: Change | None

    @property
    def ref(self) -> str:
        return self.action.ref

    @property
    def needs_attention(self) -> bool:
        return (
            self.is_overdue
            or self.is_stale
            or self.is_due_soon
            or (self.change is not None and self.change.arrow is Arrow.DOWN)
        )


@dataclass(frozen=True, slots=True)
class Tally:
    """What a plan's statuses add up to (withdrawn actions are counted apart)."""

    counts: tuple[tuple[str, int], ...]  # actions per rating, every rating of the scale
    overdue: int
    unexplained: int  # overdue with no explanation in force
    stale: int
    due_soon: int
    withdrawn: int


@dataclass(frozen=True, slots=True)
class PlanStatus:
    """Every action's status on a date, in the order reports show them."""

    plan: Plan
    today: date
    baseline: Snapshot | None
    actions: tuple[ActionStatus, ...]  # in theme order, then ref order
    measures: tuple[MeasureStatus, ...] = ()  # counted measures of actions not withdrawn
    risks: tuple[RiskStatus, ...] = ()  # the register: open first, highest score first

    def refs(self, predicate: str) -> list[str]:
        return [s.ref for s in self.actions if getattr(s, predicate)]

    @property
    def counts(self) -> dict[str, int]:
        """Actions per rating, withdrawn ones excluded, every rating of the scale present."""
        counts = {level.key: 0 for level in self.plan.rag_scale}
        for status in self.actions:
            if status.state is not State.WITHDRAWN:
                counts[status.action.rag] += 1
        return counts

    def tally(self) -> Tally:
        """The counts a summary shows, in one pass over 10,000 statuses, not one each."""
        counts = {level.key: 0 for level in self.plan.rag_scale}
        overdue = unexplained = stale = due_soon = withdrawn = 0
        for status in self.actions:
            if status.state is State.WITHDRAWN:  # never overdue, stale or due soon
                withdrawn += 1
                continue
            counts[status.action.rag] += 1
            if status.is_overdue:
                overdue += 1
                unexplained += not status.is_explained
            stale += status.is_stale
            due_soon += status.is_due_soon
        return Tally(tuple(counts.items()), overdue, unexplained, stale, due_soon, withdrawn)

    @property
    def overdue_unexplained(self) -> list[str]:
        return [s.ref for s in self.actions if s.is_overdue and not s.is_explained]

    @property
    def overdue_explained(self) -> list[str]:
        return [s.ref for s in self.actions if s.is_overdue and s.is_explained]

    @property
    def changes(self) -> list[Change]:
        return [s.change for s in self.actions if s.change is not None]


RefKey = tuple[tuple[int, int | str], ...]


@functools.lru_cache(maxsize=1 << 16)
def ref_key(ref: str) -> RefKey:
    """Sort key putting refs (and file names) in natural order: 2a, 10a, 10b; numbers by
    value, letters in any case."""
    return tuple(
        (0, int(digits)) if digits else (1, text.lower()) for digits, text in _RUNS.findall(ref)
    )


def complete_keys(plan: Plan) -> frozenset[str]:
    """The ratings of the plan's scale that mark an action complete."""
    return frozenset(level.key for level in plan.rag_scale if level.is_complete)


def counts_as_explanation(text: str | None) -> bool:
    """An explanation counts when it holds at least one letter or digit that shows as
    one (SPEC 3.4): Unicode's letters (L) and numbers (N), not the fillers that look
    blank, nor format characters, which are neither."""
    return text is not None and any(
        character.isalnum() and character not in _INVISIBLE_LETTERS for character in text
    )


def latest_explanation(action: Action, today: date) -> Update | None:
    """The latest-dated update whose explanation counts; on equal dates the later listed.
    An update dated after today is not yet in force: a date in 2099 must not keep an
    explanation valid for ever."""
    chosen: Update | None = None
    for update in action.updates:
        if (
            update.on <= today
            and counts_as_explanation(update.explanation)
            and (chosen is None or update.on >= chosen.on)
        ):
            chosen = update
    return chosen


def is_in_force(update: Update, today: date, valid_days: int) -> bool:
    if update.revised_deadline is not None:
        return today <= update.revised_deadline.value
    return (today - update.on).days <= valid_days


def last_activity(action: Action, plan: Plan) -> date | None:
    """The latest update's date; with no updates, the action's start, else the plan's."""
    if action.updates:
        return max([update.on for update in action.updates])
    return action.start or plan.start


def choose_baseline(snapshots: Iterable[Snapshot], today: date) -> Snapshot | None:
    """The snapshot dated latest strictly before today; on equal dates, the greater name."""
    earlier = [s for s in snapshots if s.on < today]
    return max(earlier, key=lambda s: (s.on, s.name)) if earlier else None


def change_of(action: Action, plan: Plan, baseline: Snapshot) -> Change:
    before = baseline.rating_of(action.ref)
    if before is None or before not in {level.key for level in plan.rag_scale}:
        return Change(action.ref, before, action.rag, Arrow.NEW)
    now, then = plan.rank(action.rag), plan.rank(before)
    arrow = Arrow.UP if now < then else Arrow.DOWN if now > then else Arrow.SAME
    return Change(action.ref, before, action.rag, arrow)


def assess_action(
    action: Action,
    plan: Plan,
    today: date,
    baseline: Snapshot | None,
    complete: frozenset[str] | None = None,
) -> ActionStatus:
    """`complete`: the plan's complete ratings, when worked out already (see assess)."""
    settings = plan.settings
    if action.withdrawn is not None:
        state = State.WITHDRAWN
    elif action.rag in (complete_keys(plan) if complete is None else complete):
        state = State.DONE
    else:
        state = State.OPEN
    is_open = state is State.OPEN
    due = action.deadline.due
    is_overdue = is_open and due is not None and due < today
    is_due_soon = (
        is_open
        and due is not None
        and due >= today
        and (due - today).days <= settings.due_soon_days
    )
    updates = action.updates
    last = last_activity(action, plan)
    is_stale = is_open and (last is None or (today - last).days > settings.stale_after_days)
    explanation = latest_explanation(action, today) if updates else None
    if explanation is not None and not is_in_force(
        explanation, today, settings.explanation_valid_days
    ):
        explanation = None
    revised = [u.revised_deadline.value for u in updates if u.revised_deadline]
    change = None
    if baseline is not None and state is not State.WITHDRAWN:
        change = change_of(action, plan, baseline)
    return ActionStatus(
        action=action,
        state=state,
        is_overdue=is_overdue,
        is_explained=is_overdue and explanation is not None,
        is_due_soon=is_due_soon,
        is_stale=is_stale,
        last_activity=last,
        explanation=explanation,
        revised_deadline=revised[-1] if revised else None,
        revisions=len(revised),
        change=change,
    )


def theme_order(plan: Plan, actions: Iterable[Action]) -> dict[str | None, int]:
    """Themes in the plan's order, then as they first appear; no theme last."""
    order: dict[str | None, int] = {theme: i for i, theme in enumerate(plan.themes)}
    for action in actions:
        if action.theme not in order and action.theme is not None:
            order[action.theme] = len(order)
    order[None] = len(order)
    return order


def assess(
    plan: Plan,
    today: date,
    baseline: Snapshot | None = None,
    use_default_baseline: bool = True,
    in_order: bool = True,
) -> PlanStatus:
    """Every action's status on `today` against `baseline` (default: SPEC 3.5's choice),
    in theme order, then ref order (`in_order=False`: in the plan's order, for a caller
    that orders what it makes of them)."""
    if baseline is None and use_default_baseline:
        baseline = choose_baseline(plan.snapshots, today)
    complete = complete_keys(plan)
    statuses = [assess_action(a, plan, today, baseline, complete) for a in plan.actions]
    if not in_order:
        return _status(plan, today, baseline, tuple(statuses))
    return plan_status(plan, today, baseline, statuses)


def plan_status(
    plan: Plan, today: date, baseline: Snapshot | None, statuses: Iterable[ActionStatus]
) -> PlanStatus:
    """The plan's status from its actions' statuses, in any order, put in theme order,
    then ref order."""
    by_ref = sorted(statuses, key=lambda s: ref_key(s.action.ref))
    order = theme_order(plan, (s.action for s in by_ref))
    return _status(
        plan, today, baseline, tuple(sorted(by_ref, key=lambda s: order[s.action.theme]))
    )


def _status(
    plan: Plan, today: date, baseline: Snapshot | None, statuses: tuple[ActionStatus, ...]
) -> PlanStatus:
    live = tuple(s.action for s in statuses if s.state is not State.WITHDRAWN)

    return PlanStatus(
        plan,
        today,
        baseline,
        statuses,
        tuple(assess_measures(live, today)),
        tuple(assess_register(plan, today, baseline)),
    )


def select(
    status: PlanStatus, lead: str | None = None, theme: str | None = None, rag: str | None = None
) -> PlanStatus:
    """The same status narrowed to actions with that lead, theme and rating (any case)."""

    def keep(s: ActionStatus) -> bool:
        action = s.action
        if lead is not None and lead.casefold() not in {
            name.casefold() for name in (*action.leads, action.strategic_lead or "")
        }:
            return False
        if theme is not None and (action.theme or "").casefold() != theme.casefold():
            return False
        return rag is None or action.rag == rag.lower()

    kept = tuple(s for s in status.actions if keep(s))
    refs = {s.ref for s in kept}
    measures = tuple(m for m in status.measures if m.action.ref in refs)
    return PlanStatus(status.plan, status.today, status.baseline, kept, measures, status.risks)
