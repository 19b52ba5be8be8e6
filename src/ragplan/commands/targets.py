"""The one plan folder and the action file a command works on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InputError
from ..read.places import boundary_of, find_plan_folders
from .common import require_valid

if TYPE_CHECKING:
    from ..core.model import Action, Plan
    from ..read.loader import Source

PLANS = Path("plans")


def choose_plan(option: Path | None) -> Path:
    """The one plan folder a command that writes works on (SPEC 2: --plan)."""
    if option is not None and not option.exists() and (PLANS / option).is_dir():
        option = PLANS / option
    root = option if option is not None else PLANS
    folders = find_plan_folders(root)
    if len(folders) == 1:
        return folders[0]
    listed = ", ".join(f"--plan {folder}" for folder in folders)
    raise InputError(f"{root} holds {len(folders)} plans; say which one", f"add one of: {listed}")


def read_plan(folder: Path) -> tuple[Plan, Source]:
    """plan.yaml of `folder`, without its actions; exit 2 listing its problems."""
    from ..read.loader import Loaded, Source, read_plan_yaml
    from ..rules import RULE_IDS

    source = Source(boundary_of(folder))
    plan, problems, _ = read_plan_yaml(folder, RULE_IDS, source)
    if plan is None or problems:
        require_valid(Loaded((), tuple(problems), 1))
    assert plan is not None
    return plan, source


def read_target(plan: Plan, path: Path, source: Source) -> tuple[Action, bytes]:
    """The action file to edit, which must be valid as it stands."""
    from ..read.loader import Loaded, read_action
    from ..write.atomic import refuse_link

    refuse_link(path)
    refuse_outside(path, plan.path)
    data = source.read(path)
    action, findings = read_action(data, path, tuple(r.key for r in plan.rag_scale))
    if action is None:
        require_valid(Loaded((), findings, 1))
    assert action is not None
    return action, data


def refuse_outside(path: Path, folder: Path) -> None:
    """A file reached through a link out of the repository (or out of the plan folder,
    outside git) is not written."""
    from ..read.cache import is_inside

    if not is_inside(path.parent, boundary_of(folder)):
        raise InputError(
            f"{path.parent} links out of the repository; ragplan neither reads nor writes there",
            "replace the link with the folder itself",
        )
