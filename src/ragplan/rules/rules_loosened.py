"""plan.yaml lowers a rule or turns it off, or loosens a setting from its default.

Why: plan.yaml is in every pull request's reach. `rules: {overdue-unexplained: off}`,
`explanation_valid_days: 99999` or an amber rating marked complete would turn the gate
green without changing one action; each is named here, in every format `check` writes,
so that a reviewer sees it; with --since, one that the base did not have is an error:
the pull request that brings it in fails the gate. plan.yaml cannot lower or turn off
this rule itself.
Fails: `rules: {stale: info}`; `settings: {stale_after_days: 365}`;
`rag_scale: [{key: done, complete: true}, {key: amber, complete: true}, ...]`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..core.model import DEFAULT_SCALE, Finding, Plan, Settings, Severity, located
from .base import Context, Rule

ID = "rules-loosened"
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_DEFAULTS = Settings()
# (setting, its default, True when a larger value is looser, what it loosens)
_SETTINGS = (
    ("stale_after_days", _DEFAULTS.stale_after_days, True, "actions go longer unupdated"),
    ("explanation_valid_days", _DEFAULTS.explanation_valid_days, True, "explanations last longer"),
    ("measure_reading_days", _DEFAULTS.measure_reading_days, True, "readings may be older"),
    ("risk_review_days", _DEFAULTS.risk_review_days, True, "risks go longer unreviewed"),
    ("due_soon_days", _DEFAULTS.due_soon_days, False, "deadlines are flagged later"),
)
_OPEN_BY_DEFAULT = {level.key for level in DEFAULT_SCALE if not level.is_complete}
_HINT = "a reviewer should agree to it; remove it from plan.yaml to restore the default"
_NEW_HINT = "new since the base: the board should agree to it first; else remove it from plan.yaml"


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    standing = set() if ctx.base is None else {f.message for f in _loosened(ctx.base, ctx)}
    for found in _loosened(plan, ctx):
        if ctx.base is not None and found.message not in standing:
            yield replace(found, severity=Severity.ERROR, hint=_NEW_HINT)
        else:
            yield found


def _loosened(plan: Plan, ctx: Context) -> Iterator[Finding]:
    where = Path(plan.path) / "plan.yaml"
    for rule_id, word in plan.rules:
        default = ctx.defaults.get(rule_id)
        if default is None:
            continue
        if rule_id == ID:
            message = f"plan.yaml sets {ID} to {word}, which it cannot change"
        elif word == "off":
            message = f"plan.yaml turns off {rule_id} (by default {_an(default.value)})"
        elif _RANK[Severity(word)] > _RANK[default]:
            message = f"plan.yaml lowers {rule_id} from {default.value} to {word}"
        else:
            continue
        yield _found(message, plan, where, "rules")
    for name, usual, larger_is_looser, effect in _SETTINGS:
        value = getattr(plan.settings, name)
        if (value > usual) if larger_is_looser else (value < usual):
            message = f"plan.yaml sets {name} to {value} (default {usual}): {effect}"
            yield _found(message, plan, where, "settings")
    is_done_so_far = True
    for level in plan.rag_scale:
        if level.is_complete and (level.key in _OPEN_BY_DEFAULT or not is_done_so_far):
            message = (
                f"plan.yaml marks the rating '{level.key}' complete: actions rated "
                f"{level.label} count as done, and are never overdue"
            )
            yield _found(message, plan, where, "rag_scale")
        is_done_so_far = is_done_so_far and level.is_complete


def _an(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _found(message: str, plan: Plan, where: Path, key: str) -> Finding:
    return Finding(ID, RULE.severity, message, located(where, plan.positions, key), _HINT)


RULE = Rule(
    ID,
    Severity.WARNING,
    "plan.yaml lowers or turns off a rule, or loosens a setting from its default",
    check,
    is_locked=True,
)
