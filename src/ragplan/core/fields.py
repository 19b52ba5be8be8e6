"""What each file kind may hold: one declaration read by the loader and by `ragplan schema`."""

from __future__ import annotations

import enum
from dataclasses import dataclass

PLAN_PARTS = ("actions", "snapshots", "risks")  # the folders of a plan that hold its files
TEMP_SUFFIX = ".ragplan-tmp"  # a file being written (write.atomic); never a plan file


class Kind(enum.Enum):
    TEXT = "text"  # a non-blank scalar, kept as written
    REF = "ref"  # text that names something: no control character, at most 64 characters
    DATE = "date"  # YYYY-MM-DD or YYYY-MM
    DAY = "day"  # YYYY-MM-DD only
    DEADLINE = "deadline"  # YYYY-MM-DD, YYYY-MM or ongoing
    RAG = "rag"  # a key of the plan's rag_scale, any case
    BOOL = "bool"  # true / false
    COUNT = "count"  # a whole number >= 0
    TEXTS = "texts"  # one text, or a list of texts
    TEXT_LIST = "text-list"  # a list of texts
    RECORDS = "records"  # a list of mappings of `spec`
    EVIDENCE = "evidence"  # a list of texts or mappings of `spec`
    RECORD = "record"  # a mapping of `spec`
    TABLE = "table"  # a mapping with free keys; values of `values`
    SEVERITY = "severity"  # error / warning / info / off
    NUMBER = "number"  # a number written as one: 72, 79.5, -3
    DIRECTION = "direction"  # higher / lower
    MEASURES = "measures"  # one text, or a list of texts and mappings of `spec`
    GRADE = "grade"  # a whole number 1..5 (likelihood, impact)
    GRADES = "grades"  # [likelihood, impact]: two grades

    # Members are singletons, equal only to themselves: hashed by identity in C rather
    # than by name in Python (Enum's), as keys on the read path (SPEC 6).
    __hash__ = object.__hash__


@dataclass(frozen=True, slots=True)
class Field:
    """One key a plan file may hold: its kind of value and what it means."""

    name: str
    kind: Kind
    description: str
    is_required: bool = False
    spec: Spec | None = None  # for RECORDS, EVIDENCE, RECORD
    values: Kind | None = None  # for TABLE
    keys: Kind = Kind.TEXT  # for TABLE: TEXT, or REF when its keys are refs
    may_be_blank: bool = False  # blank text is kept (and ignored), not an error


@dataclass(frozen=True, slots=True)
class Spec:
    """The keys of one kind of file or entry (an action, an update, ...)."""

    name: str  # what the user calls it: "action", "update"
    fields: tuple[Field, ...]
    # keys people write that must not be there, each with why and what to do instead
    refused: tuple[tuple[str, str, str], ...] = ()

    @property
    def by_name(self) -> dict[str, Field]:
        return _BY_NAME[self.name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return _REQUIRED[self.name]


EVIDENCE_ITEM = Spec(
    "evidence item",
    (
        Field("description", Kind.TEXT, "What the evidence shows", is_required=True),
        Field("link", Kind.TEXT, "A path relative to the plan folder, or an http(s) URL"),
        Field("date", Kind.DATE, "When the evidence was produced"),
    ),
)

UPDATE = Spec(
    "update",
    (
        Field("date", Kind.DATE, "When the update was made", is_required=True),
        Field("note", Kind.TEXT, "Progress in words (plain text or Markdown)"),
        Field(
            "explanation",
            Kind.TEXT,
            "Why the action is late, when it is overdue "
            "(one with no letter or digit does not count)",
            may_be_blank=True,
        ),
        Field("revised_deadline", Kind.DATE, "The new date agreed; `deadline` keeps the original"),
    ),
)

WITHDRAWAL = Spec(
    "withdrawal",
    (
        Field("date", Kind.DATE, "When the action was removed from the plan", is_required=True),
        Field("reason", Kind.TEXT, "Why it was removed", is_required=True),
    ),
)


def _point(name: str, what: str) -> Spec:
    return Spec(
        name,
        (
            Field("date", Kind.DATE, f"The date of the {what}", is_required=True),
            Field("value", Kind.NUMBER, f"The {what}'s value, a number", is_required=True),
        ),
    )


BASELINE = _point("baseline", "baseline")
TARGET = _point("target", "target")
READING = _point("reading", "reading")

MEASURE = Spec(
    "measure",
    (
        Field("name", Kind.TEXT, "What is counted", is_required=True),
        Field("id", Kind.REF, "A short code, unique in the plan (e.g. NI147)"),
        Field("unit", Kind.TEXT, "The unit the values are in, e.g. % or days"),
        Field("better", Kind.DIRECTION, "higher (the default) or lower"),
        Field("baseline", Kind.RECORD, "Where it started: {date, value}", True, spec=BASELINE),
        Field("target", Kind.RECORD, "Where it should be: {date, value}", True, spec=TARGET),
        Field("readings", Kind.RECORDS, "Values measured since, oldest first", spec=READING),
    ),
)

ACTION = Spec(
    "action",
    (
        Field("ref", Kind.REF, "Reference, unique within the plan (e.g. 3b)", is_required=True),
        Field("title", Kind.TEXT, "What will be done", is_required=True),
        Field("theme", Kind.TEXT, "The theme or workstream it belongs to"),
        Field("source", Kind.TEXT, "The finding or recommendation it answers"),
        Field("lead", Kind.TEXTS, "Operational lead: a name or a list of names", is_required=True),
        Field("strategic_lead", Kind.TEXT, "Board member accountable for it"),
        Field("start", Kind.DATE, "When work starts"),
        Field(
            "deadline",
            Kind.DEADLINE,
            "YYYY-MM-DD, YYYY-MM (end of month) or ongoing",
            is_required=True,
        ),
        Field("rag", Kind.RAG, "Current rating: a key of the plan's rag_scale", is_required=True),
        Field("completed", Kind.DATE, "When it was achieved"),
        Field("outcome", Kind.TEXT, "What success looks like"),
        Field(
            "measures",
            Kind.MEASURES,
            "Performance measures, milestones or targets: texts, or counted measures",
            spec=MEASURE,
        ),
        Field(
            "evidence",
            Kind.EVIDENCE,
            "Evidence: texts, or {description, link, date}",
            spec=EVIDENCE_ITEM,
        ),
        Field("updates", Kind.RECORDS, "Progress updates, oldest first", spec=UPDATE),
        Field(
            "withdrawn",
            Kind.RECORD,
            "Set when the action was removed from the plan",
            spec=WITHDRAWAL,
        ),
    ),
)

RISK_TARGET = Spec(
    "risk target",
    (
        Field("likelihood", Kind.GRADE, "The likelihood aimed for, 1 to 5", is_required=True),
        Field("impact", Kind.GRADE, "The impact aimed for, 1 to 5", is_required=True),
        Field("by", Kind.DATE, "When it should be reached", is_required=True),
    ),
)

REVIEW = Spec(
    "review",
    (
        Field("date", Kind.DATE, "When the risk was reviewed", is_required=True),
        Field("note", Kind.TEXT, "What the review found"),
    ),
)

CLOSURE = Spec(
    "closure",
    (
        Field("date", Kind.DATE, "When the risk was closed", is_required=True),
        Field("reason", Kind.TEXT, "Why it was closed", is_required=True),
    ),
)

RISK = Spec(
    "risk",
    (
        Field("id", Kind.REF, "Identifier, unique among the plan's risks (e.g. R3)", True),
        Field("title", Kind.TEXT, "What could happen", is_required=True),
        Field("category", Kind.TEXT, "The kind of risk"),
        Field("owner", Kind.TEXTS, "Risk owner: a name or a list of names", is_required=True),
        Field("opened", Kind.DATE, "When the risk was entered", is_required=True),
        Field("likelihood", Kind.GRADE, "Current likelihood, 1 to 5", is_required=True),
        Field("impact", Kind.GRADE, "Current impact, 1 to 5", is_required=True),
        Field("target", Kind.RECORD, "The residual risk aimed for, and when", spec=RISK_TARGET),
        Field("controls", Kind.TEXT, "Existing controls"),
        Field("responses", Kind.TEXTS, "Refs of this plan's actions that treat it: one or a list"),
        Field("outcome", Kind.TEXT, "What success looks like"),
        Field("reviews", Kind.RECORDS, "Reviews, oldest first", spec=REVIEW),
        Field("closed", Kind.RECORD, "Set when the risk is closed", spec=CLOSURE),
    ),
    refused=(
        (
            "score",
            "a risk's score is computed (likelihood x impact), so it is not written",
            "remove the `score:` line; set likelihood and impact",
        ),
    ),
)

RISK_LEVEL = Spec(
    "risk level",
    (
        Field("key", Kind.TEXT, "The level's word, e.g. high", is_required=True),
        Field("label", Kind.TEXT, "The name shown"),
        Field("max_score", Kind.COUNT, "The highest score (1 to 25) at this level", True),
    ),
)

SETTINGS = Spec(
    "settings",
    (
        Field("stale_after_days", Kind.COUNT, "An open action with no update for longer is stale"),
        Field("due_soon_days", Kind.COUNT, "How far ahead a deadline counts as due soon"),
        Field(
            "explanation_valid_days",
            Kind.COUNT,
            "How long an explanation without a revised deadline stays in force",
        ),
        Field(
            "measure_reading_days",
            Kind.COUNT,
            "A counted measure of an open action with no reading for longer is stale",
        ),
        Field(
            "risk_review_days",
            Kind.COUNT,
            "An open risk not reviewed for longer is overdue for review",
        ),
    ),
)

RAG_LEVEL = Spec(
    "rating",
    (
        Field("key", Kind.TEXT, "The word used in action files", is_required=True),
        Field("label", Kind.TEXT, "The name shown on trackers"),
        Field("meaning", Kind.TEXT, "What the rating means, for the legend"),
        Field("complete", Kind.BOOL, "true when this rating means done"),
    ),
)

PLAN = Spec(
    "plan",
    (
        Field("title", Kind.TEXT, "The plan's title", is_required=True),
        Field(
            "id", Kind.REF, "A short id for the plan in a database of many (default: its folder)"
        ),
        Field("organisation", Kind.TEXT, "Who owns the plan"),
        Field("start", Kind.DATE, "When the plan starts"),
        Field(
            "settings",
            Kind.RECORD,
            "Thresholds for stale, due soon and explanations",
            spec=SETTINGS,
        ),
        Field("rag_scale", Kind.RECORDS, "The ratings, best first", spec=RAG_LEVEL),
        Field("risk_levels", Kind.RECORDS, "The risk matrix's levels, best first", spec=RISK_LEVEL),
        Field("themes", Kind.TEXT_LIST, "When given, every action's theme must be one of these"),
        Field("people", Kind.TEXT_LIST, "When given, every lead must be one of these"),
        Field(
            "rules",
            Kind.TABLE,
            "Severity overrides: rule id -> error, warning, info or off",
            values=Kind.SEVERITY,
        ),
    ),
)

SNAPSHOT = Spec(
    "snapshot",
    (
        Field(
            "date",
            Kind.DATE,
            "The date of the board the ratings were reported to",
            is_required=True,
        ),
        Field("label", Kind.TEXT, "The board's name, e.g. Improvement Board, December 2014"),
        Field(
            "ratings",
            Kind.TABLE,
            "ref -> rating",
            is_required=True,
            values=Kind.RAG,
            keys=Kind.REF,
        ),
        Field("deadlines", Kind.TABLE, "ref -> deadline", values=Kind.DEADLINE, keys=Kind.REF),
        Field(
            "risks",
            Kind.TABLE,
            "risk id -> [likelihood, impact]",
            values=Kind.GRADES,
            keys=Kind.REF,
        ),
    ),
)

_BY_NAME: dict[str, dict[str, Field]] = {
    spec.name: {f.name: f for f in spec.fields}
    for spec in (
        EVIDENCE_ITEM,
        UPDATE,
        WITHDRAWAL,
        BASELINE,
        TARGET,
        READING,
        MEASURE,
        RISK_TARGET,
        REVIEW,
        CLOSURE,
        RISK,
        RISK_LEVEL,
        ACTION,
        SETTINGS,
        RAG_LEVEL,
        PLAN,
        SNAPSHOT,
    )
}

_REQUIRED: dict[str, tuple[str, ...]] = {
    name: tuple(f.name for f in fields.values() if f.is_required)
    for name, fields in _BY_NAME.items()
}

SPECS = {"action": ACTION, "plan": PLAN, "snapshot": SNAPSHOT, "risk": RISK}
SEVERITY_WORDS = ("error", "warning", "info", "off")
