"""fastread, the one reader in front of libyaml, gives exactly the general path's values
(libyaml's tree checked by the Reader) or declines: held here on generated files in
every layout it takes (leading comments, folded and literal block scalars, quoted
strings, CRLF line ends, a byte order mark), damaged a character at a time with the
characters that matter to YAML. A damaged file must be refused or read as libyaml reads it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ragplan.core.fields import ACTION
from ragplan.read.checks import Reader
from ragplan.read.fastread import read_values
from ragplan.read.yamltree import parse
from tests.helpers import ROOT, damaged

RAGS = ("blue", "green", "amber", "red")
PATH = Path("plan/actions/x.yaml")


def general_values(data: bytes) -> dict[str, object] | None:
    """The Reader's values on libyaml's tree, or None when it finds any problem."""
    tree, problems = parse(data, PATH)
    if tree is None or problems:
        return None
    reader = Reader(PATH, RAGS)
    values = reader.record(tree, ACTION)
    return None if reader.findings else values


def fast_values(text: str) -> dict[str, object] | None:
    return read_values(text.encode("utf-8"), RAGS)


_WORDS = (
    "Audit report",
    "Progress reviewed; audit 1 completed",
    "it's done",
    "C# course",
    "50% of staff",
    "a - b",
    "x:y",
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


def laid_out(text: str, seed: int) -> bytes:
    """`text` as people save it: perhaps a comment line or two on top, CRLF line ends,
    a byte order mark."""
    rng = random.Random(seed)
    if rng.random() < 0.4:
        text = "".join(rng.choice(("# Action file\n", "#\n", "# owner: PMO #2\n"))
                       for _ in range(rng.randint(1, 2))) + text  # fmt: skip
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if rng.random() < 0.2 else data


def test_generated_files_read_as_the_general_path_reads_them() -> None:
    files = [laid_out(common(seed), seed) for seed in range(4000)]
    read = [(data, read_values(data, RAGS)) for data in files]
    accepted = [(data, values) for data, values in read if values is not None]
    assert [d for d, values in accepted if values != general_values(d)] == []
    assert len(accepted) > 900  # the layout is exercised, not only refused
    assert len(accepted) < len(files) - 800  # and damage is refused
    assert sum(d.startswith(b"#") for d, _ in accepted) > 200
    assert sum(b"\r\n" in d for d, _ in accepted) > 150
    assert sum(d.startswith(b"\xef\xbb\xbf") for d, _ in accepted) > 100


def test_the_bundled_plan_takes_this_path() -> None:
    files = sorted((ROOT / "plans").rglob("actions/*.yaml"))
    read = [(path.read_bytes(), read_values(path.read_bytes(), RAGS)) for path in files]
    assert all(v is None or v == general_values(d) for d, v in read)
    assert sum(v is not None for _, v in read) >= len(files) - 3  # counted measures


def test_the_benchmarks_realistic_corpus_takes_this_path(tmp_path: Path) -> None:
    import runpy

    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate.py"))
    rng = random.Random(7)
    for n in range(200):
        data = generate["realistic_text"](0, n, rng)
        values = read_values(data, RAGS)
        assert values is not None and values == general_values(data), data


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
        "ref: 1a\ntitle: t\rlead: A\ndeadline: 2024-02-01\nrag: red\n",  # a lone CR
        "ref: 1a\ntitle: a\x85b\nlead: A\ndeadline: 2024-02-01\nrag: red\n",  # NEL: a break
        "ref: 1a\ntitle: a\u2028b\nlead: A\ndeadline: 2024-02-01\nrag: red\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nsource: \x00\n",
        "#\x01 hidden\nref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: \u0662\u0660\u0669\u0669-12\nrag: red\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nupdates:\n"
        "  - date: 2024-01-01\n    explanation: null\n",
    ],
)
def test_anything_else_is_left_to_the_general_path(text: str) -> None:
    assert fast_values(text) is None


def test_lines_and_columns_are_where_the_keys_are() -> None:
    text = (
        "# kept by the PMO\nref: 1a\n\ntitle: a long title\n  wrapped\nlead: A\n"
        "deadline: 2024-02-01\nrag: red\nupdates:\n- date: 2024-01-01\n  note: first\n"
        "    goes on\n- date: 2024-01-02\n  revised_deadline: 2024-03-01\n"
    )
    values = fast_values(text)
    assert values is not None
    assert values["@"] == (
        ("ref", 2, 1), ("title", 4, 1), ("lead", 6, 1), ("deadline", 7, 1),
        ("rag", 8, 1), ("updates", 9, 1),
    )  # fmt: skip
    assert values["title"] == "a long title wrapped"
    first, second = values["updates"]  # type: ignore[misc]
    assert first["@"] == (("date", 10, 3), ("note", 11, 3))
    assert first["note"] == "first goes on"
    assert second["@"] == (("date", 13, 3), ("revised_deadline", 14, 3))
    assert values == general_values(text.encode())
