"""The block-style YAML most plan files are written in, read without libyaml (SPEC 6).

`parse` returns the same tree as `yamltree.parse` (same text, quoting, lines and
columns), or None whenever the text goes beyond the subset it knows: the caller then
uses libyaml, which also finds and words every problem. So this module never judges a
file; it only makes the common file cheap. tests/test_blockyaml.py holds it to
libyaml's tree on generated and real files.

The subset: block mappings with simple keys, block sequences (`- x`, `- key: value`,
also at the parent key's indent), plain scalars over one or more lines, one-line
quoted scalars without escapes, one-line `[a, b]` and `{key: value}` of plain words,
full-line and trailing comments, blank lines between entries, and block scalars (`>-`,
`>`, `|-`, `|`) whose lines share one indent. Anything else (longer flow collections,
anchors, tags, tabs, CR line ends, escapes, a blank line inside a scalar, ...) returns
None.
"""

from __future__ import annotations

import re

from .yamlnodes import Mapping, Node, Scalar, Sequence

MAX_DEPTH = 6

# Characters libyaml treats specially somewhere: a file holding one is left to libyaml.
_ODD_ASCII = re.compile("[^\n\x20-\x7e]")
_ODD_CHARACTER = (
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# Every line: its indent, an entry's dash, a simple key and the spaces after its colon,
# then the rest. One findall per file is much cheaper than a match per line.
LINE = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_]*):( +|$))?(.*)$", re.MULTILINE)
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FLOW_ODD = re.compile(r"[\[\]{}#'\"]")
_SINGLE = re.compile(r"'((?:[^']|'')*)'( *)(#.*)?\Z")
_DOUBLE = re.compile(r'"([^"\\]*)"( *)(#.*)?\Z')
# A plain scalar may not start with an indicator (`- x` is handled as an entry first).
INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


BLOCK_SCALARS = frozenset((">-", ">", "|-", "|"))


def has_odd_character(text: str) -> bool:
    """True when `text` holds a character libyaml treats specially somewhere (a tab,
    CR, NEL, a control or a BOM): such a file is left to libyaml."""
    odd = _ODD_ASCII if text.isascii() else re.compile(_ODD_CHARACTER)  # re caches it
    return odd.search(text) is not None


class _Literal:
    """A block scalar after `key: >-` (or `>`, `|-`, `|`): lines at one indent, none
    blank, folded into one line (`>`) or kept (`|`); `-` drops the final line break."""

    __slots__ = ("gap", "indent", "lines", "parent", "scalar", "style")

    def __init__(self, scalar: Scalar, style: str, parent: int) -> None:
        self.scalar = scalar
        self.style = style
        self.parent = parent  # its lines are indented more than this
        self.indent = 0  # the indent of its first line, which all share
        self.lines: list[str] = []
        self.gap = False  # a blank line seen since the last one

    def finish(self, at_end: bool = False) -> bool:
        """Set the scalar's text; False when it has no line (libyaml's case).
        `at_end`: its last line ends the file with no line break to keep."""
        if not self.lines:
            return False
        text = (" " if self.style[0] == ">" else "\n").join(self.lines)
        self.scalar.text = text if self.style[-1] == "-" or at_end else text + "\n"
        return True


class _Block:
    """An open mapping or sequence: its node, the column its entries start at, and
    for a mapping the keys seen and the key still waiting for its value."""

    __slots__ = ("indent", "key", "keys", "node")

    def __init__(self, node: Mapping | Sequence, indent: int) -> None:
        self.node = node
        self.indent = indent
        self.keys: set[str] = set()
        self.key: Scalar | None = None  # a `key:` with nothing after it yet


def parse(text: str) -> Node | None:
    """The tree of `text`, or None when it is not in the subset (see the module doc)."""
    if has_odd_character(text):
        return None
    blocks: list[_Block] = []
    block: _Block | None = None  # blocks[-1]
    root: Mapping | None = None
    scalar: Scalar | None = None  # a plain scalar that may go on over the next lines
    scalar_indent = 0  # ... on lines indented more than this
    gap = False  # a blank or comment line since `scalar` began
    literal: _Literal | None = None  # a block scalar (`>-`, `|`, ...) being read
    line_no = 0
    for spaces, dash, name, after, rest in LINE.findall(text):
        line_no += 1
        if literal is not None:
            if not (dash or name or rest):
                if spaces:  # spaces alone: content or not, by rules left to libyaml
                    return None
                literal.gap = True
                continue
            indent = len(spaces)
            if indent > literal.parent:  # one of its lines
                if literal.indent == 0:
                    literal.indent = indent
                if indent != literal.indent or literal.gap or rest[-1:] == " ":
                    return None  # more indented lines, inner blank lines, trailing spaces
                literal.lines.append(dash + (name + ":" + after if name else "") + rest)
                continue
            if not literal.finish():
                return None
            literal = None
        if not (dash or name) and (not rest or rest[0] == "#"):
            gap = scalar is not None
            continue
        indent = len(spaces)
        if scalar is not None:
            if indent > scalar_indent:  # the scalar goes on
                words = None if gap or dash or name else continued(rest)
                if words is None:
                    return None
                scalar.text += " " + words
                continue
            scalar = None
            gap = False
        if not indent and not name and (rest.startswith("---") or rest.startswith("...")):
            return None
        # Close the blocks this line is outside of; a pending `key:` gets a null value.
        while block is not None and (
            indent < block.indent
            or (  # a list at its key's indent ends where the key's mapping goes on
                indent == block.indent and not dash and type(block.node) is Sequence
            )
        ):
            _close(blocks.pop())
            block = blocks[-1] if blocks else None
        if block is None:
            if root is not None or indent or dash:
                return None
            root = Mapping(line_no, 1)
            block = _Block(root, 0)
            blocks.append(block)
        elif indent > block.indent or (dash and block.key is not None):
            # the block under a pending `key:` (a list may start at the key's indent)
            if block.key is None or type(block.node) is not Mapping or len(blocks) >= MAX_DEPTH:
                return None
            node: Mapping | Sequence = (
                Sequence(line_no, indent + 1) if dash else Mapping(line_no, indent + 1)
            )
            block.node.pairs.append((block.key, node))
            block.key = None
            block = _Block(node, indent)
            blocks.append(block)
        elif indent != block.indent:
            return None
        column = indent  # 0-based, of the key or value
        if type(block.node) is Sequence:  # `- value` or `- key: value`
            if not dash or (not name and (not rest or rest[0] == "#")):
                return None
            column += len(dash)
            if not name:
                item = value_at(rest, line_no, column + 1)
                if item is None:
                    return None
                block.node.items.append(item)
                if type(item) is Scalar and item.is_plain and " #" not in rest:  # a comment ends it
                    scalar, scalar_indent, gap = item, indent, False
                continue
            if len(blocks) >= MAX_DEPTH:
                return None
            mapping = Mapping(line_no, column + 1)
            block.node.items.append(mapping)
            block = _Block(mapping, column)
            blocks.append(block)
        elif dash or not name:
            return None
        else:
            _close(block)  # `key:` and then the next key: the first holds null
        if name in block.keys:
            return None  # a duplicate key: libyaml's path names it
        block.keys.add(name)
        key = Scalar(name, True, line_no, column + 1)
        if not rest or rest[0] == "#":
            block.key = key
            continue
        value_column = column + len(name) + len(after) + 2
        if rest in BLOCK_SCALARS:
            held = Scalar("", False, line_no, value_column)
            literal = _Literal(held, rest, block.indent)
            block.node.pairs.append((key, held))  # type: ignore[union-attr]
            continue
        value = value_at(rest, line_no, value_column)
        if value is None:
            return None
        block.node.pairs.append((key, value))  # type: ignore[union-attr]
        if type(value) is Scalar and value.is_plain and " #" not in rest:  # a comment ends it
            scalar, scalar_indent, gap = value, block.indent, False
    if literal is not None and not literal.finish(at_end=not text.endswith("\n")):
        return None
    while blocks:
        _close(blocks.pop())
    return root


def _close(block: _Block) -> None:
    """A `key:` left without a value holds null, placed just after its colon."""
    key = block.key
    if key is not None and type(block.node) is Mapping:
        block.node.pairs.append((key, Scalar("", True, key.line, key.column + len(key.text) + 1)))
        block.key = None


def value_at(text: str, line: int, column: int) -> Node | None:
    """A value that starts at 1-based `column`: plain, quoted on this line, or a
    one-line `[a, b]` or `{key: value, ...}` of plain words."""
    first = text[0]
    if first == "[" or first == "{":
        return _flow(text.rstrip(" "), line, column)
    if first == "'":
        match = _SINGLE.match(text)
        if match is None or (match.group(3) and not match.group(2)):
            return None
        return Scalar(match.group(1).replace("''", "'"), False, line, column)
    if first == '"':
        match = _DOUBLE.match(text)
        if match is None or (match.group(3) and not match.group(2)):
            return None
        return Scalar(match.group(1), False, line, column)
    if first in INDICATORS:
        return None
    words = plain_words(text)
    return None if words is None else Scalar(words, True, line, column)


def plain_words(text: str) -> str | None:
    """A plain value as written after its key (a trailing comment cut off), or None
    where libyaml would read it otherwise (`a: b`, a trailing colon)."""
    cut = text.find(" #")
    words = (text if cut < 0 else text[:cut]).rstrip(" ")
    return None if ": " in words or words[-1] == ":" else words


def continued(text: str) -> str | None:
    """A line that goes on with a plain value, or None where libyaml would read it
    otherwise (an indicator first, `a: b`, a comment, a trailing colon)."""
    words = text.rstrip(" ")
    if text[0] in INDICATORS or ": " in words or " #" in words or words[-1] == ":":
        return None
    return words


def _flow(text: str, line: int, column: int) -> Node | None:
    is_list = text[0] == "["
    if text[-1] != ("]" if is_list else "}"):
        return None
    inner = text[1:-1]
    if _FLOW_ODD.search(inner) is not None:
        return None
    keys: set[str] = set()
    items: list[Node] = []
    pairs: list[tuple[Scalar, Node]] = []
    at = column + 1  # the column of the part below
    for part in inner.split(",") if inner.strip(" ") else ():
        word = part.strip(" ")
        start = at + len(part) - len(part.lstrip(" "))
        at += len(part) + 1
        if not word:
            return None
        if is_list:
            if ":" in word or word[0] in INDICATORS:
                return None
            items.append(Scalar(word, True, line, start))
            continue
        name, colon, value = word.partition(": ")
        words = value.lstrip(" ")
        if (
            not colon
            or not words
            or _SIMPLE_KEY.fullmatch(name) is None
            or name in keys
            or ":" in words
            or words[0] in INDICATORS
        ):
            return None
        keys.add(name)
        value_column = start + len(name) + 2 + len(value) - len(words)
        pairs.append((Scalar(name, True, line, start), Scalar(words, True, line, value_column)))
    if is_list:
        sequence = Sequence(line, column)
        sequence.items = items
        return sequence
    mapping = Mapping(line, column)
    mapping.pairs = pairs
    return mapping
