"""`check`'s rules, run where each action file is read (SPEC 6).

Most rules judge one action at a time. With two processes, each one judges the actions
it parsed with those rules, and only the findings cross between them, with an outline
of each action (filecache.outline_action): what the few rules that read the whole plan
need (Rule.whole_plan). So the first process never rebuilds the worker's actions in
full, and the judging is shared by both processes instead of following the reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .evaluate import PlanStatus, assess, choose_baseline
from .model import Action, Finding, Plan
from .register import assess_register
from .rules import Context, run_rules


@dataclass(frozen=True, slots=True)
class Judge:
    """The rules of a `check` without a base (`--since` compares whole plans)."""

    today: date
    repo_root: Path  # evidence links must resolve inside it

    def part(self, plan: Plan, actions: Sequence[Action]) -> list[Finding]:
        """The findings of the rules that judge each action alone, for `actions`, a part
        of the plan's. The plan's own risks are judged too: give them to one part only."""
        part = replace(plan, actions=tuple(actions))
        status = assess(part, self.today, in_order=False)  # the findings are sorted
        return run_rules(part, Context(self.today, status, self.repo_root), "part")

    def whole(self, plan: Plan) -> list[Finding]:
        """The findings of the rules that read the whole plan, whose actions may be
        outlines."""
        baseline = choose_baseline(plan.snapshots, self.today)
        risks = tuple(assess_register(plan, self.today, baseline))
        status = PlanStatus(plan, self.today, baseline, (), (), risks)
        return run_rules(plan, Context(self.today, status, self.repo_root), "whole")
