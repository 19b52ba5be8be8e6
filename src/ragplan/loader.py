"""Plan folders -> Plans, with every structure problem as a Finding (SPEC 1).

The read path is built for SPEC 6: libyaml events (yamltree), one pass of checks
(reading), and a cache of each action file's result keyed by its bytes.
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
from collections.abc import Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .cache import ResultCache, StatKey, decode_action, encode_action, stat_key
from .errors import InputError
from .fields import ACTION, PLAN, SNAPSHOT
from .model import (
    DEFAULT_SCALE,
    Action,
    Day,
    Evidence,
    Finding,
    Location,
    Plan,
    RagLevel,
    Settings,
    Severity,
    Snapshot,
    Update,
    Withdrawal,
)
from .reading import Reader
from .yamltree import parse

YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = frozenset(("actions", "snapshots", "evidence", "node_modules", "templates"))


class Source:
    """Where plan files come from: the disk."""

    def read(self, path: Path) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file", None) from None
        except OSError as error:
            raise InputError(
                f"{path}: cannot be read ({error.strerror})", "check the file's permissions"
            ) from None

    def stat_key(self, path: Path) -> StatKey | None:
        return stat_key(path)

    def yaml_files(self, folder: Path) -> list[Path]:
        try:
            names = sorted(
                e.name
                for e in os.scandir(folder)
                if e.name.endswith(YAML_SUFFIXES) and not e.name.startswith(".") and e.is_file()
            )
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            raise InputError(
                f"{folder}: cannot be read ({error.strerror})", "check the folder's permissions"
            ) from None
        return [folder / name for name in names]


class MemorySource(Source):
    """Files held in memory, e.g. read from git objects at a revision."""

    def __init__(self, files: dict[Path, bytes]) -> None:
        self.files = files

    def read(self, path: Path) -> bytes:
        return self.files[path]

    def stat_key(self, path: Path) -> StatKey | None:
        return None  # only the bytes can tell

    def yaml_files(self, folder: Path) -> list[Path]:
        return sorted(p for p in self.files if p.parent == folder)


DISK = Source()


@dataclass(frozen=True, slots=True)
class PlanLoad:
    """One plan folder as read: the plan, its structure findings, how many files were read."""

    plan: Plan
    findings: tuple[Finding, ...]
    files: int


@dataclass(frozen=True, slots=True)
class Loaded:
    plans: tuple[Plan, ...]
    findings: tuple[Finding, ...]
    files: int = 0  # files read, for the summary line

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


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


def load(
    root: Path, known_rules: Collection[str] = (), cache_dir: Path | None = None, workers: int = 1
) -> Loaded:
    """Every plan at or below `root`, and every structure problem in its files.

    With several plans and `workers` > 1, the second half of the plans is read in a
    forked process while this one reads the first (SPEC 6 on a 2-core machine).
    """
    folders = find_plan_folders(root)
    results: list[PlanLoad] = []
    if (
        workers > 1
        and len(folders) >= 4
        and "fork" in multiprocessing.get_all_start_methods()
        and not _mostly_cached(folders, cache_dir)
    ):
        half = len(folders) // 2
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            later = pool.submit(_load_plans_packed, folders[half:], tuple(known_rules), cache_dir)
            results = _load_plans(folders[:half], tuple(known_rules), cache_dir)
            results += [_unpack(*packed) for packed in later.result()]
    else:
        results = _load_plans(folders, tuple(known_rules), cache_dir)
    return Loaded(
        tuple(r.plan for r in results),
        tuple(f for r in results for f in r.findings),
        sum(r.files for r in results),
    )


def _load_plans_packed(
    folders: list[Path], known_rules: tuple[str, ...], cache_dir: Path | None
) -> list[tuple[PlanLoad, bytes]]:
    """Plans with their actions as one marshal blob each: pickling 5,000 frozen
    dataclasses back to the parent costs more than reading them did."""
    packed = []
    for result in _load_plans(folders, known_rules, cache_dir):
        rows = tuple((str(a.path), encode_action(a)) for a in result.plan.actions)
        bare = replace(result, plan=replace(result.plan, actions=()))
        packed.append((bare, marshal.dumps(rows)))
    return packed


def _unpack(result: PlanLoad, rows: bytes) -> PlanLoad:
    actions = tuple(decode_action(Path(path), row) for path, row in marshal.loads(rows))
    return replace(result, plan=replace(result.plan, actions=actions))


def _mostly_cached(folders: list[Path], cache_dir: Path | None) -> bool:
    """True when most plans have a cache file: then one process is faster than two,
    as sending plans back from a worker costs more than decoding them here."""
    if cache_dir is None:
        return False
    cached = sum(
        1
        for f in folders
        if ResultCache.file_for(cache_dir, f, DISK.read(f / "plan.yaml")).exists()
    )
    return cached * 2 >= len(folders)


def _load_plans(
    folders: list[Path], known_rules: tuple[str, ...], cache_dir: Path | None
) -> list[PlanLoad]:
    return [load_plan(folder, known_rules, cache_dir) for folder in folders]


def load_plan(
    folder: Path,
    known_rules: Collection[str] = (),
    cache_dir: Path | None = None,
    source: Source = DISK,
    update_cache: bool = True,
) -> PlanLoad:
    """One plan folder as a Plan, with the structure findings of all its files."""
    plan_path = folder / "plan.yaml"
    plan_bytes = source.read(plan_path)
    base, findings = read_plan_file(plan_bytes, plan_path, folder, known_rules)
    rag_keys = None if base is None else tuple(level.key for level in base.rag_scale)
    cache = ResultCache(cache_dir, folder, plan_bytes)
    actions: list[Action] = []
    action_paths = source.yaml_files(folder / "actions")
    for path in action_paths:
        key = source.stat_key(path)
        result = cache.get_unread(path, key)
        if result is None:
            data = source.read(path)
            result = cache.get(path, data, key)
            if result is None:
                result = read_action(data, path, rag_keys)
                cache.put(path, data, key, result)
        action, action_findings = result
        if action is not None:
            actions.append(action)
        findings.extend(action_findings)
    if update_cache:
        cache.save()
    snapshots: list[Snapshot] = []
    snapshot_paths = source.yaml_files(folder / "snapshots")
    for path in snapshot_paths:
        snapshot, snapshot_findings = read_snapshot(source.read(path), path, rag_keys)
        if snapshot is not None:
            snapshots.append(snapshot)
        findings.extend(snapshot_findings)
    if base is None:  # ratings were not checked against a scale: nothing here can be judged
        base = Plan(title=folder.name, path=folder)
        actions, snapshots = [], []
    plan = replace(base, path=folder, actions=tuple(actions), snapshots=tuple(snapshots))
    files = 1 + len(action_paths) + len(snapshot_paths)
    return PlanLoad(plan, tuple(_with_plan(f, folder) for f in findings), files)


def _with_plan(finding: Finding, folder: Path) -> Finding:
    return Finding(
        finding.rule,
        finding.severity,
        finding.message,
        finding.where,
        finding.hint,
        finding.ref,
        folder,
        finding.has_line,
    )


def _parse_record(
    data: bytes, path: Path, rag_keys: Collection[str] | None, spec_name: str
) -> tuple[dict[str, Any] | None, Reader]:
    reader = Reader(path, rag_keys)
    tree, problems = parse(data, path)
    reader.findings.extend(problems)
    if tree is None:
        if not problems:
            reader.findings.append(
                Finding(
                    "schema",
                    Severity.ERROR,
                    "the file is empty",
                    Location(path, 1, 1),
                    f"write the {spec_name}'s fields, or delete the file",
                    has_line=False,
                )
            )
        return None, reader
    spec = {"action": ACTION, "plan": PLAN, "snapshot": SNAPSHOT}[spec_name]
    return reader.record(tree, spec), reader


def read_action(
    data: bytes, path: Path, rag_keys: Collection[str] | None
) -> tuple[Action | None, tuple[Finding, ...]]:
    """One action file: the Action (None when unusable) and its findings."""
    values, reader = _parse_record(data, path, rag_keys, "action")
    if values is None or reader.findings:
        return None, tuple(reader.findings)
    withdrawn = values.get("withdrawn")
    action = Action(
        ref=values["ref"],
        title=values["title"],
        leads=values["lead"],
        deadline=values["deadline"],
        rag=values["rag"],
        path=path,
        positions=values["@"],
        theme=values.get("theme"),
        source=values.get("source"),
        strategic_lead=values.get("strategic_lead"),
        start=_day(values.get("start")),
        completed=_day(values.get("completed")),
        outcome=values.get("outcome"),
        measures=values.get("measures", ()),
        evidence=tuple(
            Evidence(e["description"], e.get("link"), _day(e.get("date")), _at(path, e, 0))
            for e in values.get("evidence", ())
        ),
        updates=tuple(
            Update(
                u["date"].value,
                u.get("note"),
                u.get("explanation"),
                u.get("revised_deadline"),
                _at(path, u, 0),
            )
            for u in values.get("updates", ())
        ),
        withdrawn=None
        if withdrawn is None
        else Withdrawal(withdrawn["date"].value, withdrawn["reason"]),
    )
    return action, ()


def _day(day: Day | None) -> Any:
    return None if day is None else day.value


def _at(path: Path, values: dict[str, Any], index: int) -> Location:
    positions = values["@"]
    if not positions:
        return Location(path, 1, 1)
    return Location(path, positions[index][1], positions[index][2])


def read_plan_file(
    data: bytes, path: Path, folder: Path, known_rules: Collection[str]
) -> tuple[Plan | None, list[Finding]]:
    """plan.yaml: a Plan without actions (None when unusable), and its findings."""
    values, reader = _parse_record(data, path, None, "plan")
    if values is None:
        return None, reader.findings
    scale = _scale(values, reader)
    rules = []
    for rule_id, severity, key in values.get("rules", ()):
        if known_rules and rule_id not in known_rules:
            reader.problem(
                key,
                f"unknown rule '{rule_id}' in 'rules'",
                "run `ragplan rules` to list the rule ids",
            )
        else:
            rules.append((rule_id, severity))
    settings = values.get("settings") or {}
    defaults = Settings()
    plan = Plan(
        title=values.get("title", folder.name),
        path=folder,
        organisation=values.get("organisation"),
        start=_day(values.get("start")),
        settings=Settings(
            settings.get("stale_after_days", defaults.stale_after_days),
            settings.get("due_soon_days", defaults.due_soon_days),
            settings.get("explanation_valid_days", defaults.explanation_valid_days),
        ),
        rag_scale=scale,
        themes=values.get("themes", ()),
        people=values.get("people", ()),
        rules=tuple(rules),
    )
    return plan, reader.findings


def _scale(values: dict[str, Any], reader: Reader) -> tuple[RagLevel, ...]:
    entries = values.get("rag_scale")
    if entries is None:
        return DEFAULT_SCALE
    levels: list[RagLevel] = []
    for entry in entries:
        key = entry.get("key")
        if key is None:
            continue
        key = key.lower()
        if any(level.key == key for level in levels):
            line, column = entry["@"][0][1:]
            reader.findings.append(
                Finding(
                    "schema",
                    Severity.ERROR,
                    f"rating '{key}' is listed twice in rag_scale",
                    Location(reader.path, line, column),
                    "keep one entry per rating",
                )
            )
            continue
        levels.append(
            RagLevel(
                key,
                entry.get("label", key.title()),
                entry.get("meaning", ""),
                entry.get("complete", False),
            )
        )
    if not levels:
        positions = dict((name, (line, col)) for name, line, col in values["@"])
        line, column = positions.get("rag_scale", (1, 1))
        reader.findings.append(
            Finding(
                "schema",
                Severity.ERROR,
                "rag_scale lists no ratings",
                Location(reader.path, line, column),
                "list the ratings best first, each with a key, or remove rag_scale for the "
                "default Blue/Green/Amber/Red",
            )
        )
        return DEFAULT_SCALE
    return tuple(levels)


def read_snapshot(
    data: bytes, path: Path, rag_keys: Collection[str] | None
) -> tuple[Snapshot | None, list[Finding]]:
    """A snapshot file (None when unusable) and its findings."""
    values, reader = _parse_record(data, path, rag_keys, "snapshot")
    if values is None or reader.findings:
        return None, reader.findings
    stem = path.name.rsplit(".", 1)[0]
    snapshot = Snapshot(
        name=stem,
        on=values["date"].value,
        label=values.get("label"),
        ratings=tuple((ref, rag) for ref, rag, _ in values["ratings"]),
        deadlines=tuple((ref, deadline) for ref, deadline, _ in values.get("deadlines", ())),
        path=path,
    )
    return snapshot, reader.findings
