"""Plan files as tests write them, and where the repository and its test data are."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent  # the repository
DATA = ROOT / "tests" / "data"
RAGPLAN = str(Path(sys.executable).parent / "ragplan")  # the installed command
PLAN_YAML = "title: Test plan\nstart: 2025-01-01\n"


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def action(
    ref: str = "A1", deadline: str = "2025-03-31", rag: str = "amber", extra: str = ""
) -> str:
    """A valid action file's text, with `extra` lines appended."""
    return (
        f"ref: {ref}\ntitle: Review caseloads\nlead: Kerry Mehta\n"
        f"deadline: {deadline}\nrag: {rag}\n"
    ) + dedent(extra)


HOSTILE = "<script>alert(1)</script> | pipe\nnew line <img src=x onerror=alert(2)>"


def hostile_plan(make_plan: Callable[..., Path]) -> Path:
    """A plan whose every text carries HTML, script, `javascript:` links and pipes."""
    q = json.dumps  # a JSON string is a YAML double-quoted scalar
    note = (
        "[a](javascript:alert(6)) [b](javascript&#58;alert(7)) "
        "<iframe src='https://evil.example'></iframe> <style>body{display:none}</style> "
        "![i](https://evil.example/i.png) <a href='javascript:alert(8)' onclick='x()'>c</a>"
    )
    text = (
        f"ref: X1\ntitle: {q(HOSTILE)}\nlead: {q(HOSTILE)}\nstrategic_lead: {q(HOSTILE)}\n"
        f"deadline: 2025-02-28\nrag: red\ntheme: {q(HOSTILE)}\noutcome: {q(HOSTILE)}\n"
        "evidence:\n"
        f"  - description: {q(HOSTILE)}\n    link: javascript:alert(3)\n"
        f"  - description: entity\n    link: {q('javascript&#58;alert(4)')}\n"
        f"  - description: data\n    link: {q('data:text/html,<script>alert(5)</script>')}\n"
        f"updates:\n  - date: 2025-03-01\n    note: {q(note)}\n"
    )
    return make_plan({"x.yaml": text}, plan=f"title: {q(HOSTILE)}\norganisation: {q(HOSTILE)}\n")
