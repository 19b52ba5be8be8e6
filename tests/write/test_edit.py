"""`ragplan update` and `ragplan new`: exactly the asked-for lines change, refusals leave
the file byte for byte, writes are atomic and serialised (SPEC 2, issue: editing)."""

from __future__ import annotations

import difflib
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ragplan.read.loader import read_action
from tests.helpers import DATA, action, dedent
from tests.helpers.terminal import on_terminal

EDIT_CASES = DATA / "edit"
RAGPLAN = str(Path(sys.executable).parent / "ragplan")
GOLDEN = os.environ.get("RAGPLAN_GOLDEN") == "1"


def plan_with(tmp_path: Path, files: dict[str, bytes], plan: str = "title: T\n") -> Path:
    folder = tmp_path / "plans" / "p"
    (folder / "actions").mkdir(parents=True)
    (folder / "plan.yaml").write_text(plan, encoding="utf-8")
    for name, data in files.items():
        (folder / "actions" / name).write_bytes(data)
    return folder


def snapshot_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# --- golden files: the exact text after each update --------------------------------


@pytest.mark.parametrize("case", sorted(p.name for p in EDIT_CASES.iterdir()))
def test_update_changes_only_the_asked_for_lines(run_cli, tmp_path, case):
    before = (EDIT_CASES / case / "before.yaml").read_bytes()
    args = json.loads((EDIT_CASES / case / "args.json").read_text(encoding="utf-8"))
    folder = plan_with(tmp_path, {"A1.yaml": before})
    result = run_cli("update", "A1", *args)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    after = (folder / "actions" / "A1.yaml").read_bytes()
    expected_file = EDIT_CASES / case / "after.yaml"
    if GOLDEN:
        expected_file.write_bytes(after)
    assert after == expected_file.read_bytes()
    assert run_cli("validate", "plans").exit_code == 0


def test_golden_cases_keep_every_line_they_had(tmp_path):
    """Each expected file holds every line of the file before, in order; the only lines
    changed are the value a --rag or --completed replaces and flow lists appended to."""
    may_change = (b"rag:", b"\xef\xbb\xbfrag:", b"completed:", b"evidence: [", b"updates: [")
    for case in EDIT_CASES.iterdir():
        before = (case / "before.yaml").read_bytes().splitlines()
        after = (case / "after.yaml").read_bytes().splitlines()
        opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        changed = [
            line
            for tag, i1, i2, _, _ in opcodes
            if tag in ("replace", "delete")
            for line in before[i1:i2]
        ]
        assert all(line.startswith(may_change) for line in changed), (case.name, changed)


def test_bom_and_crlf_survive(tmp_path):
    after = (EDIT_CASES / "bom_crlf" / "after.yaml").read_bytes()
    assert after.startswith(b"\xef\xbb\xbfref: A1\r\n")
    assert after.count(b"\n") == after.count(b"\r\n")


# --- what an update writes -----------------------------------------------------------


def test_update_appends_one_update_and_reports_it(run_cli, tmp_path):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    result = run_cli("update", "A1", "--note", "Audit done", "--today", "2025-02-01")
    assert result.exit_code == 0
    assert result.stdout == "A1 (plans/p/actions/A1.yaml): update of 2025-02-01 added\n"
    text = (folder / "actions" / "A1.yaml").read_text()
    assert text == action() + "updates:\n  - date: 2025-02-01\n    note: Audit done\n"


def test_update_date_defaults_to_ragplan_today(run_cli, tmp_path):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    result = run_cli("update", "A1", "--note", "x y", env={"RAGPLAN_TODAY": "2025-02-03"})
    assert result.exit_code == 0
    assert "  - date: 2025-02-03\n" in (folder / "actions" / "A1.yaml").read_text()


def test_update_finds_a_ref_in_a_file_named_otherwise(run_cli, tmp_path):
    files = {
        "caseloads.yaml": action(ref='"1.10"').encode(),
        "other.yaml": action(ref="1.1").encode(),
    }
    folder = plan_with(tmp_path, files)
    result = run_cli("update", "1.10", "--note", "Moved on", "--date", "2025-02-01")
    assert result.exit_code == 0, result.stderr
    assert "Moved on" in (folder / "actions" / "caseloads.yaml").read_text()
    assert (folder / "actions" / "other.yaml").read_bytes() == files["other.yaml"]


def test_update_evidence_link_is_stored_relative_to_the_plan(run_cli, tmp_path):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    (folder / "evidence").mkdir()
    (folder / "evidence" / "audit.pdf").write_bytes(b"%PDF")
    result = run_cli(
        "update",
        "A1",
        "--note",
        "Audit published",
        "--date",
        "2025-02-01",
        "--evidence-link",
        "plans/p/evidence/audit.pdf",
    )
    assert result.exit_code == 0, result.stderr
    assert (
        (folder / "actions" / "A1.yaml")
        .read_text()
        .endswith(
            "evidence:\n  - description: audit.pdf\n    link: evidence/audit.pdf\n"
            "    date: 2025-02-01\nupdates:\n  - date: 2025-02-01\n    note: Audit published\n"
        )
    )
    assert run_cli("check", "plans", "--today", "2025-02-01").exit_code == 0


def test_update_keeps_the_file_mode(run_cli, tmp_path):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    path = folder / "actions" / "A1.yaml"
    path.chmod(0o640)
    assert run_cli("update", "A1", "--note", "x y", "--date", "2025-02-01").exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# --- refusals: exit 2, a plain message, the plan byte for byte -------------------------


REFUSALS = [
    (["update", "A2", "--note", "n"], "there is no action A2 in plans/p", "did you mean A1?"),
    (["update", "A1", "--note", "n", "--rag", "purple"], "'purple' is not a rating", "use one of"),
    (["update", "A1", "--note", "n", "--date", "2025-02-30"], "February 2025 has 28 days", None),
    (
        ["update", "A1", "--note", "n", "--revised-deadline", "2025-06"],
        "a revised deadline needs an explanation",
        "--explanation",
    ),
    (
        ["update", "A1", "--note", "n", "--completed", "2025-02-01"],
        "--completed is for a complete rating, and A1 is rated Amber",
        "--rag blue",
    ),
    (["update", "A1", "--note", "  "], "--note is empty", None),
    (["update", "A1"], "missing option --note", "--note"),
    (
        ["update", "A1", "--note", "n", "--evidence-link", "evidence/none.pdf"],
        "there is no file evidence/none.pdf",
        None,
    ),
    (
        ["update", "A1", "--note", "n", "--evidence-link", "file:///etc/passwd"],
        "is not a file path or an http(s) address",
        None,
    ),
    (
        [
            "new",
            "--ref",
            "A1",
            "--title",
            "t",
            "--lead",
            "Kerry Mehta",
            "--deadline",
            "2025-06",
            "--rag",
            "green",
        ],
        "this plan already has an action A1",
        "ragplan update A1",
    ),
    (
        [
            "new",
            "--ref",
            "B1",
            "--title",
            "t",
            "--lead",
            "Kerry Mehta",
            "--deadline",
            "2025-06",
            "--rag",
            "green",
            "--theme",
            "Qualty",
        ],
        "'Qualty' is not one of this plan's themes",
        "did you mean 'Quality'?",
    ),
    (
        [
            "new",
            "--ref",
            "B1",
            "--title",
            "t",
            "--lead",
            "Kery Mehta",
            "--deadline",
            "2025-06",
            "--rag",
            "green",
        ],
        "Kery Mehta is not in this plan's people list",
        "did you mean 'Kerry Mehta'?",
    ),
    (
        [
            "new",
            "--ref",
            "B1",
            "--title",
            "t",
            "--lead",
            "Kerry Mehta",
            "--deadline",
            "June 2025",
            "--rag",
            "green",
        ],
        "--deadline: 'June 2025' is not a date",
        None,
    ),
    (
        [
            "new",
            "--ref",
            "B1\n::error::forged",
            "--title",
            "t",
            "--lead",
            "Kerry Mehta",
            "--deadline",
            "2025-06",
            "--rag",
            "green",
        ],
        "--ref: a ref holds a line break (U+000A)",
        None,
    ),
]


@pytest.mark.parametrize(("argv", "message", "hint"), REFUSALS)
def test_refusals_leave_every_file_as_it_was(run_cli, tmp_path, argv, message, hint):
    plan = "title: T\nthemes: [Quality, Leadership]\npeople: [Kerry Mehta, Lana Shannon]\n"
    folder = plan_with(tmp_path, {"A1.yaml": action(extra="theme: Quality\n").encode()}, plan)
    before = snapshot_of(tmp_path / "plans")
    result = run_cli(*argv)
    assert result.exit_code == 2
    assert result.stdout == ""
    first, *rest = result.stderr.splitlines()
    assert message in first
    if hint:
        assert hint in rest[0]
    assert "Traceback" not in result.stderr
    assert snapshot_of(tmp_path / "plans") == before
    assert folder.exists()


def test_update_refuses_an_invalid_action_file_listing_its_problems(run_cli, tmp_path):
    folder = plan_with(tmp_path, {"A1.yaml": action(extra="dealine: 2025-01-01\n").encode()})
    before = snapshot_of(folder)
    result = run_cli("update", "A1", "--note", "n")
    assert result.exit_code == 2
    assert "A1.yaml:6:1: error [schema] unknown key 'dealine' in this action" in result.stderr
    assert snapshot_of(folder) == before


def test_update_refuses_a_symbolic_link(run_cli, tmp_path):
    folder = plan_with(tmp_path, {"real.yaml": action().encode()})
    (folder / "actions" / "A1.yaml").symlink_to("real.yaml")
    result = run_cli("update", "A1", "--note", "n")
    assert result.exit_code == 2
    assert "is a symbolic link; ragplan does not write through links" in result.stderr
    assert (folder / "actions" / "real.yaml").read_bytes() == action().encode()
    assert (folder / "actions" / "A1.yaml").is_symlink()


def test_new_and_update_refuse_an_actions_folder_that_links_out(run_cli, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "A1.yaml").write_text(action())
    folder = tmp_path / "repo" / "plans" / "p"
    folder.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    (folder / "plan.yaml").write_text("title: T\n")
    (folder / "actions").symlink_to(outside)
    os.chdir(tmp_path / "repo")
    result = run_cli("update", "A1", "--note", "n")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "ragplan: plans/p/actions links out of the repository; ragplan neither reads nor writes"
    )
    new = run_cli("new", "--ref", "B1", "--title", "t", "--lead", "X", "--deadline", "2025-06")
    assert new.exit_code == 2  # --rag is missing: typer's own usage error
    new = run_cli(
        "new", "--ref", "B1", "--title", "t", "--lead", "X", "--deadline", "2025-06", "--rag", "red"
    )
    assert new.exit_code == 2
    assert "plans/p/actions links out of the repository" in new.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["A1.yaml"]
    assert (outside / "A1.yaml").read_text() == action()


def test_several_plans_need_plan_and_the_error_lists_them(run_cli, tmp_path):
    plan_with(tmp_path, {"A1.yaml": action().encode()})
    other = tmp_path / "plans" / "q"
    (other / "actions").mkdir(parents=True)
    (other / "plan.yaml").write_text("title: Q\n")
    result = run_cli("update", "A1", "--note", "n")
    assert result.exit_code == 2
    assert result.stderr == (
        "ragplan: plans holds 2 plans; say which one\n"
        "  add one of: --plan plans/p, --plan plans/q\n"
    )
    assert run_cli("update", "A1", "--note", "n y", "--plan", "p").exit_code == 0
    assert run_cli("update", "A1", "--note", "n y", "--plan", "plans/p").exit_code == 0


# --- new -------------------------------------------------------------------------------


def test_new_writes_the_documented_key_order_with_the_schema_line(run_cli, tmp_path):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    result = run_cli(
        "new",
        "--ref",
        "13/14",
        "--title",
        "Publish the strategy: all of it",
        "--lead",
        "Kerry Mehta",
        "--lead",
        "Lana Shannon",
        "--deadline",
        "2025-06",
        "--rag",
        "GREEN",
        "--theme",
        "Quality",
        "--strategic-lead",
        "Karen Dolton",
        "--source",
        "Recommendation 3",
        "--start",
        "2025-01-01",
        "--outcome",
        "Every child has a plan",
        "--measure",
        "35% of audits good",
        "--measure",
        "yes",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("13/14: created plans/p/actions/13-14.yaml\n")
    assert (folder / "actions" / "13-14.yaml").read_text() == dedent(
        """
        # yaml-language-server: $schema=../action.schema.json
        ref: 13/14
        title: "Publish the strategy: all of it"
        theme: Quality
        source: Recommendation 3
        lead:
          - Kerry Mehta
          - Lana Shannon
        strategic_lead: Karen Dolton
        start: 2025-01-01
        deadline: 2025-06
        rag: green
        outcome: Every child has a plan
        measures:
          - 35% of audits good
          - "yes"
        """
    )
    assert run_cli("validate", "plans").exit_code == 0
    again = run_cli(
        "new", "--ref", "13/14", "--title", "t", "--lead", "X", "--deadline", "2025-06",
        "--rag", "red",
    )  # fmt: skip
    assert again.exit_code == 2
    assert "already has an action 13/14" in again.stderr


def test_new_never_replaces_a_file_whose_name_is_taken(run_cli, tmp_path):
    folder = plan_with(tmp_path, {"B1.yaml": action(ref="other").encode()})
    result = run_cli(
        "new", "--ref", "B1", "--title", "t", "--lead", "X", "--deadline", "2025-06",
        "--rag", "red",
    )  # fmt: skip
    assert result.exit_code == 0
    assert (folder / "actions" / "B1.yaml").read_text() == action(ref="other")
    assert "ref: B1\n" in (folder / "actions" / "B1-2.yaml").read_text()


# --- concurrency and faults: real processes --------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "RAGPLAN_TODAY": "2025-02-01", "NO_COLOR": "1"}


def test_a_writer_that_waits_too_long_for_the_lock_gives_up_cleanly(tmp_path, run_cli, monkeypatch):
    """While another process holds a plan's lock, `update` waits, then says so (exit 2)
    and writes nothing."""
    from ragplan.write import atomic

    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    before = (folder / "actions" / "A1.yaml").read_bytes()
    monkeypatch.setattr(atomic, "LOCK_TIMEOUT", 0.3)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from ragplan.write import atomic\n"
            "with atomic.plan_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True); sys.stdin.read()",  # until the test is done
            str(folder),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = run_cli("update", "A1", "--plan", str(folder), "--note", "Late")
    finally:
        holder.communicate("")  # its stdin closes: it lets go of the lock and ends
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"ragplan: another ragplan command has been writing to {folder} for 0 seconds\n"
        "  wait for it to finish, then run this again\n",
    )
    assert (folder / "actions" / "A1.yaml").read_bytes() == before


def test_twelve_simultaneous_updates_keep_all_twelve(tmp_path):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    runs = [
        subprocess.Popen(
            [RAGPLAN, "update", "A1", "--note", f"Note number {i}"],
            cwd=tmp_path,
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(12)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    path = folder / "actions" / "A1.yaml"
    found, findings = read_action(path.read_bytes(), path, ("blue", "green", "amber", "red"))
    assert findings == () and found is not None
    assert sorted(u.note for u in found.updates) == sorted(f"Note number {i}" for i in range(12))
    assert sorted(p.name for p in (folder / "actions").iterdir()) == ["A1.yaml"]
    assert sorted(p.name for p in folder.iterdir()) == ["actions", "plan.yaml"]


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    real = getattr(os, sys.argv[1])
    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    setattr(os, sys.argv[1], killed)
    sys.argv = ["ragplan", *sys.argv[2:]]
    from ragplan.cli.commands import main
    main()
    """
)


@pytest.mark.parametrize("point", ["fsync", "replace"])
def test_a_writer_killed_mid_write_leaves_the_old_file(tmp_path, point):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    path = folder / "actions" / "A1.yaml"
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, point, "update", "A1", "--note", "lost"],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    assert path.read_bytes() == action().encode()
    leftovers = [p.name for p in (folder / "actions").iterdir() if p.name != "A1.yaml"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".A1.yaml.")
    check = subprocess.run(
        [RAGPLAN, "validate", "plans"], cwd=tmp_path, env=_env(tmp_path), capture_output=True
    )
    # never read as an action, and named, so that `git add -A` never takes it unseen
    assert check.returncode == 2
    assert check.stdout.decode().splitlines()[0] == (
        f"plans/p/actions/{leftovers[0]}:1:1: error [not-a-plan-file] {leftovers[0]} is left "
        "from a write that was interrupted — delete it (the file it was writing is as it "
        "was before)"
    )
    (folder / "actions" / ".other.yaml.ragplan-tmp").write_text("ref: X\n")
    kept = subprocess.run(
        [RAGPLAN, "update", "A1", "--note", "kept"],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
    )
    assert kept.returncode == 0
    assert sorted(p.name for p in (folder / "actions").iterdir()) == ["A1.yaml"]
    assert "note: kept" in path.read_text() and "lost" not in path.read_text()


# --- on a terminal -----------------------------------------------------------------------


def test_update_on_a_terminal_shows_the_action_and_asks(tmp_path):
    folder = plan_with(
        tmp_path,
        {"A1.yaml": action(extra="updates:\n  - date: 2025-01-05\n    note: Started.\n").encode()},
    )
    code, text = on_terminal(
        [RAGPLAN, "update", "A1"],
        tmp_path,
        _env(tmp_path),
        [(b"Note", b"Half the teams audited\n"), (b"Rating", b"red\n"), (b"Write it?", b"\n")],
    )
    assert code == 0, text
    assert "A1  Review caseloads\n  rated Amber; deadline 31 Mar 2025\n" in text
    assert "latest update, 5 Jan 2025: Started." in text
    assert (
        "This will be written:\n  update of 1 Feb 2025: Half the teams audited\n"
        "  rating Amber -> Red\n"
    ) in text
    written = (folder / "actions" / "A1.yaml").read_text()
    assert written.endswith(
        "rag: red\nupdates:\n  - date: 2025-01-05\n    note: Started.\n"
        "  - date: 2025-02-01\n    note: Half the teams audited\n"
    )


LATE = action(deadline="2025-01-15", extra="updates:\n  - date: 2025-01-05\n    note: Started.\n")


def test_an_overdue_action_rated_better_than_red_needs_an_explanation_and_a_new_date(tmp_path):
    """Each wrong answer is asked again, keeping what was typed before."""
    folder = plan_with(tmp_path, {"A1.yaml": LATE.encode()})
    code, text = on_terminal(
        [RAGPLAN, "update", "A1"],
        tmp_path,
        _env(tmp_path),
        [
            (b"Note", b"Audit half done\n"),
            (b"Rating", b"purple\n"),
            (b"Rating", b"green\n"),
            (b"Explanation", b"...\n"),
            (b"Explanation", b"The DfE moved its visit\n"),
            (b"Revised deadline", b"2025-01-20\n"),
            (b"Revised deadline", b"2025-04-30\n"),
            (b"Write it?", b"y\n"),
        ],
    )
    assert code == 0, text
    assert "  overdue since 15 Jan 2025 (17 days), no explanation in force\n" in text
    assert "not a rating of this plan: use one of blue, green, amber, red" in text
    assert "it is overdue: rated Green, it needs an explanation and a revised deadline" in text
    assert "say why it is late, in words" in text
    assert "it is before 1 Feb 2025: give a date still to come" in text
    written = (folder / "actions" / "A1.yaml").read_text()
    assert written.endswith(
        "  - date: 2025-02-01\n    note: Audit half done\n"
        "    explanation: The DfE moved its visit\n    revised_deadline: 2025-04-30\n"
    )
    assert "rag: green\n" in written


def test_a_complete_rating_asks_for_evidence_and_the_date(tmp_path):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    code, text = on_terminal(
        [RAGPLAN, "update", "A1"],
        tmp_path,
        _env(tmp_path),
        [
            (b"Note", b"Signed off by the board\n"),
            (b"Rating", b"blue\n"),
            (b"Evidence", b"Board minutes, January 2025\n"),
            (b"Completed on", b"2025-02-09\n"),
            (b"Completed on", b"2025-01-31\n"),
            (b"Write it?", b"\n"),
        ],
    )
    assert code == 0, text
    assert "it is after 1 Feb 2025, the update's date" in text
    written = (folder / "actions" / "A1.yaml").read_text()
    assert "rag: blue\n" in written and "completed: 2025-01-31\n" in written
    assert "Board minutes, January 2025" in written


@pytest.mark.parametrize(
    "answers",
    [
        [(b"Note", b"Nearly\n"), (b"Rating", b"\n"), (b"Write it?", b"n\n")],
        [(b"Note", b"Nearly\n"), (b"Rating", b"\x04")],  # the input ends
        [(b"Note", b"Nearly\n"), (b"Rating", b"\x03")],  # Ctrl-C
    ],
)
def test_leaving_the_questions_writes_nothing(tmp_path, answers):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    before = snapshot_of(folder)
    code, text = on_terminal([RAGPLAN, "update", "A1"], tmp_path, _env(tmp_path), answers)
    assert snapshot_of(folder) == before
    if answers[-1][1] == b"n\n":
        # (typed ahead of the prompt's last space, which the terminal then shows after it)
        assert (code, text.splitlines()[-1].strip()) == (0, "Nothing was written.")
    else:
        assert code == 2, text
        assert "ragplan: stopped before the end: nothing was written" in text
        assert "Traceback" not in text


# --- attacks ---------------------------------------------------------------------------


def test_a_link_planted_at_the_temporary_name_is_not_written_through(run_cli, tmp_path):
    folder = plan_with(tmp_path, {"A1.yaml": action().encode()})
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (folder / "actions" / ".A1.yaml.ragplan-tmp").symlink_to(victim)
    assert run_cli("update", "A1", "--note", "n y", "--date", "2025-02-01").exit_code == 0
    assert victim.read_text() == "keep me"
    assert "note: n y" in (folder / "actions" / "A1.yaml").read_text()
    assert sorted(p.name for p in (folder / "actions").iterdir()) == ["A1.yaml"]


def test_a_stale_ref_index_never_redirects_a_write(run_cli, tmp_path):
    a1, b1 = action(ref="A1").encode(), action(ref="B1").encode()
    folder = plan_with(tmp_path, {"x.yaml": a1, "y.yaml": b1})
    assert run_cli("update", "A1", "--note", "first", "--date", "2025-02-01").exit_code == 0
    x, y = folder / "actions" / "x.yaml", folder / "actions" / "y.yaml"
    x.write_bytes(b1)  # the index remembers A1 in x.yaml; now x.yaml holds B1
    y.write_bytes(a1)
    assert run_cli("update", "A1", "--note", "second", "--date", "2025-02-02").exit_code == 0
    assert x.read_bytes() == b1
    assert y.read_text().endswith("updates:\n  - date: 2025-02-02\n    note: second\n")


def test_an_independent_yaml_reader_sees_exactly_the_update(tmp_path):
    """ruamel.yaml, a reader other than ragplan's, reads each edited golden file as the
    file before plus the asked-for change, and nothing else."""
    from ruamel.yaml import YAML

    reader = YAML(typ="safe", pure=True)
    for case in sorted(EDIT_CASES.iterdir()):
        before = reader.load((case / "before.yaml").read_bytes()) or {}
        after = reader.load((case / "after.yaml").read_bytes())
        args = json.loads((case / "args.json").read_text(encoding="utf-8"))
        options = dict(zip(args[::2], args[1::2], strict=True))
        new_update = after["updates"][-1]
        assert (before.get("updates") or []) == after["updates"][:-1], case.name
        assert str(new_update["date"]) == options["--date"]
        assert new_update["note"] == options["--note"]
        assert new_update.get("explanation") == options.get("--explanation")
        assert new_update.get("revised_deadline") == options.get("--revised-deadline")
        evidence = [options["--evidence"]] if "--evidence" in options else []
        assert after.get("evidence", []) == (before.get("evidence") or []) + evidence
        assert after["rag"] == options.get("--rag", before["rag"]).lower()
        if "--completed" in options:
            assert str(after["completed"]) == options["--completed"]
        changed = {"updates", "evidence", "rag", "completed"}
        assert {k: v for k, v in after.items() if k not in changed} == {
            k: v for k, v in before.items() if k not in changed
        }
