"""`check`'s rules and the assessment `status` and `render` show, run where each action
file is read (SPEC 6).

Most of what these commands do looks at one action at a time. With two processes,
each one does it on the actions it parsed, and only what it made of them crosses
between them (findings, or statuses), with an outline of each action
(filecache.outline_action): enough for the few rules that read the whole plan
(Rule.whole_plan) and for ordering, counting and filtering the statuses. So the first
process never rebuilds the worker's actions in full, and the work is shared by both
processes instead of following the reading (loader.PartWork).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .evaluate import (
    ActionStatus,
    Arrow,
    Change,
    PlanStatus,
    State,
    assess,
    assess_action,
    choose_baseline,
    complete_keys,
    learn_key,
    path_key,
    ref_key,
)
from .model import Action, Day, Finding, Location, Plan, Severity, Update
from .register import assess_register
from .rules import Context, run_rules

if TYPE_CHECKING:
    from .since import Base


@dataclass(frozen=True, slots=True)
class Judge:
    """The rules of a `check`: those that judge each action alone where it is read, the
    others on the whole plan (with `--since`, also against the base)."""

    today: date
    repo_root: Path  # evidence links must resolve inside it
    # what this process makes of the worker's actions (loader.PartWork): outlines, or
    # with --since the actions in full (the base reuses them, and the rule that compares
    # deadlines with the base reads them)
    actions: str = "outline"

    def run(self, plan: Plan, actions: Sequence[Action]) -> list[Finding]:
        """The findings of the rules that judge each action alone, for `actions`, a part
        of the plan's. The plan's own risks are judged too: give them to one part only."""
        part = replace(plan, actions=tuple(actions))
        status = assess(part, self.today, in_order=False)  # the findings are sorted
        found = run_rules(part, Context(self.today, status, self.repo_root), "part")
        for finding in found:  # by their files' keys, worked out here (see pack)
            path_key(str(finding.where.path))
        return found

    def whole(self, plan: Plan, since: Base | None = None) -> list[Finding]:
        """The findings of the rules that read the whole plan, whose actions may be
        outlines, or (`since`: what --since names) compare it with the base, when the
        actions are in full."""
        if since is None:
            baseline = choose_baseline(plan.snapshots, self.today)
            base = None
        else:
            baseline, base = since.snapshot, since.plan
        risks = tuple(assess_register(plan, self.today, baseline))
        status = PlanStatus(plan, self.today, baseline, (), (), risks)
        return run_rules(plan, Context(self.today, status, self.repo_root, base), "whole")

    def path_of(self, item: Finding) -> Path:
        return item.where.path

    def pack(self, item: Finding) -> tuple[Any, ...]:
        where = item.where
        return (
            item.rule,
            item.severity.value,
            item.message,
            where.line,
            where.column,
            item.hint,
            item.ref,
            item.has_line,
            path_key(str(where.path)),  # what the findings are sorted by (run)
        )

    def unpack(self, row: tuple[Any, ...], outline: Action, folder: Path) -> Finding:
        rule, severity, message, line, column, hint, ref, has_line, key = row
        learn_key(str(outline.path), key)
        where = Location(outline.path, line, column)
        return Finding(rule, _SEVERITIES[severity], message, where, hint, ref, folder, has_line)


_SEVERITIES = {severity.value: severity for severity in Severity}
_STATES = {state.value: state for state in State}
_ARROWS = {arrow.value: arrow for arrow in Arrow}


@dataclass(frozen=True, slots=True)
class Assessor:
    """`status`'s statuses of each action, against the baseline SPEC 3.5 chooses (the
    plan's snapshots are read before its actions)."""

    today: date
    # what this process makes of the worker's actions (loader.PartWork): "outline" for
    # `status`, which shows no more of an action than its outline holds; "full" for a
    # tracker (render)
    actions: str = "outline"

    def run(self, plan: Plan, actions: Sequence[Action]) -> list[ActionStatus]:
        baseline = choose_baseline(plan.snapshots, self.today)
        complete = complete_keys(plan)
        for action in actions:  # what the statuses are sorted by, worked out here (see pack)
            ref_key(action.ref)
        return [assess_action(a, plan, self.today, baseline, complete) for a in actions]

    def path_of(self, item: ActionStatus) -> Path:
        return item.action.path

    def pack(self, item: ActionStatus) -> tuple[Any, ...]:
        explanation = item.explanation
        change = item.change
        return (
            item.state.value,
            item.is_overdue,
            item.is_explained,
            item.is_due_soon,
            item.is_stale,
            _ordinal(item.last_activity),
            None
            if explanation is None
            else (
                explanation.on.toordinal(),
                explanation.note,
                explanation.explanation,
                None
                if explanation.revised_deadline is None
                else (
                    explanation.revised_deadline.value.toordinal(),
                    explanation.revised_deadline.text,
                ),
                explanation.where.line,
                explanation.where.column,
            ),
            _ordinal(item.revised_deadline),
            item.revisions,
            None if change is None else (change.before, change.after, change.arrow.value),
            ref_key(item.action.ref),  # what the statuses are sorted by (run)
        )

    def unpack(self, row: tuple[Any, ...], outline: Action, folder: Path) -> ActionStatus:
        state, overdue, explained, due_soon, stale, last, why, revised, revisions, change, key = row
        learn_key(outline.ref, key)
        explanation = None
        if why is not None:
            on, note, text, moved, line, column = why
            explanation = Update(
                date.fromordinal(on),
                note,
                text,
                None if moved is None else Day(date.fromordinal(moved[0]), moved[1]),
                Location(outline.path, line, column),
            )
        return ActionStatus(
            action=outline,
            state=_STATES[state],
            is_overdue=overdue,
            is_explained=explained,
            is_due_soon=due_soon,
            is_stale=stale,
            last_activity=None if last is None else date.fromordinal(last),
            explanation=explanation,
            revised_deadline=None if revised is None else date.fromordinal(revised),
            revisions=revisions,
            change=None
            if change is None
            else Change(outline.ref, change[0], change[1], _ARROWS[change[2]]),
        )


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()
