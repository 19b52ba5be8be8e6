"""The check rules of SPEC 4: an explicit registry, one module per rule.

Ids are stable and never reused. plan.yaml `rules:` changes a rule's severity or
turns it off; the rules themselves never see or change that setting.
"""

from __future__ import annotations

import importlib
from typing import Literal

from ..model import Finding, Plan, Severity
from ..ruleids import RULE_IDS
from .base import Context, Rule

Scope = Literal["all", "part", "whole"]


def _rule(rule_id: str) -> Rule:
    """The rule of that id, from its own module (`stale` for stale, ...)."""
    rule: Rule = importlib.import_module(f"{__name__}.{rule_id.replace('-', '_')}").RULE
    assert rule.id == rule_id, rule_id
    return rule


REGISTRY: dict[str, Rule] = {rule_id: _rule(rule_id) for rule_id in RULE_IDS}


def severity_in_force(rule: Rule, plan: Plan | None) -> Severity | None:
    """The severity plan.yaml sets for the rule (None: off), else its default."""
    for rule_id, word in plan.rules if plan is not None else ():
        if rule_id == rule.id:
            return None if word == "off" else Severity(word)
    return rule.severity


def run_rules(plan: Plan, ctx: Context, scope: Scope = "all") -> list[Finding]:
    """Every rule's findings for the plan, at the severity in force. `scope`: "part" runs
    only the rules that judge each action alone (on a part of the plan's actions),
    "whole" only the others: those that read the whole plan (Rule.whole_plan) or compare
    it with the base."""
    findings: list[Finding] = []
    for rule in REGISTRY.values():
        severity = severity_in_force(rule, plan)
        if severity is None or (rule.needs_base and ctx.base is None):
            continue
        if scope != "all" and (rule.whole_plan or rule.needs_base) is (scope == "part"):
            continue
        for found in rule.check(plan, ctx):
            findings.append(
                Finding(
                    found.rule,
                    severity,
                    found.message,
                    found.where,
                    found.hint,
                    found.ref,
                    plan.path,
                    found.has_line,
                )
            )
    return findings


__all__ = ["REGISTRY", "Context", "Rule", "Scope", "run_rules", "severity_in_force"]
