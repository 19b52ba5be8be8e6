"""Plan folders -> Plans, with every structure problem as a Finding (SPEC 1).

Each file is read once, as bytes, confined to the repository (Source); an action file
in the commonest layout by the one fast reader (fastread, which gives libyaml's result
or declines), any other file as libyaml's tree checked field by field (reading).
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from ..core.errors import InputError
from ..core.fields import PLAN_PARTS, SPECS, TEMP_SUFFIX
from ..core.model import (
    DEFAULT_RISK_LEVELS,
    DEFAULT_SCALE,
    Action,
    Day,
    Evidence,
    Finding,
    Location,
    Measure,
    Plan,
    Point,
    RagLevel,
    Review,
    Risk,
    RiskLevel,
    Settings,
    Severity,
    Snapshot,
    Update,
    Withdrawal,
)
from ..core.names import name_problem
from .cache import is_inside
from .checks import Reader
from .fastread import read_values as fast_values
from .places import boundary_of, find_plan_folders
from .yamltree import parse

YAML_SUFFIXES = (".yaml", ".yml")
# Most plan files are read in one call of _FIRST bytes: a larger buffer would be taken
# from the system (and given back) for every file, which costs more than reading it.
_FIRST = 16 * 1024
_CHUNK = 256 * 1024
_MOST = 64 * 1024 * 1024  # bytes read of any one file
ActionResult = tuple[Action | None, tuple[Finding, ...]]


class Source:
    """Where plan files come from: the disk, confined to `boundary` (SPEC 1).

    A file reached through a symbolic link that resolves outside `boundary` (the
    repository, or the plan root outside git) is listed but never read.
    """

    def __init__(self, boundary: Path | None = None) -> None:
        self.boundary = boundary
        self.outside: set[Path] = set()

    def read(self, path: Path) -> bytes:
        try:
            # O_NONBLOCK: a file swapped for a FIFO after the listing cannot hang the run
            handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file", None) from None
        except OSError as error:
            raise InputError(
                f"{path}: cannot be read ({error.strerror})", "check the file's permissions"
            ) from None
        try:
            data = os.read(handle, _FIRST)  # a plain file: shorter than asked only at its end
            if len(data) == _FIRST:
                parts, size = [data], len(data)
                # a file far past the most a plan file may hold is not read to its end:
                # what was read is enough to say it is too large
                while size <= _MOST and (chunk := os.read(handle, _CHUNK)):
                    parts.append(chunk)
                    size += len(chunk)
                data = b"".join(parts)
        except OSError as error:
            raise InputError(
                f"{path}: cannot be read ({error.strerror})", "check that it is a plain file"
            ) from None
        finally:
            os.close(handle)
        return data

    def is_missing(self, folder: Path) -> bool:
        return not folder.is_dir()

    def is_missing_file(self, path: Path) -> bool:
        return not os.path.lexists(path)

    def is_outside(self, path: Path) -> bool:
        """True when `path` is reached through a link out of the boundary (see yaml_files)."""
        if self.boundary is not None and path.name == "plan.yaml":
            return not is_inside(path, self.boundary)
        return path in self.outside

    def yaml_files(self, folder: Path) -> tuple[list[Path], list[Finding]]:
        """The plan files of `folder` (actions/, snapshots/ or risks/), in name order, and
        a finding for every other entry there (SPEC 1: nothing in a plan folder is passed
        over in silence: a file named otherwise, a folder, a link to nothing or to what
        is no plain file, a pipe, a device). Links out of the repository are marked
        outside (is_outside), never read."""
        try:
            entries = sorted(os.scandir(folder), key=attrgetter("name"))
        except (FileNotFoundError, NotADirectoryError):
            return [], []
        except OSError as error:
            raise InputError(
                f"{folder}: cannot be read ({error.strerror})", "check the folder's permissions"
            ) from None
        paths: list[Path] = []
        strays: list[Finding] = []
        linked_out = self.boundary is not None and not is_inside(folder, self.boundary)
        for entry in entries:
            path = folder / entry.name
            problem = stray_problem(entry)
            if problem is not None:
                strays.append(stray_finding(path, *problem))
                continue
            paths.append(path)
            if self.boundary is not None and (
                linked_out or (entry.is_symlink() and not is_inside(path, self.boundary))
            ):
                self.outside.add(path)
        return paths, strays


def stray_problem(entry: os.DirEntry[str]) -> tuple[str, str] | None:
    """Why an entry of a plan's actions/, snapshots/ or risks/ is not a plan file, and
    what to do; None for a plan file (a `.yaml` or `.yml` plain file, or a link to one)."""
    name = entry.name
    is_plain_file = entry.is_file(follow_symlinks=False)  # from the listing: no stat
    if is_plain_file and name.endswith(YAML_SUFFIXES) and name[0] != ".":
        return None  # the usual case
    if name == ".gitkeep" and is_plain_file:
        return None  # keeps an empty folder in git; holds nothing ragplan would read
    if name.endswith(TEMP_SUFFIX):
        return (
            f"{name} is left from a write that was interrupted",
            "delete it (the file it was writing is as it was before)",
        )
    try:
        target = entry.stat()  # through a link
    except OSError:
        return (
            f"{name} is a symbolic link to nothing",
            "replace the link with the file itself, or delete it",
        )
    if stat.S_ISDIR(target.st_mode):
        return (
            f"{name} is a folder: plan files sit directly in {Path(entry.path).parent.name}/",
            "move its files up a level (or out of the plan), then remove the folder",
        )
    if not stat.S_ISREG(target.st_mode):
        return (
            f"{name} is not a plain file (a named pipe, a socket or a device)",
            "delete it, or replace it with the file itself",
        )
    if name.startswith("."):
        return (f"{name} is a hidden file, so a reviewer may not see it", "rename it, or delete it")
    if not name.endswith(YAML_SUFFIXES):
        stem = name.rstrip().rsplit(".", 1)[0] if "." in name else name
        return (
            f"{name} is not read: plan files are named NAME.yaml or NAME.yml (lower case)",
            f"rename it {stem.strip()}.yaml, or move it out of the plan",
        )
    return None


def stray_finding(path: Path, message: str, hint: str) -> Finding:
    return Finding(
        "not-a-plan-file", Severity.ERROR, message, Location(path, 1, 1), hint, has_line=False
    )


class MemorySource(Source):
    """Files held in memory, e.g. read from git objects at a revision."""

    def __init__(self, files: dict[Path, bytes], outside: frozenset[Path] = frozenset()) -> None:
        super().__init__()
        self.files = files
        self.outside = set(outside)
        self.folders: dict[Path, list[Path]] = {}
        for path in (*files, *outside):
            self.folders.setdefault(path.parent, []).append(path)

    def read(self, path: Path) -> bytes:
        return self.files[path]

    def is_outside(self, path: Path) -> bool:
        return path in self.outside

    def is_missing(self, folder: Path) -> bool:
        return False  # git keeps no empty folder: an old plan's missing actions/ is no news

    def is_missing_file(self, path: Path) -> bool:
        return path not in self.files and path not in self.outside

    def yaml_files(self, folder: Path) -> tuple[list[Path], list[Finding]]:
        return sorted(self.folders.get(folder, ()), key=attrgetter("name")), []


@dataclass(frozen=True, slots=True)
class PlanLoad:
    """One plan folder as read: the plan, its structure findings, how many files were read."""

    plan: Plan
    findings: tuple[Finding, ...]
    files: int


class Parsed:
    """The action files parsed in this run, with their bytes: a second load of the same
    bytes under the same ratings (the base of `--since` or `diff`) reuses the result."""

    def __init__(self) -> None:
        self.results: dict[tuple[Path, tuple[str, ...] | None], tuple[bytes, ActionResult]] = {}

    def put(
        self, path: Path, rag_keys: tuple[str, ...] | None, data: bytes, result: ActionResult
    ) -> None:
        self.results[(path, rag_keys)] = (data, result)

    def get(self, path: Path, rag_keys: tuple[str, ...] | None, data: bytes) -> ActionResult | None:
        found = self.results.get((path, rag_keys))
        return found[1] if found is not None and found[0] == data else None

    def files(self) -> dict[str, tuple[Path, bytes, str]]:
        """The files parsed, by the path's text: the Path, the bytes and git's name of them."""
        return {
            str(path): (path, data, git_name(data)) for (path, _), (data, _) in self.results.items()
        }


def git_name(data: bytes) -> str:
    """The name git gives a file with these bytes (SHA-1; a SHA-256 repository's names
    never match it, so its files are all fetched)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True, slots=True)
class Loaded:
    """Every plan at or below a folder, with what was found reading them."""

    plans: tuple[Plan, ...]
    findings: tuple[Finding, ...]
    files: int = 0  # files read, for the summary line
    parsed: Parsed | None = None  # kept when asked for, for a second load (since.py)
    read: tuple[Path, ...] = field(default=(), compare=False)  # every file read

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def actions(self) -> int:
        return sum(len(plan.actions) for plan in self.plans)


def load(
    root: Path,
    known_rules: Collection[str] = (),
    folders: list[Path] | None = None,
    keep_parsed: bool = False,
) -> Loaded:
    """Every plan at or below `root`, and every structure problem in its files
    (`keep_parsed`: keep what was parsed, for a base that shares most files)."""
    folders = find_plan_folders(root) if folders is None else folders
    source = Source(boundary_of(root))
    parsed = Parsed() if keep_parsed else None
    # Plans make many objects and no cycles: the cyclic collector's passes over them
    # would cost a tenth of reading, and a full pass after it more, and free nothing. So
    # it is paused while reading, and what was read is then kept out of its sight.
    paused = gc.isenabled()
    gc.disable()
    try:
        results = [load_plan(folder, known_rules, source, parsed) for folder in folders]
    finally:
        gc.freeze()
        if paused:
            gc.enable()
    return Loaded(
        tuple(r.plan for r in results),
        tuple(f for r in results for f in r.findings),
        sum(r.files for r in results),
        parsed,
    )


def load_plan(
    folder: Path,
    known_rules: Collection[str] = (),
    source: Source | None = None,
    parsed: Parsed | None = None,
) -> PlanLoad:
    """One plan folder as a Plan, with the structure findings of all its files
    (reusing what `parsed` holds for identical bytes)."""
    source = source or Source(boundary_of(folder))
    base, findings, is_readable = read_plan_yaml(folder, known_rules, source)
    if not is_readable:
        return PlanLoad(Plan(title=folder.name, path=folder), _placed(findings, folder), 1)
    rag_keys = None if base is None else tuple(level.key for level in base.rag_scale)
    snapshots, snapshot_files = _read_part(
        folder / "snapshots", source, findings, lambda data, p: read_snapshot(data, p, rag_keys)
    )
    risks, risk_files = _read_part(folder / "risks", source, findings, read_risk)
    actions: list[Action] = []
    paths, strays = source.yaml_files(folder / "actions")
    findings.extend(strays)
    if not paths and not strays and source.is_missing(folder / "actions"):
        findings.append(
            Finding(
                "missing-actions",
                Severity.ERROR,
                f"{folder.name} has no actions/ folder, so none of its actions is read",
                Location(folder / "plan.yaml", 1, 1),
                "put the plan's action files in actions/ beside plan.yaml",
                has_line=False,
            )
        )
    for path in paths:
        if source.is_outside(path):
            findings.append(outside_finding(path))
            continue
        data = source.read(path)
        result = None if parsed is None else parsed.get(path, rag_keys, data)
        if result is None:
            result = read_action(data, path, rag_keys)
            if parsed is not None:
                parsed.put(path, rag_keys, data, result)
        action, found = result
        if action is not None:
            actions.append(action)
        findings.extend(found)
    files = 1 + len(paths) + snapshot_files + risk_files
    if base is None:  # ratings were not checked against a scale: no action can be judged
        return PlanLoad(
            Plan(title=folder.name, path=folder, risks=risks), _placed(findings, folder), files
        )
    plan = replace(base, path=folder, actions=tuple(actions), snapshots=snapshots, risks=risks)
    return PlanLoad(plan, _placed(findings, folder), files)


def _placed(findings: list[Finding], folder: Path) -> tuple[Finding, ...]:
    return tuple(_with_plan(f, folder) for f in findings)


def read_plan_yaml(
    folder: Path, known_rules: Collection[str], source: Source
) -> tuple[Plan | None, list[Finding], bool]:
    """A folder's plan.yaml (see read_plan_file), and False when it links out of the
    repository: then nothing in the folder may be read."""
    path = folder / "plan.yaml"
    if source.is_outside(path):
        return None, [outside_finding(path)], False
    if source.is_missing_file(path):
        parts = [f"{part}/" for part in PLAN_PARTS if not source.is_missing(folder / part)]
        return (
            None,
            [
                Finding(
                    "missing-plan",
                    Severity.ERROR,
                    f"{folder} holds {' and '.join(parts) or 'plan files'} but no plan.yaml, "
                    "so none of it is read as a plan",
                    Location(path, 1, 1),
                    "restore plan.yaml (at least `title: ...`), or move the folder out of "
                    "the plans",
                    has_line=False,
                )
            ],
            False,
        )
    return (*read_plan_file(source.read(path), path, folder, known_rules), True)


T = TypeVar("T")


def _read_part(
    folder: Path,
    source: Source,
    findings: list[Finding],
    read: Callable[[bytes, Path], tuple[T | None, Sequence[Finding]]],
) -> tuple[tuple[T, ...], int]:
    """The records of one of a plan's folders of files (snapshots/, risks/), read by
    `read`, and how many files it holds; every problem goes to `findings`."""
    records: list[T] = []
    paths, strays = source.yaml_files(folder)
    findings.extend(strays)
    for path in paths:
        if source.is_outside(path):
            findings.append(outside_finding(path))
            continue
        record, found = read(source.read(path), path)
        if record is not None:
            records.append(record)
        findings.extend(found)
    return tuple(records), len(paths)


def outside_finding(path: Path) -> Finding:
    """A plan file reached through a link out of the repository: named, never shown."""
    return Finding(
        "symlink-outside",
        Severity.ERROR,
        f"{path.name} is a symbolic link to a file outside the repository, so it is not read",
        Location(path, 1, 1),
        "replace the link with the file itself, or point it at a file inside the repository",
        has_line=False,
    )


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


def parse_record(
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
    spec = SPECS[spec_name]
    return reader.record(tree, spec), reader


def read_action(
    data: bytes, path: Path, rag_keys: Collection[str] | None
) -> tuple[Action | None, tuple[Finding, ...]]:
    """One action file: the Action (None when unusable) and its findings.

    A file in the commonest layout is read by fastread; any other, and any file with a
    problem, by the general path, which names every problem."""
    values = None if rag_keys is None else fast_values(data, rag_keys)
    if values is None:
        values, reader = parse_record(data, path, rag_keys, "action")
        if values is None or reader.findings:
            return None, tuple(reader.findings)
    return action_from(values, path), ()


def action_from(values: dict[str, Any], path: Path) -> Action:
    """The Action that the Reader's values of an action file (with no problem) describe."""
    measures = values.get("measures")
    evidence = values.get("evidence")
    updates = values.get("updates")
    withdrawn = values.get("withdrawn")
    start = values.get("start")
    completed = values.get("completed")
    return Action(
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
        start=None if start is None else start.value,
        completed=None if completed is None else completed.value,
        outcome=values.get("outcome"),
        measures=() if measures is None else tuple([m for m in measures if type(m) is str]),
        counted=()
        if measures is None
        else tuple([_measure(path, m) for m in measures if type(m) is dict]),
        evidence=()
        if evidence is None
        else tuple(
            [
                Evidence(e["description"], e.get("link"), _day(e.get("date")), _at(path, e, 0))
                for e in evidence
            ]
        ),
        updates=()
        if updates is None
        else tuple(
            [
                Update(
                    u["date"].value,
                    u.get("note"),
                    u.get("explanation"),
                    u.get("revised_deadline"),
                    Location(path, u["@"][0][1], u["@"][0][2]),
                )
                for u in updates
            ]
        ),
        withdrawn=None
        if withdrawn is None
        else Withdrawal(withdrawn["date"].value, withdrawn["reason"]),
    )


def _measure(path: Path, values: dict[str, Any]) -> Measure:
    readings = tuple(_point(path, r) for r in values.get("readings", ()))
    return Measure(
        name=values["name"],
        id=values.get("id"),
        unit=values.get("unit"),
        higher_is_better=values.get("better", "higher") == "higher",
        baseline=_point(path, values["baseline"]),
        target=_point(path, values["target"]),
        readings=readings,
        where=_at(path, values, 0),
    )


def _point(path: Path, values: dict[str, Any]) -> Point:
    return Point(values["date"].value, values["value"], _at(path, values, 0))


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
    values, reader = parse_record(data, path, None, "plan")
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
            settings.get("measure_reading_days", defaults.measure_reading_days),
            settings.get("risk_review_days", defaults.risk_review_days),
        ),
        rag_scale=scale,
        themes=values.get("themes", ()),
        people=values.get("people", ()),
        rules=tuple(rules),
        risk_levels=_risk_levels(values, reader, path),
        positions=values["@"],
        id=values.get("id"),
    )
    return plan, reader.findings


def _risk_levels(values: dict[str, Any], reader: Reader, path: Path) -> tuple[RiskLevel, ...]:
    """plan.yaml's risk matrix (SPEC 8), best first, its last level reaching 25."""
    given = values.get("risk_levels")
    if not given:
        return DEFAULT_RISK_LEVELS
    levels = tuple(
        RiskLevel(v["key"].lower(), v.get("label") or v["key"].title(), v["max_score"])
        for v in given
        if "key" in v and "max_score" in v
    )
    where = Location(path, given[0]["@"][0][1] if given[0]["@"] else 1, 1)
    scores = [level.max_score for level in levels]
    if scores != sorted(set(scores)) or not scores or scores[-1] < 25 or scores[0] < 1:
        reader.findings.append(
            Finding(
                "schema",
                Severity.ERROR,
                "risk_levels must rise: each max_score higher than the one before, the "
                "last at least 25 (5 x 5)",
                where,
                "e.g. low 4, medium 12, high 25",
            )
        )
        return DEFAULT_RISK_LEVELS
    return levels


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
    values, reader = parse_record(data, path, rag_keys, "snapshot")
    findings = reader.findings
    if values is None or findings:
        return None, findings
    stem = path.name.rsplit(".", 1)[0]
    problem = name_problem(stem, "the snapshot's name (its file name)")
    if problem is not None:
        findings.append(
            Finding(
                "schema",
                Severity.ERROR,
                problem,
                Location(path, 1, 1),
                "rename the file: a board date such as 2015-01.yaml makes a good name",
                has_line=False,
            )
        )
        return None, findings
    snapshot = Snapshot(
        name=stem,
        on=values["date"].value,
        label=values.get("label"),
        ratings=tuple((ref, rag) for ref, rag, _ in values["ratings"]),
        deadlines=tuple((ref, deadline) for ref, deadline, _ in values.get("deadlines", ())),
        path=path,
        risks=tuple((key, grades) for key, grades, _ in values.get("risks", ())),
    )
    return snapshot, findings


def read_risk(data: bytes, path: Path) -> tuple[Risk | None, list[Finding]]:
    """A risk file of risks/ (None when unusable) and its findings (SPEC 8)."""
    values, reader = parse_record(data, path, None, "risk")
    if values is None or reader.findings:
        return None, reader.findings
    target = values.get("target")
    closed = values.get("closed")
    risk = Risk(
        id=values["id"],
        title=values["title"],
        owners=values["owner"],
        opened=values["opened"].value,
        likelihood=values["likelihood"],
        impact=values["impact"],
        path=path,
        positions=values["@"],
        category=values.get("category"),
        target=None
        if target is None
        else (target["likelihood"], target["impact"], target["by"].value),
        controls=values.get("controls"),
        responses=values.get("responses", ()),
        outcome=values.get("outcome"),
        reviews=tuple(Review(r["date"].value, r.get("note")) for r in values.get("reviews", ())),
        closed=None if closed is None else (closed["date"].value, closed["reason"]),
    )
    return risk, reader.findings
