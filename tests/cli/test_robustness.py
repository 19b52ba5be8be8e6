"""Malformed variants of real action files: validate and check never crash (exit 0 or 2)."""

from __future__ import annotations

import random

from tests.helpers import ROOT

REPO = ROOT
SOURCES = sorted((REPO / "plans" / "ofsted-2014" / "actions").glob("*.yaml"))
INSERTS = [
    b":",
    b"- ",
    b"\t",
    b"&a ",
    b"*a",
    b"!!str ",
    b"'",
    b'"',
    b"[",
    b"{",
    b"#",
    b"\n",
    b"\n  ",
    b"\xff",
    b"\x00",
    b"? ",
    b"|",
    b">",
    b"%YAML 1.1\n",
    b"---\n",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return b"ref: x\n"
    lines = data.split(b"\n")
    choice = rng.randrange(6)
    if choice == 0:  # delete a character
        at = rng.randrange(len(data))
        return data[:at] + data[at + 1 :]
    if choice == 1:  # insert YAML punctuation
        at = rng.randrange(len(data))
        return data[:at] + rng.choice(INSERTS) + data[at:]
    if choice == 2:  # duplicate a line
        at = rng.randrange(len(lines))
        return b"\n".join([*lines[: at + 1], lines[at], *lines[at + 1 :]])
    if choice == 3:  # swap two lines
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        return b"\n".join(lines)
    if choice == 4:  # truncate
        return data[: rng.randrange(len(data))]
    return data.replace(b"  ", b" ", rng.randrange(1, 4))  # break the indentation


def test_mutated_files_never_crash(run_cli, make_plan):
    rng = random.Random(2014)
    plan = make_plan()
    for n in range(300):
        source = rng.choice(SOURCES).read_bytes()
        (plan / "actions" / f"m{n:03d}.yaml").write_bytes(mutate(mutate(source, rng), rng))
    for command in ("validate", "check"):
        result = (
            run_cli(command, "plan", "--today", "2015-01-30")
            if command == "check"
            else (run_cli(command, "plan"))
        )
        assert result.exit_code in (0, 1, 2), result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert "internal error" not in result.stderr
    assert run_cli("validate", "plan").exit_code == 2  # some mutations are invalid
