"""An action file in the usual layout, read in one pass over its lines (SPEC 6).

The general path (blockyaml or libyaml to a tree, then the Reader) reads every
file and words every problem. Most action files look alike: top-level `key: value`
lines, then lists of texts (lead, evidence, measures) and of `key: value` entries
(updates, evidence). This module reads those straight into the values the Reader
would give, with no tree, and returns None for anything else: another layout, a
problem, a value it would have to judge. The general path then reads the file, so
this module changes only how fast a valid file is read, never what it means.
tests/test_quickread.py holds both paths to the same Action on generated files.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .blockyaml import (
    BLOCK_SCALARS,
    INDICATORS,
    LINE,
    continued,
    has_odd_character,
    plain_words,
    value_at,
)
from .valuekinds import (
    ACTION,
    EVIDENCE,
    EVIDENCE_ITEM,
    LISTS,
    MEASURES,
    REQUIRED,
    TEXT,
    TEXTS,
    UPDATE,
    UPDATES,
    Unread,
    converted,
)
from .yamlnodes import NULL_WORDS, Scalar

Row = tuple[str, str, str, str, str]  # indent, dash, key, spaces after its colon, rest

_NOT_PLAIN = INDICATORS | frozenset("[{")  # values that start so take the longer way


def _plain(rest: str) -> tuple[str, bool]:
    """A plain value as blockyaml reads it, and whether lines below may continue it
    (not after a comment)."""
    words = plain_words(rest)
    if words is None:
        raise Unread
    return words, " #" not in rest


def read_values(text: str, rag_keys: Collection[str] | None) -> dict[str, Any] | None:
    """The values the Reader would give for an action file with no problem, or None."""
    if rag_keys is None:
        return None
    if has_odd_character(text):
        return None
    try:
        return _Lines(text, rag_keys).action()
    except Unread:
        return None


class _Lines:
    """The rows of one file and the place reached in them."""

    def __init__(self, text: str, rag_keys: Collection[str]) -> None:
        self.rows: list[Row] = LINE.findall(text)
        self.at = 0  # the next row to read
        self.ends_open = not text.endswith("\n")
        self.rag_keys = rag_keys

    def action(self) -> dict[str, Any]:
        rows = self.rows
        count = len(rows)
        values: dict[str, Any] = {}
        positions: list[tuple[str, int, int]] = []
        at = 0
        while at < count:
            spaces, dash, name, after, rest = rows[at]
            at += 1
            if not name:
                if dash or (rest and rest[0] != "#"):
                    raise Unread
                continue  # a blank or comment line
            if spaces or dash or name in values:
                raise Unread
            kind = ACTION.get(name)
            if kind is None:
                raise Unread
            positions.append((name, at, 1))
            if not rest or rest[0] == "#":  # a list below
                if kind not in LISTS:
                    raise Unread
                self.at = at
                values[name] = self.listed(kind)
                at = self.at
                continue
            if kind is TEXT and rest[0] not in _NOT_PLAIN:  # the commonest line, inline
                words, may_go_on = _plain(rest)
                if words in NULL_WORDS:
                    raise Unread
                if may_go_on and at < count and rows[at][0]:
                    self.at = at
                    words = self.goes_on(words, 0)
                    at = self.at
                values[name] = words.strip()
                continue
            self.at = at
            scalar = self.scalar(rest, at, len(name) + len(after) + 2, 0)
            values[name] = self.convert(scalar, kind, name)
            at = self.at
        if not all(name in values for name in REQUIRED):
            raise Unread
        values["@"] = tuple(positions)
        return values

    def scalar(self, rest: str, line: int, column: int, parent: int) -> Scalar:
        """The value starting at `column` of row `line`, with the rows it goes on over
        (a plain scalar's next lines, a block scalar's lines), which are then passed."""
        if rest[0] not in _NOT_PLAIN:  # plain: value_at's reading, without the call
            words, may_go_on = _plain(rest)
            at = self.at
            if may_go_on and at < len(self.rows) and len(self.rows[at][0]) > parent:
                words = self.goes_on(words, parent)
            return Scalar(words, True, line, column)
        if rest in BLOCK_SCALARS:
            return Scalar(self.block_scalar(rest, parent), False, line, column)
        value = value_at(rest, line, column)
        if type(value) is not Scalar:
            if value is None or rest[0] != "[":
                raise Unread
            return value  # type: ignore[return-value]  # a flow list, for lead
        return value

    def goes_on(self, text: str, parent: int) -> str:
        """A plain scalar with the lines that continue it (indented more than `parent`)."""
        rows = self.rows
        at = self.at
        gap = False
        while at < len(rows):
            spaces, dash, name, _after, rest = rows[at]
            if not (dash or name) and (not rest or rest[0] == "#"):
                gap = True
                at += 1
                continue
            if len(spaces) <= parent:
                break
            words = None if gap or dash or name else continued(rest)
            if words is None:
                raise Unread
            text += " " + words
            at += 1
            self.at = at
        return text

    def block_scalar(self, style: str, parent: int) -> str:
        """`>-`, `>`, `|-` or `|` and its lines, all at one indent with no blank line
        among them."""
        rows = self.rows
        lines: list[str] = []
        indent = 0
        gap = False
        at_end = True  # no line after it: then its last line break is not in the file
        while self.at < len(rows):
            spaces, dash, name, after, rest = rows[self.at]
            if not (dash or name or rest):
                if spaces:
                    raise Unread
                gap = True
                self.at += 1
                continue
            if len(spaces) <= parent:
                at_end = False
                break
            indent = indent or len(spaces)
            if len(spaces) != indent or gap or rest[-1:] == " ":
                raise Unread
            lines.append(dash + (name + ":" + after if name else "") + rest)
            self.at += 1
        if not lines:
            raise Unread
        text = (" " if style[0] == ">" else "\n").join(lines)
        return text if style[-1] == "-" or (at_end and self.ends_open) else text + "\n"

    def listed(self, kind: int) -> Any:
        """The list under a `key:` line: texts, or entries of `key: value` lines."""
        rows = self.rows
        items: list[Any] = []
        indent = -1
        while self.at < len(rows):
            spaces, dash, name, after, rest = rows[self.at]
            if not (dash or name) and (not rest or rest[0] == "#"):
                self.at += 1
                continue
            if indent < 0:
                if not dash:
                    raise Unread
                indent = len(spaces)
            elif len(spaces) < indent or (len(spaces) == indent and not dash):
                break
            if len(spaces) != indent or not dash:
                raise Unread
            self.at += 1
            line = self.at
            column = indent + len(dash)  # 0-based
            if name:
                if kind is TEXTS or kind is MEASURES:
                    raise Unread  # a counted measure, or a mapping where names go
                items.append(self.entry(kind, name, after, rest, line, column))
                continue
            if not rest or rest[0] == "#" or rest in BLOCK_SCALARS:
                raise Unread
            value = value_at(rest, line, column + 1)
            if type(value) is not Scalar:
                raise Unread
            if value.is_plain and " #" not in rest:
                value.text = self.goes_on(value.text, indent)
            text = self.text(value)
            if kind is EVIDENCE:
                items.append({"description": text, "@": (("description", line, column + 1),)})
            elif kind is UPDATES:
                raise Unread
            else:
                items.append(text)
        if not items:
            raise Unread
        return tuple(items)

    def entry(
        self, kind: int, name: str, after: str, rest: str, line: int, column: int
    ) -> dict[str, Any]:
        """An update or evidence entry: `- key: value` and the `key: value` lines under it."""
        fields = UPDATE if kind is UPDATES else EVIDENCE_ITEM
        values: dict[str, Any] = {}
        positions: list[tuple[str, int, int]] = []
        rows = self.rows
        while True:
            if name in values or name not in fields or not rest or rest[0] == "#":
                raise Unread
            positions.append((name, line, column + 1))
            scalar = self.scalar(rest, line, column + len(name) + len(after) + 2, column)
            field = fields[name]
            if field is None:  # an explanation: blank is kept, as the Reader keeps it
                if type(scalar) is not Scalar or (scalar.is_plain and scalar.text in NULL_WORDS):
                    raise Unread
                values[name] = scalar.text.strip()
            else:
                values[name] = self.convert(scalar, field, name)
            while self.at < len(rows):  # the entry's next key, past blank and comment lines
                spaces, dash, name, after, rest = rows[self.at]
                if dash or name or (rest and rest[0] != "#"):
                    break
                self.at += 1
            else:
                break
            if len(spaces) != column or dash or not name:
                if len(spaces) > column:
                    raise Unread
                break
            self.at += 1
            line = self.at
        required = "date" if kind is UPDATES else "description"
        if required not in values:
            raise Unread
        values["@"] = tuple(positions)
        return values

    def text(self, scalar: Scalar) -> str:
        text = scalar.text
        if scalar.is_plain and text in NULL_WORDS:
            raise Unread
        stripped = text.strip()
        if not stripped:
            raise Unread
        return stripped

    def convert(self, scalar: Any, kind: int, name: str) -> Any:
        """A scalar as the Reader reads it for `kind`; Unread where it would object."""
        if type(scalar) is not Scalar:  # a flow list
            if kind is not TEXTS or not scalar.items:
                raise Unread
            return tuple(self.text(item) for item in scalar.items)
        if kind is TEXT:
            return self.text(scalar)
        return converted(scalar.text, scalar.is_plain, kind, name, self.rag_keys)
