"""Where plans are: the plan folders below a root, and the boundary their files stay in.

Kept apart from the loader so that a run reusing an earlier result (memo.py) finds its
plans without importing the YAML parser.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import InputError
from ..core.fields import PLAN_PARTS, TEMP_SUFFIX

SKIP_DIRS = frozenset(("node_modules",))
MAX_DEPTH = 8  # folders below the plan root that are searched for plans


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
    """The plan folders at or below `root`, in name order.

    Every folder there that holds plan.yaml, actions/, snapshots/ or risks/ is a plan,
    so that none can be hidden from the gate (SPEC 1): a folder with plan files but no
    plan.yaml is listed too (the loader reports it), and a plan that holds another plan
    (a plan.yaml above the plans, or a plan inside a plan's folder) is refused."""
    if not root.exists():
        raise InputError(
            f"{root}: no such folder",
            "give the folder that holds plan.yaml, or a folder of plan folders "
            "(the default is ./plans)",
        )
    if root.is_file():
        if root.name == "plan.yaml":
            return find_plan_folders(root.parent)
        raise InputError(
            f"{root} is a file, not a plan folder", "give the folder that holds plan.yaml"
        )
    found: list[Path] = []
    _walk(root, found, depth=0)
    if not found:
        raise InputError(
            f"{root}: no plan.yaml here or in the folders below it",
            "a plan folder holds plan.yaml and an actions/ folder; see the README",
        )
    found.sort()
    texts = [str(folder) + os.sep for folder in found]  # a folder's text, then its own
    for at, outer in enumerate(found):
        inner = [
            found[n]
            for n in range(at + 1, len(found))
            if texts[n].startswith(texts[at])  # sorted: those inside come right after
        ]
        if inner and (outer / "plan.yaml").is_file():
            names = ", ".join(str(f) for f in inner)
            raise InputError(
                f"{outer / 'plan.yaml'} sits above other plans ({names}): a plan folder "
                "cannot hold another plan, so one of them would not be checked",
                f"move {outer / 'plan.yaml'} and its actions/ into a folder of their own, "
                "or delete it if it is a stray",
            )
    return found


def is_plan_folder(folder: Path) -> bool:
    """True when `folder` holds plan.yaml or any of a plan's folders of files."""
    return (folder / "plan.yaml").exists() or any((folder / part).is_dir() for part in PLAN_PARTS)


def _walk(folder: Path, found: list[Path], depth: int) -> None:
    """Plan folders at or below `folder`; inside a plan, not its own folders of files."""
    is_plan = is_plan_folder(folder)
    if is_plan:
        found.append(folder)
    if depth > MAX_DEPTH:
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(TEMP_SUFFIX) and entry.is_dir(follow_symlinks=False):
            raise InputError(
                f"{folder / entry.name} is left from an import that was interrupted: no "
                "plan was written, and this folder must not be committed",
                f"delete it (rm -r '{folder / entry.name}'), then import again",
            )
        if entry.name.startswith(".") or entry.name in SKIP_DIRS or not entry.is_dir():
            continue
        if is_plan and entry.name in (*PLAN_PARTS, "evidence"):
            continue
        _walk(folder / entry.name, found, depth + 1)
