"""Changes to one action file that touch only the lines they are about (`ragplan update`).

The file is not re-serialised. The reader's tree (read.yamltree, from libyaml's
events) gives the start and end of every value; the
new lines are spliced into the text as written, in the file's own indentation and
line ends, after its BOM. Everything else stays byte for byte: comments, key order,
quoting, flow lists, long lines, blank lines, and plain text wrapped over several
lines (which a round-trip through ruamel.yaml re-wraps).

The caller reads the result back with the loader and compares it with what was
asked for before anything is written (authoring.py).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.fields import ACTION
from ..read.yamlnodes import Mapping, Node, Scalar, Sequence
from ..read.yamltree import parse_text
from . import yamlout

_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_KEY_ORDER = ACTION.names
DEFAULT_SEQUENCE_INDENT = 2  # `key:` then `  - item`, as `ragplan new` writes


class EditError(ValueError):
    """The file is written in a way these edits do not handle; str() says what to do."""


@dataclass(slots=True)
class _Node:
    kind: str  # "scalar", "mapping" or "sequence"
    start: tuple[int, int]  # (line, column), 0-based
    end: tuple[int, int]
    style: str | None = None  # scalars: None (plain), "'", '"', "|", ">"
    is_flow: bool = False
    text: str = ""
    pairs: list[tuple[_Node, _Node]] = field(default_factory=list)
    items: list[_Node] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Item:
    """A list item to append: plain text, or a mapping of (key, text, is_date) in order."""

    text: str | None = None
    pairs: tuple[tuple[str, str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class Edit:
    """What to change in an action file; None or empty: leave it as it is."""

    rag: str | None = None
    completed: str | None = None
    evidence: tuple[Item, ...] = ()
    updates: tuple[Item, ...] = ()


def apply(data: bytes, edit: Edit) -> bytes:
    """The file's bytes with `edit` made, all else untouched."""
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    text = data[len(bom) :].decode("utf-8")
    doc = _Document(text)
    if edit.rag is not None:
        doc.set_scalar("rag", edit.rag)
    if edit.completed is not None:
        doc.set_scalar("completed", edit.completed, is_date=True)
    if edit.evidence:
        doc.append_items("evidence", edit.evidence)
    if edit.updates:
        doc.append_items("updates", edit.updates)
    return bom + doc.result().encode("utf-8")


class _Document:
    def __init__(self, text: str) -> None:
        self.text = text
        found = _LINE_BREAK.search(text)
        self.newline = found.group() if found and found.group() in ("\n", "\r\n") else "\n"
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        self.splices: list[tuple[int, int, str]] = []  # (start, end, new text)
        self.ended = False  # a line end was added to a last line that had none
        root = _tree(text)
        if root is None or root.kind != "mapping":
            raise EditError("the file does not hold `key: value` lines")
        if root.is_flow:
            raise EditError(
                "the file is written as one {...} mapping; edit it by hand, "
                "or rewrite it as `key: value` lines"
            )
        self.root = root
        self.keys = {k.text: (k, v) for k, v in root.pairs}
        self.key_column = root.start[1]

    def offset(self, at: tuple[int, int]) -> int:
        line, column = at
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + column

    def after_line(self, line: int) -> int:
        """The offset where the line after `line` starts (the end of the text at the end)."""
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)

    def lines_after(self, line: int, lines: list[str]) -> None:
        """Insert whole lines after `line`."""
        at = self.after_line(line)
        ends_open = self.text and not self.text.endswith(("\n", "\r"))
        if at == len(self.text) and ends_open and not self.ended:
            self.splices.append((at, at, self.newline))  # the last line gets a line end, once
            self.ended = True
        self.splices.append((at, at, self.newline.join(lines) + self.newline))

    def line_text(self, line: int) -> str:
        return self.text[self.starts[line] : self.after_line(line)]

    def result(self) -> str:
        text = self.text
        # last first, so offsets stay true; at one offset, in the order they were made
        order = sorted(range(len(self.splices)), key=lambda i: (self.splices[i][0], i))
        for index in reversed(order):
            start, end, new = self.splices[index]
            text = text[:start] + new + text[end:]
        return text

    def set_scalar(self, key: str, value: str, is_date: bool = False) -> None:
        """Replace a top-level scalar, keeping its quotes; add the key when absent."""
        found = self.keys.get(key)
        new = yamlout.day(value) if is_date else yamlout.scalar(value)
        if found is None:
            line = self._end_line_of_predecessor(key)
            self.lines_after(line, [" " * self.key_column + f"{key}: {new}"])
            return
        key_node, node = found
        if node.kind != "scalar":
            raise EditError(f"'{key}' holds a list or mapping; write one value there by hand")
        if node.style in ("'", '"') and new == value:
            new = f"{node.style}{value}{node.style}"
        if node.style is None and node.text == "":  # `key:` with nothing after it
            colon = self.text.index(":", self.offset(key_node.end))
            self.splices.append((colon + 1, colon + 1, f" {new}"))
            return
        self.splices.append((self.offset(node.start), self._scalar_end(node), new))

    def append_items(self, key: str, items: tuple[Item, ...]) -> None:
        """Append items to a top-level list, creating it when absent or empty."""
        found = self.keys.get(key)
        if found is None:
            line = self._end_line_of_predecessor(key)
            self.lines_after(line, [" " * self.key_column + f"{key}:", *self._block(items)])
            return
        key_node, node = found
        if node.kind == "sequence" and node.is_flow:
            self._append_flow(node, items)
        elif node.kind == "sequence":
            dash = node.start[1]  # a block list starts at its first `-`
            first = node.items[0]
            gap = first.start[1] - dash if first.start[0] == node.start[0] else 2
            if node.items[-1].is_flow:  # `- {date: ..., note: ...}`: the same style
                pad = " " * dash + "-" + " " * (max(gap, 2) - 1)
                lines = [pad + self._flow_item(item) for item in items]
            else:
                lines = self._items(items, dash, max(gap, 2))
            self.lines_after(self._end_line(node), lines)
        elif node.kind == "scalar" and node.style is None and node.text in ("", "~", "null"):
            colon = self.text.index(":", self.offset(key_node.end))
            if node.text:  # `key: ~` or `key: null`: the marker goes, a comment stays
                self.splices.append((colon + 1, self.offset(node.end), ""))
            self.lines_after(bisect.bisect_right(self.starts, colon) - 1, self._block(items))
        else:
            raise EditError(f"'{key}' is not a list; make it a list by hand first")

    @staticmethod
    def _flow_item(item: Item) -> str:
        if item.pairs:
            return yamlout.flow_mapping(list(item.pairs))
        return yamlout.scalar(item.text or "", flow=True)

    def _append_flow(self, node: _Node, items: tuple[Item, ...]) -> None:
        closing = self.offset(node.end) - 1  # node.end is just after `]`
        joined = ", ".join(self._flow_item(item) for item in items)
        self.splices.append((closing, closing, (", " if node.items else "") + joined))

    def _block(self, items: tuple[Item, ...]) -> list[str]:
        indent = self.key_column + self._sequence_indent()
        return self._items(items, indent, 2)

    def _items(self, items: tuple[Item, ...], dash: int, gap: int) -> list[str]:
        lines: list[str] = []
        first = " " * dash + "-" + " " * (gap - 1)
        for item in items:
            if not item.pairs:
                lines.append(first + yamlout.scalar(item.text or ""))
                continue
            body: list[str] = []
            for key, text, is_date in item.pairs:
                body += yamlout.entry(key, text, dash + gap, is_date)
            body[0] = first + body[0][dash + gap :]
            lines += body
        return lines

    def _sequence_indent(self) -> int:
        """How far this file indents a top-level list's `-` under its key."""
        for key_node, node in self.root.pairs:
            if node.kind == "sequence" and not node.is_flow:
                return max(node.start[1] - key_node.start[1], 0)
        return DEFAULT_SEQUENCE_INDENT

    def _end_line_of_predecessor(self, key: str) -> int:
        """The last line of the entry a new `key` goes after: the nearest key before it
        in the documented order, else the last entry of the file."""
        order = _KEY_ORDER.index(key)
        for name in reversed(_KEY_ORDER[:order]):
            if name in self.keys:
                return self._end_line(self.keys[name][1])
        return self._end_line(self.root.pairs[-1][1])

    def _end_line(self, node: _Node) -> int:
        """The last line a value's own text is on."""
        if node.kind == "scalar":
            line, column = node.end
            if node.style in ("|", ">") and column == 0 and line > node.start[0]:
                line -= 1  # a block ends at the start of the line after it
                if not node.text.endswith("\n\n"):  # blank lines after it are not its own
                    while line > node.start[0] and not self.line_text(line).strip():
                        line -= 1
            return line
        if node.is_flow:
            return node.end[0]
        last = node.pairs[-1][1] if node.kind == "mapping" else node.items[-1]
        return self._end_line(last)

    def _scalar_end(self, node: _Node) -> int:
        if node.style in ("|", ">"):
            return self.after_line(self._end_line(node)) - len(self.newline)
        return self.offset(node.end)


def _tree(text: str) -> _Node | None:
    """The document's values with their start and end positions (0-based), from the
    reader's own tree (read.yamltree: the one walker of libyaml's events)."""
    root, problems = parse_text(text, Path("action.yaml"))
    return None if root is None or problems else _node(root)


def _node(node: Node) -> _Node:
    start = (node.line - 1, node.column - 1)
    end = (node.end_line - 1, node.end_column - 1)
    if type(node) is Scalar:
        return _Node("scalar", start, end, style=node.style, text=node.text)
    if type(node) is Mapping:
        pairs = [(_node(key), _node(value)) for key, value in node.pairs]
        return _Node("mapping", start, end, is_flow=node.is_flow, pairs=pairs)
    assert type(node) is Sequence
    items = [_node(item) for item in node.items]
    return _Node("sequence", start, end, is_flow=node.is_flow, items=items)
