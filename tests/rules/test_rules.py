"""Each rule of the registry has tests/rules/<id>/: a plan that passes it (`pass/`) and
one that fails it (`fail/`), each with the exact output of `ragplan check` on it
(`expected.txt`: the exit code, then standard output; `make golden` rewrites them) and
the options it is run with (`args`, one a line; `--today 2025-03-01` always)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ragplan.core.model import Severity
from ragplan.rules import REGISTRY

HERE = Path(__file__).parent
CASES = [(rule_id, case) for rule_id in REGISTRY for case in ("pass", "fail")]


def test_every_rule_has_its_cases() -> None:
    folders = {p.name for p in HERE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(REGISTRY)


@pytest.mark.parametrize(("rule_id", "case"), CASES)
def test_the_rule_passes_and_fails_as_its_cases_say(run_cli, monkeypatch, rule_id, case):
    folder = HERE / rule_id
    args_file = folder / case / "args"
    args = args_file.read_text().split() if args_file.exists() else []
    monkeypatch.chdir(folder)
    result = run_cli("check", case, "--today", "2025-03-01", *args)
    assert result.stderr == ""
    shown = f"exit {result.exit_code}\n{result.stdout}"
    expected = folder / case / "expected.txt"
    if os.environ.get("RAGPLAN_GOLDEN"):
        expected.write_text(shown, encoding="utf-8")
    assert shown == expected.read_text(encoding="utf-8")
    found = f"[{rule_id}]" in result.stdout
    assert found is (case == "fail"), result.stdout
    if case == "fail":
        severity = REGISTRY[rule_id].severity
        assert result.exit_code == (1 if severity is Severity.ERROR else result.exit_code)
