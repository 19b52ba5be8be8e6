"""A relative evidence link that resolves to no file inside the repository.

Links are relative to the plan folder. One that escapes the repository, by `..` or
a symbolic link, counts as missing: a tracker must not point readers outside it.
http(s) links are not checked; any other scheme (file:, javascript:) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..model import Finding, Plan, Severity
from .base import Context, Rule, finding

ID = "evidence-link-missing"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def is_web(link: str) -> bool:
    return link.lower().startswith(("http://", "https://"))


def local_target(link: str, plan_folder: Path) -> Path | None:
    """The file a relative link names, or None for an address with a scheme."""
    return None if _SCHEME.match(link) else plan_folder / link


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


def local_links(plan: Plan) -> Iterator[Path]:
    """Every file the plan's evidence links name: what this rule's verdict depends on."""
    for action in plan.actions:
        for evidence in action.evidence:
            target = None if evidence.link is None else local_target(evidence.link, plan.path)
            if target is not None:
                yield target


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
