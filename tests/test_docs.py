"""The docs match the program: README commands run, every command is documented."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from ragplan.cli.commands import app
from tests.helpers import ROOT

REPO = ROOT
README = (REPO / "README.md").read_text(encoding="utf-8")
# every example but `serve`, which runs until stopped (tests/sheets/test_serve.py runs it)
EXAMPLES = [
    line[2:]
    for line in README.splitlines()
    if line.startswith("$ ragplan ") and not line.startswith("$ ragplan serve")
]
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_readme_opens_with_the_two_setup_commands():
    head = README.splitlines()[:6]
    assert head[3].startswith("make status") and head[4].startswith("make test")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_and_has_help(run_cli, command):
    assert f"$ ragplan {command}" in README
    result = run_cli(command, "--help")
    assert result.exit_code == 0 and result.stdout.startswith(f"Usage: ragplan {command}")


@pytest.mark.parametrize("example", EXAMPLES)
def test_readme_example_runs(example, tmp_path):
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    argv = shlex.split(example)
    ragplan = Path(sys.executable).parent / "ragplan"
    result = subprocess.run(
        [str(ragplan), *argv[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    expected = 1 if argv[1] == "check" else 0  # the bundled plan has 3 unexplained overdue
    assert (result.returncode, result.stderr) == (expected, "")
    assert result.stdout


def test_readme_examples_run_one_after_another(tmp_path):
    """A reader who runs the README top to bottom in one folder: no example breaks a later one."""
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    ragplan = Path(sys.executable).parent / "ragplan"
    for example in EXAMPLES:
        argv = shlex.split(example)
        result = subprocess.run(
            [str(ragplan), *argv[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "RAGPLAN_NO_CACHE": "1"},
        )
        expected = 1 if argv[1] == "check" else 0
        assert (result.returncode, result.stderr) == (expected, ""), example


def test_cli_reference_is_up_to_date():
    generated = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "cli_docs.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert generated == (REPO / "docs" / "cli.md").read_text(encoding="utf-8"), (
        "docs/cli.md is out of date: run `make docs`"
    )


def test_the_installed_command_lists_every_command_and_runs_the_one_named(tmp_path):
    """The console entry point: help lists every command, a mistyped name gets
    suggestions, a command runs."""
    ragplan = str(Path(sys.executable).parent / "ragplan")

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([ragplan, *argv], cwd=tmp_path, capture_output=True, text=True)

    listed = run("--help")
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.split("Commands:\n")[1].splitlines()] == [
        "status", "validate", "check", "update", "new", "diff", "snapshot", "history",
        "render", "import", "export", "risks", "rules", "schema", "serve",
    ]  # fmt: skip
    mistyped = run("valdate")
    assert mistyped.returncode == 2 and "Did you mean 'validate'" in mistyped.stderr
    named = run("--debug", "schema", "plan")
    assert named.returncode == 0 and json.loads(named.stdout)["title"]
