"""The check rules of SPEC 4: an explicit registry, one module per rule.

Ids are stable and never reused. plan.yaml `rules:` changes a rule's severity or
turns it off; the rules themselves never see or change that setting.
"""

from __future__ import annotations

from ..model import Finding, Plan, Severity
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
    risk_response_unknown,
    risk_review_overdue,
    risk_target_missed,
    stale,
    unknown_lead,
    unknown_theme,
    update_dates_out_of_order,
    update_in_future,
)
from .base import Context, Rule

REGISTRY: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        overdue_unexplained.RULE,
        overdue_explained.RULE,
        deadline_moved_unexplained.RULE,
        complete_without_evidence.RULE,
        stale.RULE,
        due_soon.RULE,
        duplicate_ref.RULE,
        unknown_theme.RULE,
        unknown_lead.RULE,
        evidence_link_missing.RULE,
        update_dates_out_of_order.RULE,
        update_in_future.RULE,
        green_while_overdue.RULE,
        complete_without_date.RULE,
        measure_off_track.RULE,
        measure_reading_stale.RULE,
        green_while_off_track.RULE,
        measure_readings_out_of_order.RULE,
        duplicate_measure_id.RULE,
        risk_review_overdue.RULE,
        high_risk_without_response.RULE,
        risk_response_unknown.RULE,
        risk_target_missed.RULE,
        duplicate_risk_id.RULE,
    )
}


def severity_in_force(rule: Rule, plan: Plan | None) -> Severity | None:
    """The severity plan.yaml sets for the rule (None: off), else its default."""
    for rule_id, word in plan.rules if plan is not None else ():
        if rule_id == rule.id:
            return None if word == "off" else Severity(word)
    return rule.severity


def run_rules(plan: Plan, ctx: Context) -> list[Finding]:
    """Every rule's findings for the plan, at the severity in force."""
    findings: list[Finding] = []
    for rule in REGISTRY.values():
        severity = severity_in_force(rule, plan)
        if severity is None or (rule.needs_base and ctx.base is None):
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


__all__ = ["REGISTRY", "Context", "Rule", "run_rules", "severity_in_force"]
