"""quickread reads the usual action file in one pass: wherever it gives values, they are
the values libyaml's tree and the Reader give, with no problem found; anything else it
leaves to them.

Generated files use every key of an action, each value in the forms people write
(plain, wrapped, quoted, folded, lists at several indents, flow lists, blank and null
values, bad dates, unknown ratings, long refs), some then damaged a character at a time.
"""

from __future__ import annotations

import random
from pathlib import Path

from ragplan.fields import ACTION
from ragplan.quickread import read_values
from ragplan.reading import Reader
from ragplan.yamltree import parse_text

from .damage import damaged

ROOT = Path(__file__).parent.parent
RAGS = ("blue", "green", "amber", "red")
PATH = Path("plan/actions/x.yaml")


def general_values(text: str) -> dict[str, object] | None:
    """The Reader's values on libyaml's tree, or None when it finds any problem."""
    tree, problems = parse_text(text, PATH)
    if tree is None or problems:
        return None
    reader = Reader(PATH, RAGS)
    values = reader.record(tree, ACTION)
    return None if reader.findings else values


def agrees(text: str) -> bool:
    quick = read_values(text, RAGS)
    return quick is None or quick == general_values(text)


TEXTS = (
    "Audit report",
    "Progress reviewed; audit 1 completed",
    "it's done",
    "C# course",
    "50% of staff",
    "a - b",
    "x:y",
    "null",
    "~",
    "",
    "'quoted'",
    '"double"',
    "' '",
    "a #comment",
    "tail:",
    "a: b",
    "&anchor",
    "[a, b]",
    "[]",
    "{a: b}",
    ">-\n  folded text\n  goes on",
    "|\n  kept\n  lines",
    ">-\n  a\n\n  b",
    "Progress reviewed at the monthly board; caseload audit\n  completed and shared",
    "first\n\n  after a gap",
)
_DATES = ("2024-06-28", "2024-06", "2024-02-30", "'2024-06-28'", "24/06/2024", "", "ongoing")
_REFS = ("3b", "1.10", "13/14", "'4a'", "x" * 70, '"a\\tb"', "", "Ofsted rec 3")


def _value(rng: random.Random, key: str) -> str:
    """Mostly a good value (so that whole files are good), sometimes any."""
    good = rng.random() < 0.9
    if key in ("start", "deadline", "completed", "date", "revised_deadline"):
        return rng.choice(_DATES[:2] if good else _DATES)
    if key == "ref":
        return rng.choice(_REFS[:4] if good else _REFS)
    if key == "rag":
        return rng.choice(RAGS if good else (*RAGS, "Green", " red", "purple", ""))
    return rng.choice(TEXTS[:8] + TEXTS[-5:-1] if good else TEXTS)


def _entry(rng: random.Random, indent: int, keys: tuple[str, ...]) -> list[str]:
    dash = rng.choice(("- ", "- ", "-  "))
    chosen = rng.sample(keys, rng.randint(1, len(keys)))
    if rng.random() < 0.1:
        chosen.append(chosen[0])
    lines = []
    for number, key in enumerate(chosen):
        prefix = " " * indent + dash if number == 0 else " " * (indent + len(dash))
        value = _value(rng, key).replace("\n", "\n" + " " * (indent + len(dash)))
        lines.append(f"{prefix}{key}: {value}".rstrip(" ") if value else f"{prefix}{key}:")
    return lines


def _list(rng: random.Random, key: str) -> list[str]:
    indent = rng.choice((0, 2, 2, 4))
    lines: list[str] = []
    for _ in range(rng.randint(0, 3)):
        if key == "updates" or (key == "evidence" and rng.random() < 0.5):
            fields = (
                ("date", "note", "explanation", "revised_deadline")
                if key == "updates"
                else ("description", "link", "date")
            )
            lines += _entry(rng, indent, fields)
        elif key == "measures" and rng.random() < 0.2:
            lines += [" " * indent + "- name: cases", " " * indent + "  baseline: 3"]
        else:
            lines.append(" " * indent + rng.choice(("- ", "-  ")) + rng.choice(TEXTS[:8]))
        if rng.random() < 0.1:
            lines.append(rng.choice(("", "  # a comment", "#x")))
    return lines


def generated(seed: int) -> str:
    rng = random.Random(seed)
    keys = [f.name for f in ACTION.fields]
    chosen = ["ref", "title", "lead", "deadline", "rag", *rng.sample(keys, rng.randint(0, 8))]
    rng.shuffle(chosen)
    if rng.random() < 0.05:
        chosen.append("owner")
    lines = []
    for key in dict.fromkeys(chosen) if rng.random() < 0.95 else chosen:
        if key in ("evidence", "updates", "measures") or (key == "lead" and rng.random() < 0.3):
            lines.append(f"{key}:" + rng.choice(("", "", " # list")))
            lines += _list(rng, key) if key != "lead" else ["  - Ann Lee", "  - Bo Chan"]
        elif key == "withdrawn":
            lines += ["withdrawn:", "  date: 2024-01-01", "  reason: merged"]
        else:
            value = _value(rng, key)
            lines.append(f"{key}: {value}".rstrip(" ") if value else f"{key}:")
        if rng.random() < 0.05:
            lines.append(rng.choice(("", "# comment", "  ")))
    text = "\n".join(lines) + ("\n" if rng.random() < 0.9 else "")
    if rng.random() < 0.25:  # damage it
        text = damaged(text, rng, 2, " -:#'\"\nx")
    return text


def test_generated_actions_read_as_the_general_path_reads_them() -> None:
    texts = [generated(seed) for seed in range(3000)]
    assert [text for text in texts if not agrees(text)] == []
    accepted = sum(read_values(text, RAGS) is not None for text in texts)
    assert accepted > 400  # the layout is exercised, not only refused


def test_the_bundled_plan_mostly_takes_the_quick_path() -> None:
    files = sorted((ROOT / "plans").rglob("actions/*.yaml"))
    texts = [path.read_text("utf-8") for path in files]
    assert all(agrees(text) for text in texts)
    quick = [text for text in texts if read_values(text, RAGS) is not None]
    assert len(quick) >= len(texts) - 3  # the three with counted measures take the long way


def test_a_problem_is_always_left_to_the_general_path() -> None:
    for text in (
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-30\nrag: red\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: purple\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\n",
        "ref: 1a\ntitle: t\nlead: []\ndeadline: 2024-02-01\nrag: red\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nowner: B\n",
        "ref: 1a\ntitle:\nlead: A\ndeadline: 2024-02-01\nrag: red\n",
        "ref: 1a\ntitle: t\nlead: A\ndeadline: 2024-02-01\nrag: red\nupdates:\n  - note: x\n",
    ):
        assert read_values(text, RAGS) is None


def test_damaged_real_files_read_the_same_either_way() -> None:
    """The bundled plan's files, damaged as test_robustness damages them: the loader's
    read (quick first) and the general path give the same Action and the same findings."""
    from ragplan.loader import action_from, parse_record, read_action

    from .test_robustness import SOURCES, mutate

    rng = random.Random(7)
    quick = 0
    for _ in range(600):
        data = mutate(mutate(rng.choice(SOURCES).read_bytes(), rng), rng)
        quick += read_values(data.decode("utf-8", "replace"), RAGS) is not None
        action, findings = read_action(data, PATH, RAGS)
        values, reader = parse_record(data, PATH, RAGS, "action")
        if values is None or reader.findings:
            assert (action, findings) == (None, tuple(reader.findings))
        else:
            assert (action, findings) == (action_from(values, PATH), ())
    assert quick > 60  # many damaged files are still in the usual layout
