"""Where plans are: the plan folders below a root, and the boundary their files stay in.

Kept apart from the loader so that a run reusing an earlier result (memo.py) finds its
plans without importing the YAML parser.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import InputError

SKIP_DIRS = frozenset(("actions", "snapshots", "risks", "evidence", "node_modules", "templates"))


def boundary_of(root: Path) -> Path:
    """What plan files may resolve into: the git work tree holding `root`, else `root`.

    Found by walking up the path as written, so a `plans` folder that is itself a link
    out of the repository cannot move the boundary with it.
    """
    start = Path(os.path.abspath(root))
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return Path(os.path.realpath(folder))
    return Path(os.path.realpath(start))


def find_plan_folders(root: Path) -> list[Path]:
    """The plan folders at or below `root`, in name order."""
    if not root.exists():
        raise InputError(
            f"{root}: no such folder",
            "give the folder that holds plan.yaml, or a folder of plan folders "
            "(the default is ./plans)",
        )
    if root.is_file():
        if root.name == "plan.yaml":
            return [root.parent]
        raise InputError(
            f"{root} is a file, not a plan folder", "give the folder that holds plan.yaml"
        )
    if (root / "plan.yaml").is_file():
        return [root]
    found: list[Path] = []
    _walk(root, found, depth=0)
    if not found:
        raise InputError(
            f"{root}: no plan.yaml here or in the folders below it",
            "a plan folder holds plan.yaml and an actions/ folder; see the README",
        )
    return sorted(found)


def _walk(folder: Path, found: list[Path], depth: int) -> None:
    if depth > 4:
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIP_DIRS or not entry.is_dir():
            continue
        path = folder / entry.name
        if (path / "plan.yaml").is_file():
            found.append(path)
        else:
            _walk(path, found, depth + 1)
