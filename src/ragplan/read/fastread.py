"""The commonest action file, read by regular expressions: the one fast reader.

It stands in for the general path (yamltree's libyaml tree, checked by reading.Reader)
and gives exactly the values that path gives, or None, so that this module changes
only how fast a file is read, never what it means; tests/test_fastread.py holds it to
the general path on generated files in every layout it takes.

Most action files are written one way: a comment or two at the top, then each
top-level key at the start of its line with one space after the colon and a value,
or a list below it whose items are texts or `key: value` entries, one dash and one
space each. A value is plain (perhaps wrapped onto indented lines), quoted on one line,
or a block scalar (`>-`, `>`, `|-`, `|`) whose lines share one indent. LF or CRLF line
ends, with or without a byte order mark.

The patterns accept only what libyaml reads as that text, by construction: no plain
value starts with an indicator, holds `: ` or ` #`, ends in a space, or is a null
word; no quoted value holds an escape; and no character that libyaml treats specially
(tab, a lone CR, a control, a BOM inside, ...) is accepted anywhere. Anything else
(comments after the first key, flow lists, blank lines inside a list, trailing spaces,
another indent) returns None, and the general path reads the file and names what is
wrong. Each scalar is converted by the Reader itself (Reader.scalar): one set of rules
for what a date, a rating or a ref may be.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..core.fields import ACTION, EVIDENCE_ITEM, UPDATE, Kind
from .checks import Reader, remembered_day
from .yamlnodes import NULL_WORDS, Scalar


class Unread(Exception):
    """Not in the layout this module reads: the general path takes the file."""


TEXT, DATE, RECORDS, EVIDENCE = Kind.TEXT, Kind.DATE, Kind.RECORDS, Kind.EVIDENCE
_LISTS = frozenset((Kind.TEXTS, Kind.MEASURES, Kind.EVIDENCE, Kind.RECORDS))
_KINDS = {f.name: f.kind for f in ACTION.fields if f.kind is not Kind.RECORD}  # not withdrawn
_REQUIRED = ACTION.required
_UPDATE = {f.name: (None if f.may_be_blank else f.kind) for f in UPDATE.fields}
_EVIDENCE_ITEM = {f.name: f.kind for f in EVIDENCE_ITEM.fields}
_COMMENT_ODD = re.compile("[\x00-\x1f\x7f]")
_PLACE = Path("fastread")
# What Reader.scalar made of a text that many files write alike (the same rating, the
# same deadline), by text, kind and the plan's ratings: it is the same every time.
_REPEATED = frozenset((Kind.RAG, Kind.DEADLINE))
_SEEN: dict[tuple[str, Kind, Collection[str] | None], Any] = {}
_SEEN_MAX = 100_000  # Reader.scalar places its findings; none are kept here


# Characters libyaml treats specially somewhere are never
# accepted: the ASCII ones by the patterns, the others by one search of a text that
# has any. (Unicode ranges in the patterns' classes would cost 20 ms to compile.)
_ODD = r"\x00-\x1f\x7f"
_ODD_WIDE = re.compile("[\x80-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_WORD = rf"[^:#{_ODD}]"  # a character that needs no look around it
_START = rf"""[^\s:#{_ODD}\-?,\[\]{{}}&*!|>'"%@`~]"""  # no indicator, nothing odd
# A plain value's line: `:` only before a character that is not a space, `#` only after
# one, and no space at its end.
_RUN = rf"{_WORD}*(?:(?::(?=[^\s{_ODD}])|(?<=\S)#){_WORD}*)*(?<! )"
_NOT_NULL = r"(?!(?:null|Null|NULL)(?![^\n]))"
_QUOTED = rf"'(?:[^'{_ODD}]|'')*'|\"[^\"\\{_ODD}]*\""  # one line, no escape
_BLOCK_LINE = rf"[^\s{_ODD}][^{_ODD}]*(?<! )"
_KEY = r"[a-z_]+"


def _value(more: str) -> str:
    """A value after `key: `: plain, with its lines that go on (indented by `more`);
    quoted; or a block scalar's style and lines (their indent checked by _text)."""
    return (
        rf"{_NOT_NULL}{_START}{_RUN}(?:\n{more}{_START}{_RUN})*"
        rf"|{_QUOTED}|[>|]-?(?:\n{more}{_BLOCK_LINE})+"
    )


@functools.cache
def _top() -> re.Pattern[str]:
    """A top-level entry, from the start of a line: blank lines before it, its key, then
    a value or the lines of a list below it (read by _items). Every pattern here matches
    whole lines, so a line that none of them matches shows as a line not counted.
    (Compiled when first used: a few milliseconds that `new` and `update` need not pay.)"""
    value = _value(" +")
    return re.compile(rf"(?<![^\n])(\n*)({_KEY}):(?: ({value})|((?:\n(?: *- | +)[^\n]*)+))\n")


_FOLD = re.compile(r"\n +")
_NOT_PLAIN = frozenset("'\">|")


@functools.cache
def _items(indent: int) -> re.Pattern[str]:
    """A list item whose dash is `indent` spaces in: an entry (up to four `key: value`
    lines: an update's or evidence's keys, more would repeat one) or a text, each value
    with the lines it goes on over."""
    at = " " * indent
    field = _value(f"{at}   +")  # goes on beyond its key
    more = rf"(?:\n{at}  ({_KEY}): ({field}))?"
    return re.compile(
        rf"\n{at}- (?:({_KEY}): ({field}){more}{more}{more}"
        rf"|({_NOT_NULL}{_START}{_RUN}(?:\n{at} +{_START}{_RUN})*|{_QUOTED}))(?![^\n])"
    )


def read_values(data: bytes, rag_keys: Collection[str]) -> dict[str, Any] | None:
    """The values the Reader gives for an action file in the commonest layout with no
    problem, or None."""
    text = _text_of(data)
    if text is None or text[-1:] != "\n" or " #" in text or "\n#" in text:
        return None  # a comment (or what may be one) after the first key
    if not text.isascii() and _ODD_WIDE.search(text):
        return None
    try:
        return _action(text, Reader(_PLACE, rag_keys))
    except Unread:
        return None


def _text_of(data: bytes) -> str | None:
    """The file's text with LF line ends and its leading comment lines left blank (so
    that lines keep their numbers), or None where the general path must read it."""
    if len(data) > 1024 * 1024:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if text.startswith("#"):
        lines = text.split("\n")
        at = 0
        while at < len(lines) and lines[at].startswith("#"):
            if _COMMENT_ODD.search(lines[at]):
                return None
            lines[at] = ""
            at += 1
        text = "\n".join(lines)
    return text


def converted(text: str, is_plain: bool, kind: Kind, name: str, reader: Reader) -> Any:
    """A scalar's text as the Reader reads it for `kind` (not TEXT); Unread where it
    would object."""
    if is_plain and text in NULL_WORDS:
        raise Unread
    if kind is DATE:
        day = remembered_day(text, kind)
        if day is not None:
            return day
    seen = _SEEN.get((text, kind, reader.rag_keys))  # ratings and deadlines repeat
    if seen is not None:
        return seen
    if kind is Kind.TEXTS or kind is Kind.MEASURES:
        stripped = text.strip()
        if not stripped:
            raise Unread
        return (stripped,)
    if kind is EVIDENCE or kind is RECORDS:
        raise Unread
    value = reader.scalar(Scalar(text, is_plain, 1, 1), kind, name)
    if reader.findings:
        raise Unread
    if kind in _REPEATED and len(_SEEN) < _SEEN_MAX:
        _SEEN[(text, kind, reader.rag_keys)] = value  # immutable: shared by every file
    return value


def _text(raw: str) -> str:
    """A quoted value or block scalar as written -> its text."""
    first = raw[0]
    if first == '"':
        return raw[1:-1]
    if first == "'":
        return raw[1:-1].replace("''", "'")
    style, *lines = raw.split("\n")
    indent = len(lines[0]) - len(lines[0].lstrip(" "))
    pad = lines[0][:indent]
    if not all(line.startswith(pad) and line[indent] != " " for line in lines):
        raise Unread  # a line more or less indented than the first
    text = (" " if first == ">" else "\n").join([line[indent:] for line in lines])
    return text if style[-1] == "-" else text + "\n"


def _action(text: str, reader: Reader) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    positions: list[tuple[str, int, int]] = []
    line = 1  # of the next key
    kinds = _KINDS
    for gap, name, value, block in _top().findall(text):
        if gap:
            line += len(gap)
        kind = kinds.get(name)
        if kind is None or name in values:
            return None
        positions.append((name, line, 1))
        if not value:
            if kind not in _LISTS:
                return None
            values[name] = _listed(block, kind, line, reader)
            line += 1 + block.count("\n")
            continue
        if "\n" not in value and value[0] not in _NOT_PLAIN:  # the commonest: inline
            values[name] = value if kind is TEXT else converted(value, True, kind, name, reader)
        else:
            line += value.count("\n")
            values[name] = _read(value, kind, name, reader)
        line += 1
    if line - 1 != text.count("\n") or not all(name in values for name in _REQUIRED):
        return None  # a line no pattern matched, or a required key missing
    values["@"] = tuple(positions)
    return values


def _read(value: str, kind: Kind | None, name: str, reader: Reader) -> Any:
    """A value as written -> what the Reader reads for `kind` (None: an explanation)."""
    if value[0] not in _NOT_PLAIN:
        if "\n" in value:
            value = _FOLD.sub(" ", value)
        if kind is TEXT or kind is None:
            return value
        return converted(value, True, kind, name, reader)
    text = _text(value)  # not plain, so never a null word
    if kind is None:  # an explanation: blank is kept, as the Reader keeps it
        return text.strip()
    if kind is TEXT:
        stripped = text.strip()
        if not stripped:
            raise Unread
        return stripped
    return converted(text, False, kind, name, reader)


@functools.cache
def _dated(indent: int) -> re.Pattern[str]:
    """An update that is a date and a note, the commonest, whose dash is `indent` spaces
    in: what _items reads of it, in one match with two groups instead of nine."""
    at = " " * indent
    return re.compile(
        rf"\n{at}- date: ([0-9][0-9-]*)\n{at}  note: ({_value(f'{at}   +')})(?![^\n])"
    )


def _notes(block: str, indent: int, line: int, reader: Reader) -> tuple[Any, ...] | None:
    """The updates of `block` when every one is a date and a note (as _listed reads
    them), else None."""
    found = _dated(indent).findall(block)
    taken = 2 * len(found) + sum([note.count("\n") for _, note in found])
    if not found or taken != block.count("\n"):
        return None  # a line no match took: another shape of update
    column = indent + 3
    items = []
    for day, note in found:
        line += 1
        items.append(
            {
                "date": converted(day, True, DATE, "date", reader),
                "note": note
                if "\n" not in note and note[0] not in _NOT_PLAIN
                else _read(note, TEXT, "note", reader),
                "@": (("date", line, column), ("note", line + 1, column)),
            }
        )
        line += 1 + note.count("\n")
    return tuple(items)


def _listed(block: str, kind: Kind, line: int, reader: Reader) -> tuple[Any, ...]:
    """The items of a list whose lines are `block`, below the key on `line`."""
    indent = len(block) - 1 - len(block[1:].lstrip(" "))
    if kind is RECORDS:
        notes = _notes(block, indent, line, reader)
        if notes is not None:
            return notes
    column = indent + 3  # of an item's text or first key, 1-based
    items: list[Any] = []
    first = line
    for *pairs, plain in _items(indent).findall(block):
        line += 1
        if plain:
            if kind is RECORDS:
                raise Unread
            text = _read(plain, TEXT, "", reader)
            if kind is EVIDENCE:
                items.append({"description": text, "@": (("description", line, column),)})
            else:
                items.append(text)
            line += plain.count("\n")
            continue
        if kind is not EVIDENCE and kind is not RECORDS:
            raise Unread  # a counted measure, or a mapping where names go
        fields = _UPDATE if kind is RECORDS else _EVIDENCE_ITEM
        entry: dict[str, Any] = {}
        positions = []
        for at in range(0, 8, 2):
            name = pairs[at]
            if not name:
                break
            if name in entry or name not in fields:
                raise Unread
            value = pairs[at + 1]
            positions.append((name, line, column))
            held = fields[name]  # how the value is read
            if "\n" not in value and value[0] not in _NOT_PLAIN:  # the commonest: inline
                if held is not TEXT and held is not None:
                    value = converted(value, True, held, name, reader)
                entry[name] = value
                line += 1
                continue
            entry[name] = _read(value, held, name, reader)
            line += 1 + value.count("\n")
        line -= 1
        if ("date" if kind is RECORDS else "description") not in entry:
            raise Unread
        entry["@"] = tuple(positions)
        items.append(entry)
    if line - first != block.count("\n"):
        raise Unread  # a line no pattern matched
    return tuple(items)
