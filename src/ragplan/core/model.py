"""The plan as typed, frozen records: what the loader builds and everything else reads."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file, 1-based, as editors count."""

    path: Path
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    __hash__ = object.__hash__  # as fields.Kind's: by identity, in C


class Arrow(enum.Enum):
    UP = "↑"
    DOWN = "↓"
    SAME = "↔"
    NEW = "new"


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in a plan: its rule, place, and how to fix it."""

    rule: str  # "overdue-unexplained", or a structure id such as "schema"
    severity: Severity
    message: str  # "3b was due 28 Feb 2015 (2 days ago)"
    where: Location
    hint: str | None = None  # "add an update with an explanation, or a revised_deadline"
    ref: str | None = None
    plan: Path | None = None
    has_line: bool = True  # False for findings about a whole file or plan


def located(path: Path, positions: tuple[tuple[str, int, int], ...], key: str | None) -> Location:
    """Where `key` stands in a file (its first key's place when absent)."""
    for name, line, column in positions:
        if name == key:
            return Location(path, line, column)
    if positions:
        return Location(path, positions[0][1], positions[0][2])
    return Location(path, 1, 1)


@dataclass(frozen=True, slots=True)
class Day:
    """A date from a file, with the text it was written as (`2015-02` is the month's last day)."""

    value: date
    text: str


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline: a Day, or `ongoing` (due is None: never overdue)."""

    due: date | None
    text: str


@dataclass(frozen=True, slots=True)
class RagLevel:
    """One rating of the plan's scale (Red, Amber, ...)."""

    key: str
    label: str
    meaning: str
    is_complete: bool


@dataclass(frozen=True, slots=True)
class Settings:
    """The plan's limits: when an action is stale, due soon, explained."""

    stale_after_days: int = 31
    due_soon_days: int = 14
    explanation_valid_days: int = 31
    measure_reading_days: int = 92
    risk_review_days: int = 92


@dataclass(frozen=True, slots=True)
class Evidence:
    """A piece of evidence an action cites, perhaps with a link."""

    description: str
    link: str | None
    on: date | None
    where: Location


@dataclass(frozen=True, slots=True)
class Update:
    """A dated progress note, perhaps explaining a delay or revising the deadline."""

    on: date
    note: str | None
    explanation: str | None
    revised_deadline: Day | None
    where: Location

    @property
    def content(self) -> tuple[date, str | None, str | None, Day | None]:
        """What the update says, wherever it stands in the file."""
        return (self.on, self.note, self.explanation, self.revised_deadline)


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """When and why an action was withdrawn."""

    on: date
    reason: str


@dataclass(frozen=True, slots=True)
class Point:
    """A dated value of a counted measure: its baseline, target or a reading."""

    on: date
    value: float
    where: Location


@dataclass(frozen=True, slots=True)
class Measure:
    """A counted measure (SPEC 9): a baseline, a target and readings."""

    name: str
    id: str | None
    unit: str | None
    higher_is_better: bool
    baseline: Point
    target: Point
    readings: tuple[Point, ...]
    where: Location


@dataclass(frozen=True, slots=True)
class Action:
    """One action file: a row of the tracker."""

    ref: str
    title: str
    leads: tuple[str, ...]
    deadline: Deadline
    rag: str  # a key of the plan's rag_scale, lower case
    path: Path
    positions: tuple[tuple[str, int, int], ...]  # (key, line, column) of each top-level key
    theme: str | None = None
    source: str | None = None
    strategic_lead: str | None = None
    start: date | None = None
    completed: date | None = None
    outcome: str | None = None
    measures: tuple[str, ...] = ()  # the text measures
    counted: tuple[Measure, ...] = ()  # the counted measures (SPEC 9)
    evidence: tuple[Evidence, ...] = ()
    updates: tuple[Update, ...] = ()
    withdrawn: Withdrawal | None = None

    def where(self, key: str | None = None) -> Location:
        """The location of `key` in the file, else of the file's first key."""
        return located(self.path, self.positions, key)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The ratings (and deadlines, risk scores) a board saw on a date."""

    name: str
    on: date
    label: str | None
    ratings: tuple[tuple[str, str], ...]  # (ref, rag key)
    deadlines: tuple[tuple[str, Deadline], ...]
    path: Path
    risks: tuple[tuple[str, tuple[int, int]], ...] = ()  # (risk id, (likelihood, impact))
    # each ref's rating, made when first asked for: a plan of 10,000 actions asks for
    # every one (a search of the tuple each time would take seconds; SPEC 6)
    _by_ref: dict[str, str] | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )

    def grades_of(self, risk_id: str) -> tuple[int, int] | None:
        for key, grades in self.risks:
            if key == risk_id:
                return grades
        return None

    def rating_of(self, ref: str) -> str | None:
        """The rating given for `ref` (the first, if a ref is given twice)."""
        by_ref = self._by_ref
        if by_ref is None:
            by_ref = {}
            for key, rag in self.ratings:
                by_ref.setdefault(key, rag)
            object.__setattr__(self, "_by_ref", by_ref)  # a cache: the value never changes
        return by_ref.get(ref)


@dataclass(frozen=True, slots=True)
class RiskLevel:
    """One level of the plan's risk scale, by the highest score it takes."""

    key: str
    label: str
    max_score: int  # the highest likelihood x impact at this level


DEFAULT_RISK_LEVELS: tuple[RiskLevel, ...] = (
    RiskLevel("low", "Low", 4),
    RiskLevel("medium", "Medium", 12),
    RiskLevel("high", "High", 25),
)


@dataclass(frozen=True, slots=True)
class Review:
    """A dated review of a risk."""

    on: date
    note: str | None


@dataclass(frozen=True, slots=True)
class Risk:
    """One entry of the risk register (SPEC 8)."""

    id: str
    title: str
    owners: tuple[str, ...]
    opened: date
    likelihood: int
    impact: int
    path: Path
    positions: tuple[tuple[str, int, int], ...]
    category: str | None = None
    target: tuple[int, int, date] | None = None  # (likelihood, impact, by)
    controls: str | None = None
    responses: tuple[str, ...] = ()
    outcome: str | None = None
    reviews: tuple[Review, ...] = ()
    closed: tuple[date, str] | None = None  # (date, reason)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    def where(self, key: str | None = None) -> Location:
        """The location of `key` in the file, else of the file's first key."""
        return located(self.path, self.positions, key)


DEFAULT_SCALE: tuple[RagLevel, ...] = (
    RagLevel("blue", "Blue", "The improvement has been achieved and evidenced", True),
    RagLevel(
        "green",
        "Green",
        "The project is on target to succeed. The timeline/cost/objectives are within plan.",
        False,
    ),
    RagLevel(
        "amber",
        "Amber",
        "The project has a problem but action is being taken to resolve this OR a potential "
        "problem has been identified and no action may be taken at this time but it is being "
        "carefully monitored. The timeline/cost/objectives may be at risk.",
        False,
    ),
    RagLevel(
        "red",
        "Red",
        "The project requires remedial action to achieve objectives. "
        "The timeline/cost/objectives are at risk.",
        False,
    ),
)


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan folder: plan.yaml, its actions, snapshots and risks."""

    title: str
    path: Path  # the plan folder
    organisation: str | None = None
    start: date | None = None
    settings: Settings = Settings()
    rag_scale: tuple[RagLevel, ...] = DEFAULT_SCALE
    themes: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    rules: tuple[tuple[str, str], ...] = ()  # (rule id, "error"|"warning"|"info"|"off")
    actions: tuple[Action, ...] = ()
    snapshots: tuple[Snapshot, ...] = field(default=())
    risk_levels: tuple[RiskLevel, ...] = DEFAULT_RISK_LEVELS
    risks: tuple[Risk, ...] = ()
    positions: tuple[tuple[str, int, int], ...] = ()  # (key, line, column) in plan.yaml
    id: str | None = None  # plan.yaml's `id:`, for a database of many plans

    def level(self, key: str) -> RagLevel:
        for level in self.rag_scale:
            if level.key == key:
                return level
        raise KeyError(key)

    def rank(self, key: str) -> int:
        """Position of a rating on the scale: 0 is the best."""
        for index, level in enumerate(self.rag_scale):
            if level.key == key:
                return index
        raise KeyError(key)
