"""The ids of SPEC 4's rules, in the order they run: the one list of them.

Each id names its module in ragplan.rules (`due-soon` is rules/due_soon.py), which
loads them from here. Kept apart so that reading plan.yaml, which only needs to know
the ids its `rules:` may name, does not load every rule.
"""

from __future__ import annotations

RULE_IDS: tuple[str, ...] = (
    "overdue-unexplained",
    "overdue-explained",
    "deadline-moved-unexplained",
    "complete-without-evidence",
    "stale",
    "due-soon",
    "duplicate-ref",
    "unknown-theme",
    "unknown-lead",
    "evidence-link-missing",
    "update-dates-out-of-order",
    "update-in-future",
    "green-while-overdue",
    "complete-without-date",
    "measure-off-track",
    "measure-reading-stale",
    "green-while-off-track",
    "measure-readings-out-of-order",
    "duplicate-measure-id",
    "risk-review-overdue",
    "high-risk-without-response",
    "risk-response-unknown",
    "risk-target-missed",
    "duplicate-risk-id",
)
