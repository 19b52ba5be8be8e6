"""The tree a YAML file is read into: scalars (text as written), mappings and
sequences, each with its 1-based line and column where it starts, and where it ends
(just after it), which write.editing splices new lines by."""

from __future__ import annotations

from typing import TypeAlias

NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))


class Scalar:
    __slots__ = ("column", "end_column", "end_line", "is_plain", "line", "style", "text")

    def __init__(
        self,
        text: str,
        is_plain: bool,
        line: int,
        column: int,
        style: str | None = None,  # None (plain), "'", '"', "|" or ">"
        end_line: int = 0,
        end_column: int = 0,
    ) -> None:
        self.text = text
        self.is_plain = is_plain
        self.line = line
        self.column = column
        self.style = style
        self.end_line = end_line
        self.end_column = end_column

    @property
    def is_null(self) -> bool:
        return self.is_plain and self.text in NULL_WORDS


class Mapping:
    __slots__ = ("column", "end_column", "end_line", "is_flow", "line", "pairs")

    def __init__(self, line: int, column: int, is_flow: bool = False) -> None:
        self.pairs: list[tuple[Scalar, Node]] = []
        self.line = line
        self.column = column
        self.is_flow = is_flow
        self.end_line = self.end_column = 0


class Sequence:
    __slots__ = ("column", "end_column", "end_line", "is_flow", "items", "line")

    def __init__(self, line: int, column: int, is_flow: bool = False) -> None:
        self.items: list[Node] = []
        self.line = line
        self.column = column
        self.is_flow = is_flow
        self.end_line = self.end_column = 0


Node: TypeAlias = Scalar | Mapping | Sequence
