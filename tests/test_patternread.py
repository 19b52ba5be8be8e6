"""patternread reads the commonest action file by regular expressions: wherever it gives
values, they are the values quickread gives, and so those of libyaml's tree and the
Reader; anything else it leaves to them.

Files are generated in the layout it reads (and quickread's wider one), with values in
the forms people write, then damaged a character at a time with the characters that
matter to YAML: a damaged file must be refused or read exactly as the others read it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ragplan.patternread import read_values
from ragplan.quickread import read_values as line_values

from .damage import damaged
from .test_quickread import RAGS, ROOT, TEXTS, general_values, generated

_WORDS = (
    *TEXTS[:7],  # quickread's good texts, from "Audit report" to "x:y"
    "ratio 3:1 met",
    "see http://example.org/a#b",
    "Café – £30k agreed",
    "'it''s quoted'",
    '"double: quoted"',
    ">-\n  folded text\n  goes on",
    "|-\n  kept: as\n  written",
    ">\n  folded\n  kept end",
    "|\n  kept end",
    "a:",
    "' '",
    '""',
    '"esc\\"ape"',
    ">-\n  a\n\n  b",
    ">-\n  a\n   b",
    "|\n  kept \n  x",
    ">2\n  x",
    '"double # comment?"',
    "|-\n  kept\n  # written",
    "null",
    "Null",
    "~",
    "true",
    "12",
    "a #not",
    "a: b",
    "&anchor",
    "*alias",
    "!tag",
    "- dash",
    "? question",
    "[a, b]",
    "{a: b}",
    "'quoted'",
    '"double"',
    "| literal",
    "> folded",
    "%percent",
    "@at",
    "`tick`",
    "trailing ",
    "tab\there",
    "bom\ufeffhere",
    "nel\x85here",
    "line\u2028sep",
)
_DATES = ("2024-06-28", "2024-06", "2024-02-30", "24/06/2024", "ongoing", "null")


def _value(rng: random.Random, key: str) -> str:
    good = rng.random() < 0.97
    if key in ("start", "deadline", "completed", "date", "revised_deadline"):
        return rng.choice(_DATES[:2] if good else _DATES)
    if key == "ref":
        return rng.choice(("3b", "1.10", "13/14", "Ofsted rec 3") if good else ("x" * 70, "~"))
    if key == "rag":
        return rng.choice(RAGS if good else (*RAGS, "Green", "purple", "null"))
    pool = _WORDS[:16] if good else _WORDS
    if key == "item":  # a list's text: no block scalar (quickread leaves those to libyaml)
        pool = tuple(w for w in pool if w[0] not in ">|")
    words = rng.choice(pool)
    if rng.random() < (0.3 if words[0] not in "'\">|" else 0.01):  # wrapped, indented
        indent = " " * rng.choice((1, 2, 4, 6))
        words += f"\n{indent}{rng.choice(_WORDS[:16] if good else _WORDS)}"
    return words


def _indented(value: str, by: int) -> str:
    first, *rest = value.split("\n")
    return "\n".join([first, *(" " * by + line for line in rest)])


def common(seed: int) -> str:
    """An action file in patternread's layout, mostly: keys in any order, lists of
    texts and of entries at one indent, the odd blank line, key or value out of place."""
    rng = random.Random(seed)
    keys = [
        "ref", "title", "theme", "source", "lead", "strategic_lead", "start",
        "deadline", "rag", "completed", "outcome", "measures", "evidence", "updates",
    ]  # fmt: skip
    chosen = [
        k for k in keys if k in ("ref", "title", "lead", "deadline", "rag") or rng.random() < 0.6
    ]
    if rng.random() < 0.3:
        rng.shuffle(chosen)
    if rng.random() < 0.03:
        chosen.append(rng.choice(("owner", "ref", "withdrawn")))
    lines: list[str] = []
    indent = rng.choice((0, 2, 2, 2, 4))
    at = " " * indent
    for key in chosen:
        if rng.random() < 0.04:
            lines.append("")
        if key in ("updates", "evidence", "measures") or (key == "lead" and rng.random() < 0.3):
            lines.append(f"{key}:")
            dated = rng.random() < 0.5
            for _ in range(rng.randint(1, 3)):
                if key == "updates" or (key == "evidence" and rng.random() < 0.4):
                    fields = (
                        ["date", "note", "explanation", "revised_deadline"]
                        if key == "updates"
                        else ["description", "link", "date"]
                    )
                    picked = [fields[0]] + [f for f in fields[1:] if rng.random() < 0.5]
                    if key == "updates" and dated:  # the commonest update: a date, a note
                        picked = ["date", "note"]
                    if rng.random() < 0.2:
                        rng.shuffle(picked)
                    for number, field in enumerate(picked):
                        prefix = f"{at}- " if number == 0 else f"{at}  "
                        lines.append(
                            f"{prefix}{field}: {_indented(_value(rng, field), indent + 2)}"
                        )
                else:
                    lines.append(f"{at}- {_indented(_value(rng, 'item'), indent)}")
        else:
            lines.append(f"{key}: {_value(rng, key)}")
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.3:
        text = damaged(text, rng, 3, " -:#'\"\n\tx>|~&")
    return text


def test_common_files_read_as_quickread_and_the_general_path_read_them() -> None:
    texts = [common(seed) for seed in range(4000)]
    read = [(text, read_values(text, RAGS)) for text in texts]
    accepted = [(text, values) for text, values in read if values is not None]
    assert [t for t, values in accepted if values != line_values(t, RAGS)] == []
    assert [t for t, values in accepted if values != general_values(t)] == []
    assert len(accepted) > 900  # the layout is exercised, not only refused
    assert len(accepted) < len(texts) - 800  # and damage is refused


def test_quickreads_generated_files_agree() -> None:
    for seed in range(3000):
        text = generated(seed)
        values = read_values(text, RAGS)
        assert values is None or values == line_values(text, RAGS), text


def test_the_bundled_plan_mostly_takes_this_path() -> None:
    files = sorted((ROOT / "plans").rglob("actions/*.yaml"))
    texts = [path.read_text("utf-8") for path in files]
    read = [read_values(text, RAGS) for text in texts]
    assert all(v is None or v == line_values(t, RAGS) for t, v in zip(texts, read, strict=True))
    assert sum(v is not None for v in read) >= len(texts) - 3  # counted measures, comments


@pytest.mark.parametrize(
    "text",
    [
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red",  # no final line break
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\n# note\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\n  stray\n",
        "ref: 1a\ntitle: t #c\nlead: A\ndeadline: 2024-02-01\nrag: red\n",
        "ref: 1a\ntitle: null\nlead: A\ndeadline: 2024-02-01\nrag: red\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nupdates:\n  - note: x\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nupdates:\n  - x\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nupdates:\n"
        "  - date: 2024-01-01\n    note: a\n   b: c\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nevidence:\n  - a\n    - b\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nevidence:\n  - a\n - b\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\ntheme: a\n\n  b\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nrag: red\n",
        "ref: 1a\ntitle: t\r\nlead: A\ndeadline: 2024-02-01\nrag: red\n",
        "ref: 1a\ntitle: a\x85b\nlead: A\ndeadline: 2024-02-01\nrag: red\n",  # NEL: a break
        "ref: 1a\ntitle: a\u2028b\nlead: A\ndeadline: 2024-02-01\nrag: red\n",
        "\ufeffref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nsource: \x00\n",
    ],
)
def test_anything_else_is_left_to_the_other_readers(text: str) -> None:
    assert read_values(text, RAGS) is None


def test_lines_and_columns_are_where_the_keys_are() -> None:
    text = (
        "ref: 1a\n\ntitle: a long title\n  wrapped\nlead: A\ndeadline: 2024-02-01\n"
        "rag: red\nupdates:\n- date: 2024-01-01\n  note: first\n    goes on\n"
        "- date: 2024-01-02\n  revised_deadline: 2024-03-01\n"
    )
    values = read_values(text, RAGS)
    assert values is not None
    assert values["@"] == (
        ("ref", 1, 1), ("title", 3, 1), ("lead", 5, 1), ("deadline", 6, 1),
        ("rag", 7, 1), ("updates", 8, 1),
    )  # fmt: skip
    assert values["title"] == "a long title wrapped"
    first, second = values["updates"]
    assert first["@"] == (("date", 9, 3), ("note", 10, 3))
    assert first["note"] == "first goes on"
    assert second["@"] == (("date", 12, 3), ("revised_deadline", 13, 3))
    assert values == line_values(text, RAGS)


SNAPSHOT_CASES = [
    "date: 2015-01-30\nratings:\n  1a: red\n  '2b': Amber\n  13/14: green\n",
    "label: Board, January (2015)\ndate: 2015-01\nratings:\n  A1: blue\n",
    "date: 2015-01-30\nratings:\n  ' spaced ': red\n",
    "date: 2015-01-30\nratings:\n  1a: red\n  1a: green\n",  # twice: a finding
    "date: 2015-01-30\nratings:\n  null: red\n",
    "date: 2015-01-30\nratings:\n  1a: purple\n",  # not a rating of the plan
    "date: 2015-02-30\nratings:\n  1a: red\n",  # no such day
    "date: 2015-01-30\nratings:\n  1a: red\ndeadlines:\n  1a: 2015-03-31\n",
    "date: 2015-01-30\nratings:\n  1a: red  # a comment\n",
    "date: 2015-01-30\r\nratings:\r\n  1a: red\r\n",
    "date: 2015-01-30\nratings:\n\t1a: red\n",
    "date: 2015-01-30\nratings:\n  " + "x" * 64 + ": red\n",
    "date: 2015-01-30\nratings:\n  " + "x" * 65 + ": red\n",
    "date: 2015-01-30\nratings:\n  '" + "y" * 65 + "': red\n",
    "date: 2015-01-30\nratings:\n  1a: red",  # no last line break
    "date: 2015-01-30\nratings:\n",
    "ratings:\n  1a: red\n",  # no date
    "date: 2015-01-30\nlabel: a: b\nratings:\n  1a: red\n",
    "date: 2015-01-30\nlabel: Board \nratings:\n  1a: red\n",
    "date: 2015-01-30\nratings:\n  1a: red\n   1b: red\n",
    "date: 2015-01-30\n\nratings:\n  1a: red\n",
    "date: 2015-01-30\nratings:\n  1a: red\nlabel: after\n",
    "date: 2015-01-30\nratings:\n  'it''s': red\n",
    "date: 2015-01-30\nratings:\n  3.10: red\n  -1: red\n",
    "date: 2015-01-30\nratings:\n  Ü1: red\n",
    "xdate: 2015-01-30\nratings:\n  1a: red\n",
    "date: 2015-01-30\nratings:\n  'a #b': red\n  '--option': red\n  'a: b': red\n",
    "date: 2015-01-30\nratings:\n  '[x]': red\n  '~': red\n  x.y: RED\n",
]


@pytest.mark.parametrize("text", SNAPSHOT_CASES)
def test_a_snapshot_read_by_the_quick_path_is_what_the_general_path_reads(text, monkeypatch):
    """patternread.snapshot_values takes only snapshots whose every line it knows, and
    gives what the general path gives; anything else goes to the general path."""
    from ragplan import loader

    path = Path("plan/snapshots/2015-01.yaml")
    keys = ("blue", "green", "amber", "red")
    quick = loader.read_snapshot(text.encode(), path, keys)
    monkeypatch.setattr(loader, "_quick_snapshot", lambda data, rag_keys: None)
    assert quick == loader.read_snapshot(text.encode(), path, keys)


def test_the_quick_snapshot_path_takes_the_common_form():
    from ragplan.patternread import snapshot_values

    keys = ("blue", "green", "amber", "red")
    assert snapshot_values(SNAPSHOT_CASES[0], keys) is not None
    assert snapshot_values(SNAPSHOT_CASES[1], keys) is not None
    assert snapshot_values(SNAPSHOT_CASES[3], keys) is None  # to the general path
