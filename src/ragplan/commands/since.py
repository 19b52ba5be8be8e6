"""--since: a snapshot name, a git revision or an ISO date -> the base to compare with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.as_at import plan_at
from ..core.dates import DateError, parse_today
from ..core.errors import GitError, InputError
from ..core.model import Plan, Snapshot
from ..git.repository import Repository, is_iso_day
from ..read.loader import MemorySource, Parsed, load_plan


@dataclass(frozen=True, slots=True)
class Base:
    """What a plan is compared with: ratings (for arrows) and, from git, the whole plan."""

    snapshot: Snapshot | None  # None: the plan did not exist at that revision
    plan: Plan | None  # the plan's actions at the base, for rules that compare


def from_snapshot(plan: Plan, snapshot: Snapshot) -> Base:
    """A snapshot as a base: the plan as that board saw it (core.as_at), with today's
    plan.yaml, since a snapshot records ratings and deadlines alone."""
    return Base(snapshot, plan_at(plan, snapshot))


def snapshot_of(plan: Plan, name: str, on: date, label: str) -> Snapshot:
    """A plan's ratings and deadlines as a Snapshot (for a git revision)."""
    live = [a for a in plan.actions if a.withdrawn is None]
    return Snapshot(
        name=name,
        on=on,
        label=label,
        ratings=tuple((a.ref, a.rag) for a in live),
        deadlines=tuple((a.ref, a.deadline) for a in live),
        path=plan.path,
    )


class BaseFinder:
    """Resolves one --since value once, then gives each plan its base."""

    def __init__(
        self,
        since: str,
        plans: tuple[Plan, ...],
        parsed: Parsed | None = None,
        what: str = "--since",
    ) -> None:
        self.since = since
        self.what = what  # the option or argument `since` came from, for messages
        self.parsed = parsed  # this run's parse results: unchanged files are not parsed again
        self.sha: str | None = None
        self.repo: Repository | None = None
        self.files: dict[Path, dict[Path, bytes]] = {}  # plan folder -> its files at the base
        self.outside: dict[Path, dict[Path, bytes]] = {}  # links out of the repository there
        self.on = date.min
        if all(any(s.name == since for s in p.snapshots) for p in plans):
            return
        if is_iso_day(since):
            try:
                day = parse_today(since)
            except DateError as error:
                raise InputError(f"{what}: {error}") from None
            self.repo = Repository(plans[0].path)
            self.sha = self.repo.commit_at_or_before(day, what)
        else:
            try:
                self.repo = Repository(plans[0].path)
            except GitError:
                plan = next(p for p in plans if not any(s.name == since for s in p.snapshots))
                names = ", ".join(s.name for s in plan.snapshots) or "none"
                raise InputError(
                    f"{what} {since!r}: {plan.path} has no snapshot of that name, and is not "
                    "in a git repository",
                    f"its snapshots are: {names}",
                ) from None
            try:
                self.sha = self.repo.resolve(since, what)
            except GitError:
                lacking = [p for p in plans if not any(s.name == since for s in p.snapshots)]
                if len(lacking) == len(plans):
                    raise
                names = ", ".join(str(p.path) for p in lacking)
                raise InputError(
                    f"{what} {since!r}: other plans have a snapshot of that name, but {names} "
                    "has none, and it is no git revision",
                    "give the plan with --plan, or write that snapshot in each plan",
                ) from None
        current = None if parsed is None else parsed.files()
        folders = [p.path for p in plans]
        for folder, found in self.repo.plan_files(self.sha, folders, current).items():
            self.files[folder] = {path: data for path, data in found.items() if data is not None}
            self.outside[folder] = {path: b"" for path, data in found.items() if data is None}
        self.on = self.repo.commit_date(self.sha)

    def removed(self, root: Path, plans: tuple[Plan, ...]) -> list[Path]:
        """The plan folders under `root` at the base revision that are no plan now (their
        plan.yaml deleted or moved): none when --since names a snapshot."""
        if self.repo is None or self.sha is None:
            return []
        now = {plan.path for plan in plans}
        return [folder for folder in self.repo.plan_folders(self.sha, root) if folder not in now]

    def base_for(self, plan: Plan, known_rules: tuple[str, ...]) -> Base:
        for snapshot in plan.snapshots:
            if snapshot.name == self.since:
                return from_snapshot(plan, snapshot)
        if self.repo is None or self.sha is None:
            names = ", ".join(s.name for s in plan.snapshots) or "none"
            raise InputError(
                f"{self.what} {self.since!r}: {plan.path} has no snapshot of that name",
                f"its snapshots are: {names}",
            )
        files = self.files.get(plan.path, {})
        outside = frozenset(self.outside.get(plan.path, ()))
        on = self.on
        label = f"git {self.sha[:10]}"
        if plan.path / "plan.yaml" not in files:  # the plan is new since then
            return Base(Snapshot(self.since, on, label, (), (), plan.path), None)
        base_plan = load_plan(
            plan.path, known_rules, MemorySource(files, outside), self.parsed
        ).plan
        return Base(snapshot_of(base_plan, self.since, on, label), base_plan)
