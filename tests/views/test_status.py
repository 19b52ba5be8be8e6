"""`ragplan status`: the dashboard in each format, filters, options and bad arguments."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ragplan.core import status as evaluate
from tests.helpers import ROOT, action, assert_golden

REPO = ROOT


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    return Path("plans")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("status-table.txt", ()),
        ("status-by-lead.txt", ("--group-by", "lead")),
        ("status.md", ("--format", "markdown")),
        ("status.json", ("--format", "json")),
        ("status-lead-filter.json", ("--format", "json", "--lead", "kerry mehta")),
        (
            "status-red.json",
            ("--format", "json", "--rag", "RED", "--theme", "Quality of practice and capacity"),
        ),
    ],
)
def test_bundled_plan(run_cli, bundled, name, args):
    result = run_cli("status", "--today", "2015-01-30", *args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert "\x1b" not in result.stdout
    assert_golden(name, result.stdout)


def test_bundled_plan_shows_every_arrow_and_state(run_cli, bundled):
    result = run_cli("status", "--format", "json", "--today", "2015-01-30")
    plan = json.loads(result.stdout)["plans"][0]
    assert {c["arrow"] for c in plan["changes"]} == {"↑", "↓", "↔", "new"}
    assert plan["baseline"]["name"] == "2014-12"
    assert plan["overdue_unexplained"] == ["6b", "9a", "10c"]
    assert plan["overdue_explained"] == ["1b"]
    assert plan["stale"] and plan["due_soon"]


def test_environment_sets_today(run_cli, bundled):
    by_option = run_cli("status", "--format", "json", "--today", "2015-01-30")
    by_env = run_cli("status", "--format", "json", env={"RAGPLAN_TODAY": "2015-01-30"})
    assert by_env.stdout == by_option.stdout
    assert json.loads(by_env.stdout)["today"] == "2015-01-30"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ("--today", "30/01/2015"),
            "ragplan: --today: '30/01/2015' is not a date: write "
            "YYYY-MM-DD (e.g. 2015-02-28)\n  for example --today 2015-01-30\n",
        ),
        (
            ("--today", "2015-02-30"),
            "ragplan: --today: '2015-02-30' is not a real date: February "
            "2015 has 28 days\n  for example --today 2015-01-30\n",
        ),
        (
            ("--rag", "purple"),
            "ragplan: --rag 'purple' is not a rating of this plan\n  use one of "
            "amber, blue, green, red\n",
        ),
        (
            ("--since", "2013-01"),
            "ragplan: --since '2013-01': plans/ofsted-2014 has no snapshot of "
            "that name, and is not in a git repository\n  its snapshots are: 2014-12, 2015-01\n",
        ),
    ],
)
def test_bad_arguments(run_cli, bundled, args, stderr):
    result = run_cli("status", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


def test_bad_choice_is_a_usage_error(run_cli, bundled):
    result = run_cli("status", "--format", "pdf")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr
    assert "Traceback" not in result.stderr


def test_control_characters_are_shown_not_obeyed(run_cli, make_plan):
    make_plan(
        {
            "a.yaml": action(deadline="2025-01-01").replace(
                "title: Review caseloads", 'title: "Clear\\e[2J\\e]8;;http://evil\\a screen"'
            )
        }
    )
    for fmt in ("table", "markdown"):
        result = run_cli("status", "plan", "--format", fmt, "--today", "2025-02-01")
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "\\x1b[2J" in result.stdout and "\\x07" in result.stdout


def test_markup_in_text_is_not_interpreted(run_cli, make_plan):
    make_plan(
        {
            "a.yaml": action(deadline="2025-01-01").replace(
                "title: Review caseloads", "title: '[bold red]Review[/] caseloads'"
            )
        }
    )
    result = run_cli("status", "plan", "--today", "2025-02-01")
    assert "[bold red]Review[/] caseloads" in result.stdout


def test_several_plans(run_cli, make_plan):
    make_plan({"a.yaml": action("A1", deadline="2025-01-01")}, name="plans/north")
    make_plan({"a.yaml": action("S1")}, name="plans/south")
    result = run_cli("status", "--format", "json", "--today", "2025-02-01")
    document = json.loads(result.stdout)
    assert [(p["path"], p["overdue"]) for p in document["plans"]] == [
        ("plans/north", ["A1"]),
        ("plans/south", []),
    ]


def test_internal_error_exits_3_with_one_line(run_cli, bundled, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(evaluate, "plan_status", broken)
    result = run_cli("status", "--today", "2015-01-30")
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(
        "ragplan: internal error (ZeroDivisionError: boom). This is a bug: please report it"
    )
    assert len(result.stderr.splitlines()) == 1


def test_debug_shows_the_traceback(run_cli, bundled, monkeypatch):
    monkeypatch.setattr(evaluate, "plan_status", lambda *a, **k: 1 / 0)
    result = run_cli("--debug", "status", "--today", "2015-01-30")
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "ZeroDivisionError" in result.stderr


def test_console_script_exit_codes(tmp_path):
    """The installed `ragplan` command, as CI runs it: no colour when piped, exit 2 on bad input."""
    import subprocess
    import sys

    ragplan = Path(sys.executable).parent / "ragplan"
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    ok = subprocess.run(
        [ragplan, "status", "--today", "2015-01-30"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert (ok.returncode, ok.stderr) == (0, "")
    assert "\x1b[" not in ok.stdout and "Children's Services Improvement Plan" in ok.stdout
    bad = subprocess.run(
        [ragplan, "validate", "missing"], cwd=tmp_path, capture_output=True, text=True
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "Traceback" not in bad.stderr


def test_two_workers_give_the_same_result(run_cli, make_plan):
    """A folder of many plans is read by two processes; the result must not change."""
    for n in range(5):
        make_plan(
            {
                "a.yaml": action("A1", deadline="2025-01-01"),
                "b.yaml": action("B1", rag="blue", extra="evidence: [Audit]\n"),
            },
            name=f"plans/council-{n}",
            snapshots={"s.yaml": "date: 2024-12-01\nratings: {A1: green}\n"},
        )
    outputs = []
    for workers in ("1", "2"):
        env = {"RAGPLAN_WORKERS": workers, "RAGPLAN_NO_CACHE": "1"}
        result = run_cli("status", "--format", "json", "--today", "2025-02-01", env=env)
        check = run_cli("check", "--today", "2025-02-01", env=env)
        assert (result.exit_code, check.exit_code) == (0, 1)
        outputs.append((result.stdout, check.stdout))
    assert outputs[0] == outputs[1]
    plans = json.loads(outputs[1][0])["plans"]
    assert [(p["path"], p["overdue"], p["done"]) for p in plans] == [
        (f"plans/council-{n}", ["A1"], ["B1"]) for n in range(5)
    ]
    assert plans[4]["changes"][0] == {"ref": "A1", "from": "green", "to": "amber", "arrow": "↓"}


def test_terminal_caps_each_group_and_says_how_many_more(run_cli, make_plan):
    make_plan({f"a{n}.yaml": action(f"A{n}", deadline="2025-01-01") for n in range(30)})
    result = run_cli("status", "plan", "--today", "2025-02-01")
    assert result.exit_code == 0
    assert result.stdout.count("overdue 31 days") == 25
    assert result.stdout.rstrip().endswith(
        "… and 5 more: narrow with --lead, --theme or --rag, or use --format markdown or json "
        "for all."
    )
    markdown = run_cli("status", "plan", "--today", "2025-02-01", "--format", "markdown")
    assert markdown.stdout.count("overdue 31 days, no explanation") == 30


def test_terminal_summarises_many_plans_one_row_each(run_cli, make_plan):
    make_plan({"a.yaml": action("A1", deadline="2025-01-01")}, name="plans/north")
    make_plan({"a.yaml": action("S1")}, name="plans/south")
    result = run_cli("status", "--today", "2025-02-01")
    assert (result.exit_code, result.stderr) == (0, "")
    assert_golden("status-many-plans.txt", result.stdout)
