"""Each rule of the registry has tests/rules/<id>/: a plan that passes it (`pass/`) and
one that fails it (`fail/`), each with the exact output of `ragplan check` on it
(`expected.txt`: the exit code, then standard output; `make golden` rewrites them) and
the options it is run with (`args`, one a line; `--today 2025-03-01` always). A rule
that compares with a git base has `base/` too: the plan as committed, which the case
then replaces on a branch, as a pull request would, checked with `--since main`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ragplan.core.model import Severity
from ragplan.rules import REGISTRY
from tests.helpers import git

HERE = Path(__file__).parent
CASES = [(rule_id, case) for rule_id in REGISTRY for case in ("pass", "fail")]


def test_every_rule_has_its_cases() -> None:
    folders = {p.name for p in HERE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(REGISTRY)


@pytest.mark.parametrize(("rule_id", "case"), CASES)
def test_the_rule_passes_and_fails_as_its_cases_say(run_cli, monkeypatch, tmp_path, rule_id, case):
    folder = HERE / rule_id
    args_file = folder / case / "args"
    args = args_file.read_text().split() if args_file.exists() else []
    target = case
    if (folder / "base").is_dir():  # committed first, then replaced by the case
        shutil.copytree(folder / "base", tmp_path / "plan")
        git(tmp_path, "init", "-q", "-b", "main")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", "the base")
        git(tmp_path, "checkout", "-q", "-b", "pull-request")
        shutil.rmtree(tmp_path / "plan")
        shutil.copytree(
            folder / case, tmp_path / "plan", ignore=shutil.ignore_patterns("expected.txt")
        )
        target, args = "plan", [*args, "--since", "main"]
    else:
        monkeypatch.chdir(folder)
    result = run_cli("check", target, "--today", "2025-03-01", *args)
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
