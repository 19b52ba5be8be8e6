"""What each key of an action file holds, and a scalar read as the Reader reads it for
that kind: shared by the two quick readers (patternread, quickread), which leave any
value the Reader would object to, by raising Unread, to the general path."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .dates import DateError, parse_day
from .fields import Kind
from .model import Day, Deadline
from .names import name_problem
from .reading import remember_day, remembered_day
from .yamlnodes import NULL_WORDS


class Unread(Exception):
    """Not in the layout this module reads: the general path takes the file."""


# How each key's value is read; a key not here (withdrawn, unknown) is left to the Reader.
TEXT, REF, DATE, DEADLINE, RAG, TEXTS, MEASURES, EVIDENCE, UPDATES = range(9)
ACTION = {
    "ref": REF,
    "title": TEXT,
    "theme": TEXT,
    "source": TEXT,
    "lead": TEXTS,
    "strategic_lead": TEXT,
    "start": DATE,
    "deadline": DEADLINE,
    "rag": RAG,
    "completed": DATE,
    "outcome": TEXT,
    "measures": MEASURES,
    "evidence": EVIDENCE,
    "updates": UPDATES,
}
REQUIRED = ("ref", "title", "lead", "deadline", "rag")
_DAY = Kind.DATE  # looked up once: an enum member's lookup is not free
LISTS = frozenset((TEXTS, MEASURES, EVIDENCE, UPDATES))
UPDATE = {"date": DATE, "note": TEXT, "explanation": None, "revised_deadline": DATE}
EVIDENCE_ITEM = {"description": TEXT, "link": TEXT, "date": DATE}


def converted(text: str, is_plain: bool, kind: int, name: str, rag_keys: Collection[str]) -> Any:
    """A scalar's text as the Reader reads it for `kind` (not TEXT); Unread where it
    would object."""
    if kind is DATE:  # the commonest after text: most are dates read before
        day = remembered_day(text, _DAY)
        if day is not None:
            return day
    if kind is TEXTS or kind is MEASURES:
        stripped = text.strip()
        if (is_plain and text in NULL_WORDS) or not stripped:
            raise Unread
        return (stripped,)
    if kind is EVIDENCE or kind is UPDATES:
        raise Unread
    if is_plain and text in NULL_WORDS:
        raise Unread
    if kind is DATE:
        try:
            day = Day(parse_day(text), text)
        except DateError:
            raise Unread from None
        remember_day(text, _DAY, day)
        return day
    if kind is DEADLINE:
        if text.lower() == "ongoing":
            return Deadline(None, "ongoing")
        try:
            return Deadline(parse_day(text), text)
        except DateError:
            raise Unread from None
    if kind is RAG:
        key = text.strip().lower()
        if key not in rag_keys:
            raise Unread
        return key
    ref = text.strip()  # REF
    if not ref or name_problem(ref) is not None:
        raise Unread
    return ref
