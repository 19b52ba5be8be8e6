"""The check rules of SPEC 4: an explicit registry, one module per rule.

Ids are stable and never reused. plan.yaml `rules:` changes a rule's severity or
turns it off; the rules themselves never see or change that setting.
"""

from __future__ import annotations

from dataclasses import replace

from ..core.model import Finding, Plan, Severity
from . import (
    complete_without_date,
    complete_without_evidence,
    deadline_moved_unexplained,
    due_soon,
    duplicate_measure_id,
    duplicate_ref,
    duplicate_risk_id,
    evidence_link_missing,
    green_while_off_track,
    green_while_overdue,
    high_risk_without_response,
    measure_off_track,
    measure_reading_stale,
    measure_readings_out_of_order,
    overdue_explained,
    overdue_unexplained,
    rating_changed_without_update,
    risk_response_unknown,
    risk_review_overdue,
    risk_target_missed,
    rules_loosened,
    snapshot_rewritten,
    stale,
    unknown_lead,
    unknown_theme,
    update_dates_out_of_order,
    update_in_future,
    update_rewritten,
)
from .base import Context, Rule

# In the order they run; each module's RULE has the id its name spells.
REGISTRY: dict[str, Rule] = {
    module.RULE.id: module.RULE
    for module in (
        overdue_unexplained,
        overdue_explained,
        deadline_moved_unexplained,
        complete_without_evidence,
        stale,
        due_soon,
        duplicate_ref,
        unknown_theme,
        unknown_lead,
        evidence_link_missing,
        update_dates_out_of_order,
        update_in_future,
        green_while_overdue,
        complete_without_date,
        measure_off_track,
        measure_reading_stale,
        green_while_off_track,
        measure_readings_out_of_order,
        duplicate_measure_id,
        risk_review_overdue,
        high_risk_without_response,
        risk_response_unknown,
        risk_target_missed,
        duplicate_risk_id,
        update_rewritten,
        snapshot_rewritten,
        rating_changed_without_update,
        rules_loosened,
    )
}
RULE_IDS: tuple[str, ...] = tuple(REGISTRY)
DEFAULTS: dict[str, Severity] = {rule.id: rule.severity for rule in REGISTRY.values()}


def severity_in_force(rule: Rule, plan: Plan | None) -> Severity | None:
    """The severity plan.yaml sets for the rule (None: off), else its default."""
    if rule.is_locked:
        return rule.severity
    for rule_id, word in plan.rules if plan is not None else ():
        if rule_id == rule.id:
            return None if word == "off" else Severity(word)
    return rule.severity


def run_rules(plan: Plan, ctx: Context) -> list[Finding]:
    """Every rule's findings for the plan, at the severity in force."""
    ctx = replace(ctx, defaults=DEFAULTS)
    findings: list[Finding] = []
    for rule in REGISTRY.values():
        severity = severity_in_force(rule, plan)
        if severity is None or (rule.needs_base and ctx.base is None):
            continue
        for found in rule.check(plan, ctx):
            # a locked rule words its own severity (rules-loosened: error when new)
            kept = found.severity if rule.is_locked else severity
            findings.append(
                Finding(
                    found.rule,
                    kept,
                    found.message,
                    found.where,
                    found.hint,
                    found.ref,
                    plan.path,
                    found.has_line,
                )
            )
    return findings


__all__ = ["REGISTRY", "RULE_IDS", "Context", "Rule", "run_rules", "severity_in_force"]
