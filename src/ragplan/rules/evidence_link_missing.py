"""A relative evidence link that resolves to no file inside the repository.

Links are relative to the plan folder. One that escapes the repository, by `..` or
a symbolic link, counts as missing: a tracker must not point readers outside it.
http(s) links are not checked; any other scheme (file:, javascript:) is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..core.links import is_web, local_target
from ..core.model import Finding, Plan, Severity
from .base import Context, Rule, finding

ID = "evidence-link-missing"


def problem(link: str, plan_folder: Path, repo_root: Path) -> str | None:
    """Why the link is unusable, or None when it is fine."""
    if is_web(link):
        return None
    local = local_target(link, plan_folder)
    if local is None:
        return "is not a relative path or an http(s) address"
    target = local.resolve()
    root = repo_root.resolve()
    if not target.is_relative_to(root):
        return "points outside the repository"
    if not target.is_file():
        return "does not resolve to a file in the repository"
    return None


def check(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for action in plan.actions:
        for evidence in action.evidence:
            if evidence.link is None:
                continue
            why = problem(evidence.link, plan.path, ctx.repo_root)
            if why is not None:
                yield finding(
                    ID,
                    RULE.severity,
                    action,
                    None,
                    f"{action.ref}'s evidence link '{evidence.link}' {why}",
                    "link to a file under the plan folder (e.g. evidence/report.pdf) "
                    "and commit it, or give an https:// address",
                    where=evidence.where,
                )


RULE = Rule(
    ID, Severity.ERROR, "an evidence link that resolves to no file in the repository", check
)
