"""blockyaml reads the common plan file without libyaml: wherever it gives a tree, the
tree is libyaml's, to the character, line and column; anything else it leaves to libyaml.

The generated documents are built the way people write plan files (nested lists and
mappings, wrapped notes, quotes, comments, blank lines), then some are damaged a
character at a time, so both sides of the subset's edge are exercised.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ragplan import blockyaml
from ragplan.yamlnodes import Mapping, Node, Scalar, Sequence
from ragplan.yamltree import parse_text

from .damage import damaged

ROOT = Path(__file__).parent.parent


def shape(node: Node | None) -> object:
    """A node as nested plain values, positions included, for exact comparison."""
    if node is None:
        return None
    if type(node) is Scalar:
        return ("scalar", node.text, node.is_plain, node.line, node.column)
    if type(node) is Mapping:
        pairs = [(shape(key), shape(value)) for key, value in node.pairs]
        return ("mapping", node.line, node.column, pairs)
    assert type(node) is Sequence
    return ("sequence", node.line, node.column, [shape(item) for item in node.items])


def agrees(text: str) -> bool:
    """False when blockyaml gives a tree that libyaml does not; True when it gives
    libyaml's tree or leaves the text to libyaml."""
    fast = blockyaml.parse(text)
    if fast is None:
        return True
    slow, findings = parse_text(text, Path("f.yaml"))
    return not findings and shape(fast) == shape(slow)


_PLAIN = (
    "abc",
    "Progress reviewed at the board; audit 1 completed",
    "a b  c",
    "C#",
    "it's",
    "x:y",
    "1.10",
    "2024-01-01",
    "é ü",
    "~",
    "null",
    "true",
    "a,b",
    "a[b]",
    "{x}",
    "50%",
    "-3",
    "x -",
    "a - b",
    "tail:",
    "a: b",
    "a #c",
    "&a",
    "*a",
    "!t",
    "|",
    ">",
    "? x",
    "%x",
    "@x",
    "`x",
    "--- x",
    "...",
    "- x",
)
_KEYS = ("ref", "title", "lead", "note", "date", "evidence", "updates", "x", "a_b", "deadline")


def _scalar(rng: random.Random, indent: int) -> str:
    roll = rng.random()
    if roll < 0.05:  # a block scalar, its lines at one indent or not
        lines = [" " * (indent + rng.choice((2, 2, 1, 3, 0))) + rng.choice(_PLAIN) for _ in "ab"]
        gap = rng.choice(("\n", "\n", "\n\n", "\n  \n"))
        return rng.choice((">-", ">", "|-", "|", ">+", "|2")) + "\n" + gap.join(lines)[0:]
    if roll < 0.1:  # a flow list or mapping
        words = [rng.choice((*_PLAIN, "")) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.5:
            return "[" + rng.choice((", ", ",", " ,  ")).join(words) + "]"
        keys = rng.sample(_KEYS, len(words))
        pairs = [f"{k}:{rng.choice(('', ' ', '  '))}{w}" for k, w in zip(keys, words, strict=True)]
        return "{" + ", ".join(pairs) + "}"
    if roll < 0.2:
        return "'" + rng.choice((*_PLAIN, "it''s", "", " a ")) + "'"
    if roll < 0.25:
        return '"' + rng.choice((*_PLAIN, "a\\tb", "", " a ")) + '"'
    words = [rng.choice(_PLAIN) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.3:  # wrapped over lines, at an indent that may or may not continue it
        gap = "\n" + ("\n" if rng.random() < 0.05 else "")
        cont = " " * max(0, indent + rng.choice((1, 2, 2, 4, 0, -1)))
        text = words[0]
        for word in words[1:]:
            text += (gap + cont if rng.random() < 0.4 else " ") + word
    else:
        text = " ".join(words)
    if rng.random() < 0.1:
        text += rng.choice((" # c", "  #c", "#c", " "))
    return text


def _mapping(rng: random.Random, indent: int, depth: int, first: str | None = None) -> list[str]:
    lines = []
    keys = rng.sample(_KEYS, rng.randint(1, 5)) if rng.random() > 0.05 else ["a", "a"]
    for number, key in enumerate(keys):
        prefix = first if number == 0 and first is not None else " " * indent
        roll = rng.random()
        if depth < 3 and roll < 0.25:
            lines.append(prefix + key + ":" + rng.choice(("", "", " ", " # c")))
            lines += _sequence(rng, indent + rng.choice((0, 2, 2, 4, 1)), depth + 1)
        elif depth < 3 and roll < 0.35:
            lines.append(prefix + key + ":")
            lines += _mapping(rng, indent + rng.choice((2, 2, 4, 1)), depth + 1)
        elif roll < 0.4:
            lines.append(prefix + key + ":" + rng.choice(("", " ", "  # c")))
        else:
            lines.append(prefix + key + rng.choice((": ", ":  ")) + _scalar(rng, indent))
        if rng.random() < 0.08:
            lines.append(rng.choice(("", " " * indent + "# note", "  ", "#x")))
    return lines


def _sequence(rng: random.Random, indent: int, depth: int) -> list[str]:
    lines = []
    for _ in range(rng.randint(1, 4)):
        dash = rng.choice(("- ", "- ", "-  "))
        if rng.random() < 0.5 and depth < 3:
            lines += _mapping(rng, indent + len(dash), depth + 1, first=" " * indent + dash)
        else:
            lines.append(" " * indent + dash + _scalar(rng, indent))
    return lines


def generated(seed: int) -> str:
    rng = random.Random(seed)
    lines = _mapping(rng, 0, 0)
    if rng.random() < 0.2:
        lines.insert(0, "# yaml-language-server: $schema=schema.json")
    text = "\n".join(lines) + ("\n" if rng.random() < 0.8 else "")
    if rng.random() < 0.3:  # damage it
        text = damaged(text, rng, 3, " -:#'\"\n\tx\r")
    return text


def test_generated_documents_give_libyamls_tree_or_are_left_to_it() -> None:
    texts = [generated(seed) for seed in range(4000)]
    wrong = [text for text in texts if not agrees(text)]
    assert wrong == []
    accepted = sum(blockyaml.parse(text) is not None for text in texts)
    assert accepted > 400  # the subset is exercised, not only refused


def test_every_yaml_file_in_the_repository_agrees() -> None:
    files = [
        path
        for folder in ("plans", "tests", "docs", "examples")
        for path in (ROOT / folder).rglob("*.yaml")
    ]
    assert len(files) > 50
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
        assert agrees(text), path


def test_the_bundled_plans_action_files_take_the_fast_path() -> None:
    files = sorted((ROOT / "plans").rglob("actions/*.yaml"))
    assert files
    assert [p.name for p in files if blockyaml.parse(p.read_text("utf-8")) is None] == []


@pytest.mark.parametrize(
    "text",
    [
        "ref: 1a\ntitle: x\n",
        "a:\n- x\n- y\nb: 1\n",
        "a:\n  - k: v\n    n: w\n  - k: 2\n",
        "a: one\n  two\n   three  \nb: 1",
        "a:\nb:   \nc: # none\n",
        "a: 'it''s' # c\nb: \"q\"\n",
        "# header\n\na: x  # c\n",
        "a:\n  b:\n    c: deep\n",
        "a: >-\n  folded\n  # not a comment\nb: |\n  kept\n  lines\n\n\nc: 1\n",
        "u:\n  - note: >\n      x: y\n      z\n",
        "ref:  >\n  *a\n  null",  # a block scalar ending the file keeps no line break
        "x: |\n  a\n  b",
        "lead: [Ann Lee,  Bo ]\nm:\n  - {date: 2014-12-05, value:  1150}\n  - []\n",
    ],
)
def test_the_subset_is_read(text: str) -> None:
    assert blockyaml.parse(text) is not None
    assert agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: x  # c\n  y\n",  # a comment ends the scalar: libyaml then refuses `y`
        "a: one\n\n  two\n",  # a blank line inside a scalar folds to a line break
        "a: 1\na: 2\n",  # duplicate key: libyaml's path names it
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: [1, [2]]\n",
        "a: [x, ]\n",
        "a: {b: 1, b: 2}\n",
        "a: {b:1}\n",
        "a: [x] # c\n",
        "a: |\n  text\n    more indented\n",
        "a: >-\n  one\n\n  two\n",
        "a: >+\n  kept\n",
        "a: >- # c\n  x\n",
        'a: "tab\\tescape"\n',
        "a: 'open\n  quote'\n",
        "a: x\r\nb: y\r\n",
        "a:\tx\n",
        "--- \na: 1\n",
        "- a\n- b\n",
        "just text\n",
        "a: b: c\n",
        "a: x\n  b: y\n",
        "? a\n: b\n",
        "",
        "# only a comment\n",
        "a: x\u2028y\n",
    ],
)
def test_anything_else_is_left_to_libyaml(text: str) -> None:
    assert blockyaml.parse(text) is None
