"""Attacks on the gate, each built as a pull request would be (SPEC 1, 3.1, 3.4): an
honest plan is committed on main, failing the gate (A1 is overdue with no explanation);
the attack changes the checkout; `check` must still fail, or exit 2 saying why."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import action, git

TODAY = "2025-03-01"
FRESH = "updates:\n  - date: 2025-02-20\n    note: on track\n"


@pytest.fixture
def pr(make_plan, tmp_path: Path) -> Path:
    """The plan folder of a repository whose main holds the honest plan."""
    make_plan(
        {
            "a1.yaml": action("A1", deadline="2025-01-31", extra=FRESH),
            "a2.yaml": action("A2", deadline="2025-12-31", extra=FRESH),
        },
        name="plans/improve",
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "the plan")
    git(tmp_path, "checkout", "-q", "-b", "pull-request")  # the attack is made on a branch
    return tmp_path / "plans" / "improve"


def gate(run_cli, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli("check", "plans", "--today", TODAY, "--format", "json", *extra)


def findings(result) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(f["rule"], f["file"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_the_honest_plan_fails_the_gate(run_cli, pr):
    result = gate(run_cli)
    assert result.exit_code == 1
    assert [rule for rule, _, _ in findings(result)] == ["overdue-unexplained"]


# --- plans that vanish ----------------------------------------------------------------


def test_a_decoy_plan_yaml_above_the_plans_is_refused(run_cli, pr):
    (pr.parent / "plan.yaml").write_text("title: Decoy\n")
    result = gate(run_cli)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "ragplan: plans/plan.yaml sits above other plans (plans/improve): a plan folder "
        "cannot hold another plan, so one of them would not be checked\n"
        "  move plans/plan.yaml and its actions/ into a folder of their own, or delete it "
        "if it is a stray\n"
    )


def test_a_plan_moved_inside_a_new_plan_folder_is_refused(run_cli, pr):
    outer = pr.parent / "new"
    (outer / "actions").mkdir(parents=True)
    (outer / "plan.yaml").write_text("title: New\n")
    shutil.move(str(pr), str(outer / "improve"))
    result = gate(run_cli)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "ragplan: plans/new/plan.yaml sits above other plans (plans/new/improve)"
    )


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_a_plan_whose_plan_yaml_goes_is_reported(run_cli, pr, make_plan, how):
    make_plan({"b.yaml": action("B1", extra=FRESH)}, name="plans/other")
    if how == "delete":
        (pr / "plan.yaml").unlink()
    else:
        (pr / "plan.yaml").rename(pr / "plan.yml")
    result = gate(run_cli)
    assert result.exit_code == 2
    assert findings(result) == [
        (
            "missing-plan",
            "plans/improve/plan.yaml",
            "plans/improve holds actions/ but no plan.yaml, so none of it is read as a plan",
        )
    ]


def test_a_plan_removed_since_the_base_is_reported(run_cli, pr, make_plan, tmp_path):
    make_plan({"b.yaml": action("B1", extra=FRESH)}, name="plans/other")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "another plan")
    shutil.rmtree(pr)
    result = gate(run_cli, "--since", "main")
    assert result.exit_code == 1
    assert findings(result) == [
        (
            "plan-removed",
            "plans/improve/plan.yaml",
            "plans/improve was a plan at main, and its plan.yaml is gone: none of its "
            "actions is checked any more",
        )
    ]


# --- actions that vanish --------------------------------------------------------------


def _dangling(a1: Path) -> None:
    a1.unlink()
    a1.symlink_to("nowhere.yaml")


def _device(a1: Path) -> None:
    a1.unlink()
    a1.symlink_to("/dev/zero")


def _folder_link(a1: Path) -> None:
    a1.unlink()
    a1.symlink_to(a1.parent.parent)


def _fifo(a1: Path) -> None:
    a1.unlink()
    os.mkfifo(a1)


def _directory(a1: Path) -> None:
    a1.unlink()
    a1.mkdir()


def _renamed(name: str):  # type: ignore[no-untyped-def]
    return lambda a1: a1.rename(a1.parent / name)


def _moved_down(a1: Path) -> None:
    (a1.parent / "old").mkdir()
    a1.rename(a1.parent / "old" / a1.name)


NOT_PLAIN = "is not a plain file (a named pipe, a socket or a device)"


@pytest.mark.parametrize(
    ("attack", "name", "message"),
    [
        (_dangling, "a1.yaml", "a1.yaml is a symbolic link to nothing"),
        (_device, "a1.yaml", f"a1.yaml {NOT_PLAIN}"),
        (_folder_link, "a1.yaml", "a1.yaml is a folder: plan files sit directly in actions/"),
        (_fifo, "a1.yaml", f"a1.yaml {NOT_PLAIN}"),
        (_directory, "a1.yaml", "a1.yaml is a folder: plan files sit directly in actions/"),
        (
            _renamed("a1.YAML"),
            "a1.YAML",
            "a1.YAML is not read: plan files are named NAME.yaml or NAME.yml (lower case)",
        ),
        (
            _renamed("a1.yaml.bak"),
            "a1.yaml.bak",
            "a1.yaml.bak is not read: plan files are named NAME.yaml or NAME.yml (lower case)",
        ),
        (
            _renamed(".a1.yaml"),
            ".a1.yaml",
            ".a1.yaml is a hidden file, so a reviewer may not see it",
        ),
        (
            _renamed("a1.yaml "),
            "a1.yaml ",
            "a1.yaml  is not read: plan files are named NAME.yaml or NAME.yml (lower case)",
        ),
        (_moved_down, "old", "old is a folder: plan files sit directly in actions/"),
    ],
)
def test_an_action_that_would_vanish_is_named(run_cli, pr, attack, name, message):
    attack(pr / "actions" / "a1.yaml")
    result = gate(run_cli)
    assert result.exit_code == 2
    assert findings(result) == [("not-a-plan-file", f"plans/improve/actions/{name}", message)], (
        result.stdout
    )


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_a_plan_without_its_actions_folder_is_an_error(run_cli, pr, how):
    if how == "delete":
        shutil.rmtree(pr / "actions")
    else:
        (pr / "actions").rename(pr / "done")
    result = gate(run_cli)
    assert result.exit_code == 2
    assert findings(result) == [
        (
            "missing-actions",
            "plans/improve/plan.yaml",
            "improve has no actions/ folder, so none of its actions is read",
        )
    ]


def test_a_link_to_an_action_file_inside_the_repository_is_still_read(run_cli, pr, tmp_path):
    kept = tmp_path / "kept"
    kept.mkdir()
    (pr / "actions" / "a1.yaml").rename(kept / "a1.yaml")
    (pr / "actions" / "a1.yaml").symlink_to(kept / "a1.yaml")
    result = gate(run_cli)
    assert (result.exit_code, [r for r, _, _ in findings(result)]) == (1, ["overdue-unexplained"])


# --- explanations that are not ----------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        "  - date: 2025-02-25\n    explanation: null\n",
        "  - date: 2025-02-25\n    explanation: NULL\n",
        "  - date: 2025-02-25\n    explanation: ~\n",
        "  - date: 2025-02-25\n    explanation: \u3164\n",
        "  - date: 2025-02-25\n    explanation: \uffa0\uffa0\n",
        "  - date: 2025-02-25\n    explanation: \u115f\u1160\n",
        "  - date: 2025-02-25\n    explanation: '\u200b\u2060'\n",
        "  - date: 2099-01-01\n    explanation: Delayed by the DfE review.\n",
    ],
)
def test_an_explanation_that_is_not_one_leaves_the_action_unexplained(run_cli, pr, update):
    a1 = pr / "actions" / "a1.yaml"
    a1.write_text(a1.read_text(encoding="utf-8") + update, encoding="utf-8")
    result = gate(run_cli)
    assert result.exit_code == 1
    assert "overdue-unexplained" in [rule for rule, _, _ in findings(result)]


def test_a_null_explanation_does_not_explain_a_moved_deadline(run_cli, pr):
    a2 = pr / "actions" / "a2.yaml"
    moved = a2.read_text().replace("2025-12-31", "2026-06-30")
    a2.write_text(moved + "  - date: 2025-02-25\n    explanation: null\n")
    result = gate(run_cli, "--since", "main")
    assert result.exit_code == 1
    assert "deadline-moved-unexplained" in [rule for rule, _, _ in findings(result)]


# --- hidden lines and digits --------------------------------------------------------------


@pytest.mark.parametrize(
    ("separator", "name"),
    [
        ("\u2028", "U+2028, a line separator"),
        ("\u2029", "U+2029, a line separator"),
        ("\x85", "a NEL (U+0085)"),
        ("\r", "a carriage return (CR) alone"),
    ],
)
def test_a_key_hidden_on_another_line_is_an_error_at_its_place(run_cli, pr, separator, name):
    a1 = pr / "actions" / "a1.yaml"
    text = a1.read_text().replace(
        "title: Review caseloads\n", f"title: Review caseloads{separator}deadline: 2099-12\n"
    )
    a1.write_bytes(text.encode("utf-8"))
    result = gate(run_cli)
    assert result.exit_code == 2
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["line"], finding["message"]) == (
        "line-break",
        2,
        f"this line holds {name}, which YAML reads as a line break that many editors and "
        "diff views do not show",
    )


@pytest.mark.parametrize(
    "deadline", ["\u0662\u0660\u0669\u0669-\u0661\u0662", "２０９９-１２", "𝟸𝟶𝟿𝟿-𝟷𝟸"]
)
def test_a_deadline_in_other_digits_is_not_a_date(run_cli, pr, deadline):
    a1 = pr / "actions" / "a1.yaml"
    a1.write_text(a1.read_text().replace("2025-01-31", deadline), encoding="utf-8")
    result = gate(run_cli)
    assert result.exit_code == 2
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["file"]) == ("schema", "plans/improve/actions/a1.yaml")
    assert finding["message"].startswith(f"'deadline': '{deadline}' is not a date")


# --- rules loosened in plan.yaml ----------------------------------------------------------

LOOSENINGS = [
    (
        "rules:\n  overdue-unexplained: off\n",
        "plan.yaml turns off overdue-unexplained (by default an error)",
    ),
    (
        "rules:\n  overdue-unexplained: info\n",
        "plan.yaml lowers overdue-unexplained from error to info",
    ),
    (
        "settings:\n  explanation_valid_days: 99999\n",
        "plan.yaml sets explanation_valid_days to 99999 (default 31): explanations last longer",
    ),
    (
        "rag_scale:\n  - {key: blue, complete: true}\n  - {key: green}\n"
        "  - {key: amber, complete: true}\n  - {key: red}\n",
        "plan.yaml marks the rating 'amber' complete: actions rated Amber count as done, "
        "and are never overdue",
    ),
]


@pytest.mark.parametrize(("lines", "message"), LOOSENINGS)
def test_a_rule_loosened_in_plan_yaml_is_shown_in_every_format(run_cli, pr, lines, message):
    (pr / "plan.yaml").write_text("title: Test plan\nstart: 2025-01-01\n" + lines)
    standing = findings(gate(run_cli))
    assert ("rules-loosened", "plans/improve/plan.yaml", message) in standing
    text = run_cli("check", "plans", "--today", TODAY)
    assert f"warning [rules-loosened] {message}" in text.stdout
    github = run_cli("check", "plans", "--today", TODAY, "--format", "github")
    assert "::warning file=plans/improve/plan.yaml,line=3" in github.stdout
    assert "rules-loosened" in github.stdout


@pytest.mark.parametrize(("lines", "message"), LOOSENINGS)
def test_a_pull_request_that_loosens_a_rule_fails_the_gate(run_cli, pr, lines, message):
    (pr / "plan.yaml").write_text("title: Test plan\nstart: 2025-01-01\n" + lines)
    result = gate(run_cli, "--since", "main")
    assert result.exit_code == 1
    (loosened,) = [
        f for f in json.loads(result.stdout)["findings"] if f["rule"] == "rules-loosened"
    ]
    assert (loosened["severity"], loosened["message"]) == ("error", message)


def test_a_loosening_the_base_had_already_is_only_a_warning(run_cli, pr, tmp_path):
    (pr / "plan.yaml").write_text("title: Test plan\nrules:\n  stale: info\n")
    git(tmp_path, "commit", "-q", "-am", "agreed at the board")
    result = gate(run_cli, "--since", "HEAD")  # the base has it already
    (loosened,) = [
        f for f in json.loads(result.stdout)["findings"] if f["rule"] == "rules-loosened"
    ]
    assert loosened["severity"] == "warning"


def test_plan_yaml_cannot_turn_off_the_rule_that_shows_it(run_cli, pr):
    (pr / "plan.yaml").write_text(
        "title: Test plan\nrules:\n  rules-loosened: off\n  overdue-unexplained: off\n"
    )
    result = gate(run_cli)
    messages = [m for rule, _, m in findings(result) if rule == "rules-loosened"]
    assert messages == [
        "plan.yaml sets rules-loosened to off, which it cannot change",
        "plan.yaml turns off overdue-unexplained (by default an error)",
    ]


# --- reading without limit ------------------------------------------------------------------


def _workbook(path: Path, far: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Lead", "Deadline", "RAG"])
    sheet.append(["1a", "Review caseloads", "Kerry Mehta", "2025-03-31", "Amber"])
    if far is not None:
        sheet[far] = "x"
    book.save(path)
    return path


def test_a_tiny_workbook_that_declares_a_huge_sheet_is_refused_at_once(run_cli, tmp_path):
    tracker = _workbook(tmp_path / "t.xlsx", far="ZZ100000")
    assert tracker.stat().st_size < 10_000
    result = run_cli("import", str(tracker), "--dry-run")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"ragplan: {tracker}: the sheet holds cells as far as A1:ZZ100000 (70,200,000); "
        "ragplan reads at most 100,000 cells a sheet\n"
        "  delete the rows and columns beyond the tracker (select them, then Delete), save, "
        "and import again\n"
    )


def test_a_merged_range_over_a_huge_area_is_refused_before_it_is_built(run_cli, tmp_path):
    import zipfile

    plain = _workbook(tmp_path / "plain.xlsx")
    hostile = tmp_path / "t.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hostile, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>",
                    b'</sheetData><mergeCells count="1">'
                    b'<mergeCell ref="A5:ZZ100000"/></mergeCells>',
                )
            target.writestr(member, data)
    result = run_cli("import", str(hostile), "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"ragplan: {hostile}: the sheet holds merged cells as far as A5:ZZ100000; ragplan "
        "reads at most 100,000 cells a sheet\n"
    )


def test_a_csv_cell_longer_than_csvs_own_limit_is_read_and_reported(run_cli, tmp_path):
    note = "word " * 40_000  # 200,000 characters: past csv's 131,072 and Excel's 32,767
    tracker = tmp_path / "t.csv"
    tracker.write_text(
        "Ref,Action,Lead,Deadline,RAG,Progress\n"
        f'1a,Review caseloads,Kerry Mehta,2025-03-31,Amber,"{note}"\n',
        encoding="utf-8",
    )
    result = run_cli("import", str(tracker), "--dry-run", "--as-of", "2025-02-01")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "F2: 200,000 characters, cut to 32,767" in result.stdout


# --- leftovers of a killed write -------------------------------------------------------------

KILL_AT = """
import os, signal, sys
real = getattr(os, sys.argv[1])
at = int(sys.argv[2])
calls = []
def killed(*args, **kwargs):
    calls.append(args)
    if len(calls) == at:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
setattr(os, sys.argv[1], killed)
sys.argv = ["ragplan", *sys.argv[3:]]
from ragplan.cli.commands import main
main()
"""


def _tracker(path: Path, rows: int = 5) -> Path:
    lines = ["Ref,Action,Lead,Deadline,RAG"]
    lines += [f"{n}a,Action {n},Kerry Mehta,2025-03-31,Amber" for n in range(1, rows + 1)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _killed(tmp_path: Path, function: str, at: int, *argv: str) -> None:
    import signal
    import subprocess
    import sys

    env = {**os.environ, "RAGPLAN_TODAY": TODAY}
    done = subprocess.run(
        [sys.executable, "-c", KILL_AT, function, str(at), *argv],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_a_killed_import_of_a_new_plan_writes_no_part_of_it(run_cli, tmp_path):
    tracker = _tracker(tmp_path / "tracker.csv")
    _killed(tmp_path, "fsync", 4, "import", str(tracker))  # after three of six files
    assert not (tmp_path / "plans" / "tracker").exists()
    result = run_cli("check", "plans", "--today", TODAY)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(
        "ragplan: plans/.tracker.ragplan-tmp is left from an import that was interrupted"
    )
    again = run_cli("import", str(tracker))
    assert again.exit_code == 0, again.stdout
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["tracker"]
    assert len(list((tmp_path / "plans" / "tracker" / "actions").iterdir())) == 5


def test_a_killed_import_into_a_plan_leaves_only_named_leftovers(run_cli, pr, tmp_path):
    tracker = _tracker(tmp_path / "tracker.csv")
    _killed(tmp_path, "fsync", 3, "import", str(tracker), "--into", "plans/improve")
    assert sorted(p.name for p in (pr / "actions").iterdir() if not p.name.startswith(".")) == [
        "a1.yaml",
        "a2.yaml",
    ]
    result = gate(run_cli)
    assert result.exit_code == 2
    assert {rule for rule, _, _ in findings(result)} == {"not-a-plan-file", "overdue-unexplained"}
    again = run_cli("import", str(tracker), "--into", "plans/improve")
    assert again.exit_code == 0, again.stdout
    names = sorted(p.name for p in (pr / "actions").iterdir())
    assert names == ["1a.yaml", "2a.yaml", "3a.yaml", "4a.yaml", "5a.yaml", "a1.yaml", "a2.yaml"]


def test_cache_entries_replaced_by_links_are_never_followed(pr, tmp_path, cache_dir):
    import subprocess
    import sys

    ragplan = str(Path(sys.executable).parent / "ragplan")
    env = {**os.environ, "RAGPLAN_CACHE_DIR": str(cache_dir), "RAGPLAN_TODAY": TODAY}
    argv = [ragplan, "check", "plans"]
    honest = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True)
    entries = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert honest.returncode == 1 and entries
    for target in ("/dev/zero", "/dev/urandom", str(pr / "actions" / "a1.yaml")):
        for entry in entries:
            entry.unlink(missing_ok=True)
            entry.symlink_to(target)
        again = subprocess.run(
            argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30
        )
        assert (again.returncode, again.stdout) == (1, honest.stdout), target


def test_a_snapshot_label_of_null_is_no_label(run_cli, pr):
    (pr / "snapshots").mkdir()
    snapshot = pr / "snapshots" / "2025-02.yaml"
    snapshot.write_text("date: 2025-02-14\nratings:\n  A1: amber\n")
    plain = run_cli("render", "plans", "--format", "markdown", "--today", TODAY)
    snapshot.write_text("date: 2025-02-14\nlabel: null\nratings:\n  A1: amber\n")
    nulled = run_cli("render", "plans", "--format", "markdown", "--today", TODAY)
    assert (nulled.exit_code, nulled.stdout) == (0, plain.stdout)
    assert "null" not in nulled.stdout


# --- history rewritten ------------------------------------------------------------------------


def test_deleting_an_action_with_its_updates_fails_the_gate(run_cli, pr):
    (pr / "actions" / "a1.yaml").unlink()
    result = gate(run_cli, "--since", "main")
    assert result.exit_code == 1
    assert findings(result) == [
        (
            "update-rewritten",
            "plans/improve/actions/a1.yaml",
            "A1 (a1.yaml) is gone, and its 1 update with it: the audit trail only grows",
        )
    ]


def test_editing_what_the_lead_said_fails_the_gate(run_cli, pr):
    a2 = pr / "actions" / "a2.yaml"
    a2.write_text(a2.read_text().replace("note: on track", "note: well ahead of plan"))
    result = gate(run_cli, "--since", "main")
    assert result.exit_code == 1
    assert ("update-rewritten", "plans/improve/actions/a2.yaml") in [
        (rule, file) for rule, file, _ in findings(result)
    ]


def test_turning_red_green_without_a_word_is_flagged(run_cli, pr):
    a2 = pr / "actions" / "a2.yaml"
    a2.write_text(a2.read_text().replace("rag: amber", "rag: green"))
    result = gate(run_cli, "--since", "main")
    assert ("rating-changed-without-update", "warning") in [
        (f["rule"], f["severity"]) for f in json.loads(result.stdout)["findings"]
    ]
