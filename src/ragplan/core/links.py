"""Evidence links: a web address, or a path relative to the plan folder (SPEC 1).

Kept apart from the rule that checks them, so that `new` and `update` can read a
link without loading every rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .model import Plan

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def is_web(link: str) -> bool:
    return link.lower().startswith(("http://", "https://"))


def local_target(link: str, plan_folder: Path) -> Path | None:
    """The file a relative link names, or None for an address with a scheme."""
    return None if _SCHEME.match(link) else plan_folder / link


def local_links(plan: Plan) -> Iterator[Path]:
    """Every file the plan's evidence links name: what this rule's verdict depends on."""
    for action in plan.actions:
        for evidence in action.evidence:
            target = None if evidence.link is None else local_target(evidence.link, plan.path)
            if target is not None:
                yield target
