"""`ragplan export --format sqlite|ndjson`: many plans as one table a kind of record
(SPEC 12), assessed and checked as of one day."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import InputError
from ..core.model import Action, Finding, Plan
from ..core.status import PlanStatus
from .common import load_plans, require_valid


def database_rows(
    roots: list[Path], day: date, prefix: str | None, history: bool = False
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The rows of every table for the plans at or below `roots`, and their plan ids
    (`history`: also every committed version of every action, from git)."""
    from ..core.status import assess
    from ..read.places import boundary_of
    from ..rules import Context, run_rules
    from ..sheets.database import plan_id, tables

    statuses: list[PlanStatus] = []
    findings: list[Finding] = []
    ids: dict[Path, str] = {}
    for root in roots:
        loaded = load_plans(root)
        require_valid(loaded)
        findings += list(loaded.findings)
        for plan in loaded.plans:
            status = assess(plan, day)
            statuses.append(status)
            findings += run_rules(plan, Context(day, status, boundary_of(root)))
            pid = plan_id(plan, prefix)
            if pid in ids.values():
                raise InputError(
                    f"two plans would have the id {pid!r} in one database",
                    "give one of them `id:` in its plan.yaml, or export them with --prefix",
                )
            ids[plan.path] = pid
    rows = tables(statuses, findings, ids)
    if history:
        for status in statuses:
            commits, versions = _history(status.plan, ids[status.plan.path])
            rows["commits"] += commits
            rows["action_versions"] += versions
    return rows, list(ids.values())


def _history(plan: Plan, pid: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The commits that changed the plan's action files, and each action's versions in
    them: one `git log` and one `cat-file --batch` for the plan."""
    from ..core.errors import GitError
    from ..git.repository import Commit, Repository
    from ..read.loader import read_action
    from ..sheets.database import version_rows

    try:
        repo = Repository(plan.path)
    except GitError:
        raise InputError(
            f"--history: {plan.path} is not in a git repository", "export without --history"
        ) from None
    log = repo.folder_log(plan.path / "actions")
    wanted = [(c, n) for c in log for n, deleted in c.files if not deleted and _is_plan_file(n)]
    blobs = iter(repo.objects([f"{c.sha}:{name}" for c, name in wanted]))
    keys = tuple(level.key for level in plan.rag_scale)
    refs: dict[str, str] = {}  # each file's ref, as last read
    versions: list[tuple[Commit, str, str, bool, Action | None]] = []
    for commit in log:
        for name, deleted in commit.files:
            if not _is_plan_file(name):
                continue
            if deleted:
                if name in refs:
                    versions.append((commit, name, refs[name], True, None))
                continue
            blob = next(blobs)
            action = None
            if isinstance(blob, bytes):
                action, _ = read_action(blob, Path(name), keys)
            if action is not None:
                refs[name] = action.ref
                versions.append((commit, name, action.ref, False, action))
    commits = [
        {"hash": c.sha, "author": c.author, "date": c.when, "message": c.message} for c in log
    ]
    return commits, version_rows(pid, versions)


def _is_plan_file(name: str) -> bool:
    return name.endswith((".yaml", ".yml"))
