"""The tree a YAML file is read into: scalars (text as written), mappings and
sequences, each with its 1-based line and column."""

from __future__ import annotations

from typing import TypeAlias

NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))


class Scalar:
    __slots__ = ("column", "is_plain", "line", "text")

    def __init__(self, text: str, is_plain: bool, line: int, column: int) -> None:
        self.text = text
        self.is_plain = is_plain
        self.line = line
        self.column = column

    @property
    def is_null(self) -> bool:
        return self.is_plain and self.text in NULL_WORDS


class Mapping:
    __slots__ = ("column", "line", "pairs")

    def __init__(self, line: int, column: int) -> None:
        self.pairs: list[tuple[Scalar, Node]] = []
        self.line = line
        self.column = column


class Sequence:
    __slots__ = ("column", "items", "line")

    def __init__(self, line: int, column: int) -> None:
        self.items: list[Node] = []
        self.line = line
        self.column = column


Node: TypeAlias = Scalar | Mapping | Sequence
