"""The commonest action file, read by regular expressions (SPEC 6).

Most action files are written one way: each top-level key at the start of its line
with one space after the colon and a value, or a list below it whose items are texts
or `key: value` entries, one dash and one space each. A value is plain (perhaps
wrapped onto indented lines), quoted on one line, or a block scalar (`>-`, `>`, `|-`,
`|`) whose lines share one indent. Here the `re` engine does the line-by-line work
that quickread does in Python, and only the keys are walked: about half the time.

The patterns accept only what libyaml reads as that text, by construction: no plain
value starts with an indicator, holds `: ` or ` #`, ends in a space, or is a null
word; no quoted value holds an escape; and no character that libyaml treats specially
(tab, CR, a control, a BOM, ...) is accepted anywhere. Anything else (comments, flow
lists, blank lines inside a list, trailing spaces, another indent) returns None and
quickread reads the file; so this module changes only how fast a file is read, never
what it means.
tests/test_patternread.py holds it to quickread and to the general path.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from typing import Any

from .valuekinds import (
    ACTION,
    DATE,
    EVIDENCE,
    EVIDENCE_ITEM,
    LISTS,
    REQUIRED,
    TEXT,
    UPDATE,
    UPDATES,
    Unread,
    converted,
)

# Characters libyaml treats specially somewhere (blockyaml's _ODD_CHARACTER) are never
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


def read_values(text: str, rag_keys: Collection[str] | None) -> dict[str, Any] | None:
    """The values the Reader would give for an action file in the commonest layout with
    no problem (as quickread gives them), or None."""
    if rag_keys is None or text[-1:] != "\n" or " #" in text or "\n#" in text:
        return None  # a comment (or what may be one) goes to quickread at once
    if not text.isascii() and _ODD_WIDE.search(text):
        return None
    try:
        return _action(text, rag_keys)
    except Unread:
        return None


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


def _action(text: str, rag_keys: Collection[str]) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    positions: list[tuple[str, int, int]] = []
    line = 1  # of the next key
    kinds = ACTION
    for gap, name, value, block in _top().findall(text):
        if gap:
            line += len(gap)
        kind = kinds.get(name)
        if kind is None or name in values:
            return None
        positions.append((name, line, 1))
        if not value:
            if kind not in LISTS:
                return None
            values[name] = _listed(block, kind, line, rag_keys)
            line += 1 + block.count("\n")
            continue
        if "\n" not in value and value[0] not in _NOT_PLAIN:  # the commonest: inline
            values[name] = value if kind is TEXT else converted(value, True, kind, name, rag_keys)
        else:
            line += value.count("\n")
            values[name] = _read(value, kind, name, rag_keys)
        line += 1
    if line - 1 != text.count("\n") or not all(name in values for name in REQUIRED):
        return None  # a line no pattern matched, or a required key missing
    values["@"] = tuple(positions)
    return values


def _read(value: str, kind: int | None, name: str, rag_keys: Collection[str]) -> Any:
    """A value as written -> what the Reader reads for `kind` (None: an explanation)."""
    if value[0] not in _NOT_PLAIN:
        if "\n" in value:
            value = _FOLD.sub(" ", value)
        if kind is TEXT or kind is None:
            return value
        return converted(value, True, kind, name, rag_keys)
    text = _text(value)  # not plain, so never a null word
    if kind is None:  # an explanation: blank is kept, as the Reader keeps it
        return text.strip()
    if kind is TEXT:
        stripped = text.strip()
        if not stripped:
            raise Unread
        return stripped
    return converted(text, False, kind, name, rag_keys)


@functools.cache
def _dated(indent: int) -> re.Pattern[str]:
    """An update that is a date and a note, the commonest, whose dash is `indent` spaces
    in: what _items reads of it, in one match with two groups instead of nine."""
    at = " " * indent
    return re.compile(
        rf"\n{at}- date: ([0-9][0-9-]*)\n{at}  note: ({_value(f'{at}   +')})(?![^\n])"
    )


def _notes(block: str, indent: int, line: int, rag_keys: Collection[str]) -> tuple[Any, ...] | None:
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
                "date": converted(day, True, DATE, "date", rag_keys),
                "note": note
                if "\n" not in note and note[0] not in _NOT_PLAIN
                else _read(note, TEXT, "note", rag_keys),
                "@": (("date", line, column), ("note", line + 1, column)),
            }
        )
        line += 1 + note.count("\n")
    return tuple(items)


def _listed(block: str, kind: int, line: int, rag_keys: Collection[str]) -> tuple[Any, ...]:
    """The items of a list whose lines are `block`, below the key on `line`."""
    indent = len(block) - 1 - len(block[1:].lstrip(" "))
    if kind is UPDATES:
        notes = _notes(block, indent, line, rag_keys)
        if notes is not None:
            return notes
    column = indent + 3  # of an item's text or first key, 1-based
    items: list[Any] = []
    first = line
    for *pairs, plain in _items(indent).findall(block):
        line += 1
        if plain:
            if kind is UPDATES:
                raise Unread
            text = _read(plain, TEXT, "", rag_keys)
            if kind is EVIDENCE:
                items.append({"description": text, "@": (("description", line, column),)})
            else:
                items.append(text)
            line += plain.count("\n")
            continue
        if kind is not EVIDENCE and kind is not UPDATES:
            raise Unread  # a counted measure, or a mapping where names go
        fields = UPDATE if kind is UPDATES else EVIDENCE_ITEM
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
                    value = converted(value, True, held, name, rag_keys)
                entry[name] = value
                line += 1
                continue
            entry[name] = _read(value, held, name, rag_keys)
            line += 1 + value.count("\n")
        line -= 1
        if ("date" if kind is UPDATES else "description") not in entry:
            raise Unread
        entry["@"] = tuple(positions)
        items.append(entry)
    if line - first != block.count("\n"):
        raise Unread  # a line no pattern matched
    return tuple(items)


# A snapshot in its commonest form: `date:`, perhaps `label:`, then `ratings:` with one
# `ref: rating` line each, the ref plain or in single quotes (SPEC 6: a board of
# 10,000 actions has a snapshot of 10,000 lines, read before any action). Every line
# must be one of these, or the general path reads the file and names what is wrong.
_SNAPSHOT_PAIR = re.compile(
    r"(?<![^\n])  (?:'([\x20-\x26\x28-\x7e]{1,64})'|([A-Za-z0-9][A-Za-z0-9._/-]{0,63})): "
    r"([A-Za-z]+)\n"
)
_SNAPSHOT_HEAD = re.compile(r"(date|label): ([A-Za-z0-9][A-Za-z0-9 ,.()/&-]*(?<! ))")
_NULLS = frozenset(("null", "Null", "NULL"))


def snapshot_values(text: str, rag_keys: Collection[str] | None) -> dict[str, Any] | None:
    """The values the Reader gives for a snapshot file in the commonest form with no
    problem (what read_snapshot uses of them), or None."""
    if rag_keys is None or not text.isascii():
        return None
    head, found, block = text.partition("ratings:\n")
    if not found or (head and head[-1] != "\n"):
        return None
    values: dict[str, Any] = {}
    for line in head.splitlines():
        match = _SNAPSHOT_HEAD.fullmatch(line)
        if match is None or match[1] in values:
            return None
        values[match[1]] = match[2]
    if "date" not in values:
        return None
    try:
        values["date"] = converted(values["date"], True, DATE, "date", rag_keys)
    except Unread:
        return None
    pairs = _SNAPSHOT_PAIR.findall(block)
    if len(pairs) != block.count("\n") or not block.endswith("\n") or not pairs:
        return None  # a line no pattern matched
    ratings = tuple((quoted or plain, rag.lower(), None) for quoted, plain, rag in pairs)
    refs = {ref for ref, _, _ in ratings}
    if len(refs) != len(ratings) or refs & _NULLS:
        return None  # a ref given twice, or a null word
    if not {rag for _, rag, _ in ratings} <= set(rag_keys):
        return None  # a rating the plan does not have
    values["ratings"] = ratings
    return values
