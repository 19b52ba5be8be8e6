"""`ragplan diff`, `ragplan history` and `ragplan snapshot` on real git repositories with
fixed authors and dates (SPEC 2; issue: the audit trail)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import RAGPLAN, action, dedent, git

PLAN = "title: Test plan\n"
FRESH = "updates:\n  - date: 2025-03-01\n    note: on track\n"


def write(folder: Path, name: str, text: str) -> None:
    (folder / "actions" / name).write_text(text, encoding="utf-8")


@pytest.fixture
def changed(make_plan, tmp_path: Path) -> Path:
    """A base commit (tag v1, 1 Mar 2025) and a head commit (10 Mar) with one change of
    every kind."""
    plan = make_plan(
        {
            "a1.yaml": action("A1", rag="amber", extra=FRESH),
            "a2.yaml": action("A2", deadline="2025-05-31", extra=FRESH),
            "a3.yaml": action("A3", deadline="2025-03-05", extra=FRESH),
            "a4.yaml": action("A4", deadline="2025-03-05", extra=FRESH),
            "a5.yaml": action("A5", extra=FRESH),
            "a6.yaml": action("A6", rag="green", extra="evidence: [Audit]\n" + FRESH),
            "a7.yaml": action("A7", extra=FRESH),
            "a8.yaml": action("A8", extra=FRESH),
            "a10.yaml": action("A10", deadline="2025-06-30", extra=FRESH),
        },
        plan=PLAN,
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "plan")
    git(tmp_path, "tag", "v1")
    write(plan, "a1.yaml", action("A1", rag="red", extra=FRESH))
    write(plan, "a2.yaml", action("A2", deadline="2025-07-31", extra=FRESH))
    write(
        plan,
        "a3.yaml",
        action("A3", deadline="2025-03-05", extra=FRESH)
        + "  - date: 2025-03-08\n    note: Slipped | late\n    explanation: Staff <b>away</b>\n"
        "    revised_deadline: 2025-04-30\n",
    )
    write(
        plan,
        "a4.yaml",
        action("A4", deadline="2025-03-05", extra=FRESH)
        + "  - date: 2025-03-08\n    note: Waiting\n    explanation: Data late\n",
    )
    write(
        plan,
        "a5.yaml",
        action("A5", extra="evidence:\n  - description: Report\n    link: https://example.org/r\n")
        + FRESH,
    )
    write(
        plan,
        "a6.yaml",
        action("A6", rag="blue", extra="completed: 2025-03-09\nevidence: [Audit]\n" + FRESH),
    )
    write(
        plan,
        "a7.yaml",
        action("A7", extra=FRESH + "withdrawn:\n  date: 2025-03-09\n  reason: Merged into A1.\n"),
    )
    (plan / "actions" / "a8.yaml").unlink()
    write(plan, "a9.yaml", action("A9", rag="green", deadline="2025-12"))
    write(plan, "a10.yaml", action("A10", deadline="2025-03-07", extra=FRESH))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "board changes", when="2025-03-10T12:00:00")
    return tmp_path


# The headline is one long line, as a pull-request comment shows it.
HEADLINE = (
    "**2 ratings changed: 1 up, 1 down · 2 deadlines moved: 1 later, 1 earlier · "
    "1 revised deadline added · 1 explanation added · 2 updates added · "
    "1 piece of evidence added · 1 action added · 1 action completed · 1 action withdrawn · "
    "1 action removed · 3 actions newly overdue**"
)
EXPECTED_MARKDOWN = """\
## Changes to Test plan

From v1 (git {sha}) (1 Mar 2025) to working tree (10 Mar 2025).

{headline}

### Ratings changed (2)

| Ref | Action |  | Was | Now |
| --- | --- | --- | --- | --- |
| A1 | Review caseloads | ↓ | Amber | Red |
| A6 | Review caseloads | ↑ | Green | Blue |

### Deadlines moved (2)

| Ref | Action | Was | Now | Moved | Times moved | Explanation |
| --- | --- | --- | --- | --- | --- | --- |
| A2 | Review caseloads | 31 May 2025 | 31 Jul 2025 | later | 1 | no explanation |
| A10 | Review caseloads | 30 Jun 2025 | 7 Mar 2025 | earlier | 1 | no explanation |

### Revised deadlines added (1)

| Ref | Action | Was | Revised to | Revisions | Explanation |
| --- | --- | --- | --- | --- | --- |
| A3 | Review caseloads | 5 Mar 2025 | 30 Apr 2025 | 1 | Staff &lt;b&gt;away&lt;/b&gt; |

### Explanations added (1)

| Ref | Action | Date | Explanation |
| --- | --- | --- | --- |
| A4 | Review caseloads | 8 Mar 2025 | Data late |

### Updates added (2)

| Ref | Action | Date | Note |
| --- | --- | --- | --- |
| A3 | Review caseloads | 8 Mar 2025 | Slipped \\| late |
| A4 | Review caseloads | 8 Mar 2025 | Waiting |

### Evidence added (1)

| Ref | Action | Evidence | Link |
| --- | --- | --- | --- |
| A5 | Review caseloads | Report | https://example.org/r |

### Actions added (1)

| Ref | Action | Rating | Deadline |
| --- | --- | --- | --- |
| A9 | Review caseloads | Green | 31 Dec 2025 |

### Completed (1)

| Ref | Action | Rating | Completed |
| --- | --- | --- | --- |
| A6 | Review caseloads | Blue | 9 Mar 2025 |

### Withdrawn (1)

| Ref | Action | Date | Reason |
| --- | --- | --- | --- |
| A7 | Review caseloads | 9 Mar 2025 | Merged into A1. |

### Removed (1)

| Ref | Action |
| --- | --- |
| A8 | Review caseloads |

### Newly overdue (3)

| Ref | Action | Due | Explained |
| --- | --- | --- | --- |
| A3 | Review caseloads | 5 Mar 2025 | yes |
| A4 | Review caseloads | 5 Mar 2025 | yes |
| A10 | Review caseloads | 7 Mar 2025 | no |

"""


def test_diff_markdown_lists_every_kind_of_change(run_cli, changed):
    sha = git(changed, "rev-parse", "v1")[:10]
    result = run_cli("diff", "v1", "--plan", "plan", "--today", "2025-03-10")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == EXPECTED_MARKDOWN.format(sha=sha, headline=HEADLINE)


def test_diff_json_has_the_same_content_with_stable_keys(run_cli, changed):
    result = run_cli("diff", "v1", "--plan", "plan", "--today", "2025-03-10", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["head"] == {"name": "working tree", "label": None, "date": "2025-03-10"}
    assert doc["base"]["date"] == "2025-03-01"
    (plan,) = doc["plans"]
    assert plan["counts"] == {
        "rating_changes": 2,
        "deadlines_moved": 2,
        "revised_deadlines": 1,
        "explanations": 1,
        "updates": 2,
        "evidence": 1,
        "added": 1,
        "completed": 1,
        "withdrawn": 1,
        "removed": 1,
        "newly_overdue": 3,
        "no_longer_overdue": 0,
        "risks": 0,
        "measure_states": 0,
        "readings": 0,
    }
    assert plan["rating_changes"][0] == {
        "ref": "A1",
        "title": "Review caseloads",
        "from": "Amber",
        "to": "Red",
        "arrow": "↓",
        "direction": "down",
    }
    assert plan["deadlines_moved"][0]["explanation"] is None
    assert plan["revised_deadlines"][0]["explanation"] == "Staff <b>away</b>"


def test_diff_between_two_revisions_and_by_date(run_cli, changed):
    result = run_cli("diff", "v1", "main", "--plan", "plan", "--format", "json")
    head = json.loads(result.stdout)["head"]
    assert head["date"] == "2025-03-10" and head["name"].startswith("main (git ")
    by_date = run_cli("diff", "2025-03-05", "--plan", "plan", "--today", "2025-03-10")
    assert by_date.stdout.splitlines()[2].startswith("From 2025-03-05 (git ")


def test_diff_with_no_change_says_so(run_cli, changed):
    result = run_cli("diff", "HEAD", "--plan", "plan", "--today", "2025-03-10")
    assert result.exit_code == 0
    assert result.stdout.endswith("No change to any action.\n")


def test_diff_against_a_snapshot_rebuilds_what_the_board_saw(run_cli, make_plan):
    make_plan(
        {"a1.yaml": action("A1", rag="red", extra=FRESH), "a2.yaml": action("A2")},
        plan=PLAN,
        snapshots={"board.yaml": "date: 2025-02-01\nratings: {A1: amber}\n"},
    )
    result = run_cli("diff", "board", "--plan", "plan", "--format", "json", "--today", "2025-03-10")
    plan = json.loads(result.stdout)["plans"][0]
    assert [(i["ref"], i["from"], i["to"]) for i in plan["rating_changes"]] == [
        ("A1", "Amber", "Red")
    ]
    assert [i["ref"] for i in plan["added"]] == ["A2"]
    assert [(i["ref"], i["date"]) for i in plan["updates"]] == [("A1", "1 Mar 2025")]


BAD_REVISIONS = [
    ("--output=x", "BASE '--output=x' is not a revision"),
    ("-p", "BASE '-p' is not a revision"),
    ("nosuchbranch", "BASE 'nosuchbranch': no such revision in this repository"),
]


@pytest.mark.parametrize(("revision", "message"), BAD_REVISIONS)
def test_bad_revisions_exit_2_with_a_plain_message(run_cli, changed, revision, message):
    result = run_cli("diff", "--plan", "plan", "--", revision)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ragplan: {message}")
    assert not (changed / "x").exists()


def test_diff_outside_a_repository_names_the_snapshots(run_cli, make_plan):
    make_plan({"a1.yaml": action("A1")}, plan=PLAN)
    result = run_cli("diff", "v1", "--plan", "plan")
    assert result.exit_code == 2
    assert "plan has no snapshot of that name, and is not in a git repository" in result.stderr


def test_a_shallow_clone_says_to_fetch_more_history(changed, tmp_path, run_cli, monkeypatch):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{changed}", str(clone)],
        check=True,
        capture_output=True,
    )
    monkeypatch.chdir(clone)
    result = run_cli("diff", "HEAD~1", "--plan", "plan")
    assert result.exit_code == 2
    assert "fetch more history (`fetch-depth: 0` in actions/checkout" in result.stderr


# --- snapshot --------------------------------------------------------------------------


def test_snapshot_writes_ratings_and_deadlines_of_live_actions(run_cli, make_plan, tmp_path):
    make_plan(
        {
            "a.yaml": action("1.10", rag="red", deadline="2025-06"),
            "b.yaml": action("2a", extra="withdrawn:\n  date: 2025-01-01\n  reason: Gone.\n"),
            "c.yaml": action("10a", deadline="ongoing"),
        },
        plan=PLAN,
    )
    result = run_cli(
        "snapshot", "2025-06", "--plan", "plan", "--label", "Board: June", "--today", "2025-06-12"
    )
    assert (result.exit_code, result.stdout) == (
        0,
        "plan/snapshots/2025-06.yaml: 2 ratings as of 2025-06-12\n",
    )
    assert (tmp_path / "plan" / "snapshots" / "2025-06.yaml").read_text() == dedent(
        """
        date: 2025-06-12
        label: "Board: June"
        ratings:
          "1.10": red
          10a: amber
        deadlines:
          "1.10": 2025-06
          10a: ongoing
        """
    )
    status = run_cli("status", "plan", "--today", "2025-06-20", "--format", "json")
    assert json.loads(status.stdout)["plans"][0]["baseline"]["name"] == "2025-06"


def test_snapshot_refuses_to_overwrite_without_force(run_cli, make_plan, tmp_path):
    make_plan(
        {"a.yaml": action("A1")},
        plan=PLAN,
        snapshots={"s.yaml": "date: 2025-01-01\nratings: {A1: red}\n"},
    )
    path = tmp_path / "plan" / "snapshots" / "s.yaml"
    before = path.read_bytes()
    result = run_cli("snapshot", "s", "--plan", "plan", "--today", "2025-02-01")
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert path.read_bytes() == before
    forced = run_cli("snapshot", "s", "--plan", "plan", "--today", "2025-02-01", "--force")
    assert forced.exit_code == 0
    assert path.read_text().startswith("date: 2025-02-01\nratings:\n  A1: amber\n")


@pytest.mark.parametrize("name", ["../x", "/tmp/x", "a\nb", "a/b", ".hidden", "x" * 65, ""])
def test_snapshot_refuses_unsafe_names(run_cli, make_plan, tmp_path, name):
    make_plan({"a.yaml": action("A1")}, plan=PLAN)
    result = run_cli("snapshot", name, "--plan", "plan", "--today", "2025-02-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("ragplan: snapshot name")
    assert not (tmp_path / "plan" / "snapshots").exists()
    assert not (tmp_path / "x").exists()


def test_snapshot_never_writes_through_a_link(run_cli, make_plan, tmp_path):
    make_plan({"a.yaml": action("A1")}, plan=PLAN)
    (tmp_path / "plan" / "snapshots").mkdir()
    victim = tmp_path / "victim.yaml"
    victim.write_text("keep")
    (tmp_path / "plan" / "snapshots" / "s.yaml").symlink_to(victim)
    for extra in ((), ("--force",)):
        result = run_cli("snapshot", "s", "--plan", "plan", "--today", "2025-02-01", *extra)
        assert result.exit_code == 2
    assert victim.read_text() == "keep"


# --- history ---------------------------------------------------------------------------


@pytest.fixture
def story(make_plan, tmp_path: Path) -> Path:
    """A1 created 1 Mar, rated red 5 Mar, broken 6 Mar, fixed 7 Mar, renamed 8 Mar."""
    plan = make_plan(
        {"a1.yaml": action("A1", extra=FRESH)},
        plan=PLAN,
        snapshots={"2025-03.yaml": "date: 2025-03-04\nlabel: March board\nratings: {A1: amber}\n"},
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "plan", when="2025-03-01T12:00:00")
    red = action("A1", rag="red", extra=FRESH) + (
        "  - date: 2025-03-05\n    note: Audit found gaps\n    explanation: x\n"
        "    revised_deadline: 2025-05-31\n"
    )
    write(plan, "a1.yaml", red)
    git(tmp_path, "commit", "-qam", "red", when="2025-03-05T12:00:00")
    write(plan, "a1.yaml", "ref: A1\ntitle: [unclosed\n")
    git(tmp_path, "commit", "-qam", "broken", when="2025-03-06T12:00:00")
    write(plan, "a1.yaml", red)
    git(tmp_path, "commit", "-qam", "fix", when="2025-03-07T12:00:00")
    git(tmp_path, "mv", "plan/actions/a1.yaml", "plan/actions/caseloads.yaml")
    git(tmp_path, "commit", "-qm", "rename", when="2025-03-08T12:00:00")
    return tmp_path


def test_history_follows_renames_and_goes_on_past_an_unreadable_version(run_cli, story):
    result = run_cli("history", "A1", "--plan", "plan")
    assert result.exit_code == 0, result.stderr
    shas = git(story, "log", "--format=%h", "--abbrev=10").split()[::-1]
    assert result.stdout == (
        "A1  Review caseloads\n"
        "  plan/actions/caseloads.yaml\n"
        "\n"
        f" 1 Mar 2025  commit {shas[0]} by Plan Owner\n"
        "               created: rated Amber, deadline 31 Mar 2025\n"
        "               update of 1 Mar 2025: on track\n"
        " 4 Mar 2025  board 2025-03 (March board)\n"
        "               reported to the board as Amber\n"
        f" 5 Mar 2025  commit {shas[1]} by Plan Owner\n"
        "               rating Amber -> Red\n"
        "               revised deadline 31 May 2025\n"
        "               update of 5 Mar 2025: Audit found gaps\n"
        f" 6 Mar 2025  commit {shas[2]} by Plan Owner\n"
        "               could not be read: line 3: did not find expected ',' or ']'\n"
        f" 7 Mar 2025  commit {shas[3]} by Plan Owner\n"
        "               readable again\n"
        f" 8 Mar 2025  commit {shas[4]} by Plan Owner\n"
        "               file renamed from plan/actions/a1.yaml to plan/actions/caseloads.yaml\n"
    )


def test_history_json_and_markdown(run_cli, story):
    doc = json.loads(run_cli("history", "A1", "--plan", "plan", "--format", "json").stdout)
    assert [(e["date"], e["kind"], e["rating"]) for e in doc["events"]] == [
        ("2025-03-01", "commit", "Amber"),
        ("2025-03-04", "snapshot", "Amber"),
        ("2025-03-05", "commit", "Red"),
        ("2025-03-06", "commit", None),
        ("2025-03-07", "commit", "Red"),
        ("2025-03-08", "commit", "Red"),
    ]
    markdown = run_cli("history", "A1", "--plan", "plan", "--format", "markdown").stdout
    assert markdown.startswith("## History of A1: Review caseloads\n\n| Date | Source |")
    assert "| 4 Mar 2025 | board 2025-03 (March board) | Amber |" in markdown


def test_history_stops_where_git_followed_another_action(run_cli, make_plan, tmp_path):
    plan = make_plan({"b.yaml": action("B1", extra=FRESH)}, plan=PLAN)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "B1", when="2025-03-01T12:00:00")
    git(tmp_path, "mv", "plan/actions/b.yaml", "plan/actions/a.yaml")
    write(plan, "a.yaml", action("A1", extra=FRESH))
    git(tmp_path, "commit", "-qam", "A1 replaces B1", when="2025-03-02T12:00:00")
    doc = json.loads(run_cli("history", "A1", "--plan", "plan", "--format", "json").stdout)
    assert [e["date"] for e in doc["events"]] == ["2025-03-02"]
    assert "held action B1, not A1" in doc["stopped"]


def test_history_of_an_unknown_ref_suggests_close_ones(run_cli, story):
    result = run_cli("history", "A2", "--plan", "plan")
    assert result.exit_code == 2
    assert "there is no action A2" in result.stderr and "did you mean A1?" in result.stderr


def test_history_finds_the_ref_in_the_plan_it_loaded_and_names_two_claimants(
    run_cli, story, monkeypatch
):
    """The plan is loaded once: the action whose history is asked for is found among
    its actions (in any case), without reading the action files again; a ref two files
    claim is named, not guessed."""
    import ragplan.read.refindex

    real = ragplan.read.refindex.locate

    def not_again(*args):  # type: ignore[no-untyped-def]
        raise AssertionError("the action files were read again")

    monkeypatch.setattr(ragplan.read.refindex, "locate", not_again)
    lower = run_cli("history", "a1", "--plan", "plan", "--format", "json")
    assert lower.exit_code == 0 and json.loads(lower.stdout)["ref"] == "A1"
    monkeypatch.setattr(ragplan.read.refindex, "locate", real)
    write(story / "plan", "copy.yaml", action("A1", extra=FRESH))
    twice = run_cli("history", "A1", "--plan", "plan")
    assert twice.exit_code == 2
    assert "2 files claim the ref A1" in twice.stderr


def test_two_files_claiming_one_ref_at_the_base_are_named_not_guessed(run_cli, make_plan, tmp_path):
    plan = make_plan({"a.yaml": action("A1"), "b.yaml": action("A1", rag="red")}, plan=PLAN)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "duplicate")
    (plan / "actions" / "b.yaml").unlink()
    result = run_cli("diff", "HEAD", "--plan", "plan", "--today", "2025-03-10")
    assert result.exit_code == 0
    note = result.stdout.split("\n\n")[2]
    assert note.startswith("Note: at HEAD (git ")
    assert note.endswith("2 files claim ref A1 (a.yaml, b.yaml): only one of them is compared.")


def test_history_never_reads_a_version_that_linked_out_of_the_repository(
    run_cli, make_plan, tmp_path
):
    plan = make_plan({}, plan=PLAN)
    secret = tmp_path.parent / "secret.yaml"
    secret.write_text("ref: A1\ntitle: TOP SECRET\nlead: x\ndeadline: 2025-01-01\nrag: red\n")
    target = plan / "actions" / "a.yaml"
    target.symlink_to(secret)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "link", when="2025-03-01T12:00:00")
    target.unlink()
    target.write_text(action("A1"))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "real file", when="2025-03-02T12:00:00")
    result = run_cli("history", "A1", "--plan", "plan", "--format", "json")
    assert result.exit_code == 0
    assert "SECRET" not in result.stdout
    changes = [e["changes"] for e in json.loads(result.stdout)["events"]]
    assert changes[0] == [
        "could not be read: the file was a symbolic link out of the repository, so it is not read"
    ]
    assert changes[1][0].startswith("created: rated Amber")


def test_a_ref_moved_between_plans_is_named(run_cli, make_plan, tmp_path):
    first = make_plan({"a.yaml": action("A1")}, plan=PLAN, name="plans/one")
    make_plan({"b.yaml": action("B1")}, plan=PLAN, name="plans/two")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "two plans")
    (first / "actions" / "a.yaml").rename(tmp_path / "plans" / "two" / "actions" / "a.yaml")
    result = run_cli("diff", "HEAD", "--today", "2025-03-10", "--format", "json")
    notes = [plan["notes"] for plan in json.loads(result.stdout)["plans"]]
    moved = "A1 is removed from plans/one and added to plans/two: perhaps it moved"
    assert notes == [[moved], [moved]]


def test_a_snapshot_some_plans_lack_is_named_not_taken_for_a_revision(run_cli, make_plan, tmp_path):
    make_plan({"a.yaml": action("A1")}, plan=PLAN, name="plans/one",
              snapshots={"2014-12.yaml": "date: 2014-12-12\nratings: {A1: red}\n"})  # fmt: skip
    make_plan({"b.yaml": action("B1")}, plan=PLAN, name="plans/two")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "plans")
    result = run_cli("diff", "2014-12", "--today", "2015-01-30")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "ragplan: BASE '2014-12': other plans have a snapshot of that name, but plans/two has "
        "none, and it is no git revision"
    )
    one = run_cli("diff", "2014-12", "--plan", "plans/one", "--today", "2015-01-30")
    assert one.exit_code == 0 and "From snapshot 2014-12" in one.stdout


def test_many_plans_are_compared_in_two_shares_with_the_same_diff(make_plan, tmp_path):
    """Past cli.trail.SPLIT_ACTIONS, a copy of the process compares the second half of
    the plans: the diff is the one a single process gives, in JSON and Markdown."""
    for n in range(3):
        make_plan(
            {f"{i:04d}.yaml": action(f"{i}", deadline="2025-06-30") for i in range(700)},
            name=f"plans/council-{n}",
        )
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    for n, i in ((0, 5), (2, 650)):  # one change in each share
        path = tmp_path / f"plans/council-{n}/actions/{i:04d}.yaml"
        path.write_text(path.read_text().replace("rag: amber", "rag: red"))
    (tmp_path / "plans/council-1/actions/0100.yaml").unlink()
    runs = {}
    for workers in "12":
        for output in ("markdown", "json"):
            env = {**os.environ, "RAGPLAN_WORKERS": workers, "RAGPLAN_TODAY": "2025-03-10"}
            done = subprocess.run(
                [RAGPLAN, "diff", "HEAD", "--format", output, "--no-cache"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
            )
            assert (done.returncode, done.stderr) == (0, ""), done.stderr
            runs[workers, output] = done.stdout
    assert runs["1", "markdown"] == runs["2", "markdown"]
    assert runs["1", "json"] == runs["2", "json"]
    changed = json.loads(runs["2", "json"])
    assert [(len(p["rating_changes"]), len(p["removed"])) for p in changed["plans"]] == [
        (1, 0),
        (0, 1),
        (1, 0),
    ]


FULL_ACTION = """\
ref: A1
title: Review caseloads
lead: [Kerry Mehta, Lana Shannon]
deadline: 2025-03-31
rag: amber
theme: Quality
source: Ofsted recommendation 2
strategic_lead: Geoff Little
start: 2025-01-01
completed: 2025-03-01
outcome: Caseloads are safe.
measures:
  - Fewer cases waiting
  - name: Visits
    baseline: {date: 2025-01-01, value: 10}
    target: {date: 2025-12-31, value: 110}
evidence:
  - description: Audit
    link: https://example.org/audit
    date: 2025-02-01
updates:
  - date: 2025-02-01
    note: Started
withdrawn:
  date: 2025-03-02
  reason: Merged into A2
"""


def test_an_action_as_a_board_saw_it_keeps_every_field_it_does_not_date():
    """core.as_at.action_at keeps every field it does not date, and dates the rest."""
    import dataclasses
    from datetime import date

    from ragplan.core.as_at import action_at
    from ragplan.read.loader import read_action

    path = Path("plan/actions/A1.yaml")
    action, findings = read_action(FULL_ACTION.encode(), path, ("blue", "green", "amber", "red"))
    assert findings == () and action is not None
    empty = [
        f.name
        for f in dataclasses.fields(action)
        if getattr(action, f.name) in (None, (), "") or getattr(action, f.name) == f.default
    ]
    assert empty == []  # the test covers every field
    assert action_at(action, date.max, action.rag, action.deadline) == action
    early = action_at(action, date(2025, 1, 15), "red", action.deadline)
    assert (early.rag, early.updates, early.evidence, early.completed, early.withdrawn) == (
        "red",
        (),
        (),
        None,
        None,
    )


def test_one_large_plan_is_compared_in_two_halves_with_the_same_diff(make_plan, tmp_path):
    """Past diffing.SPLIT_REFS refs, a copy of the process makes the items of half the
    refs: the diff against a snapshot is the one a single process gives."""
    actions = {f"{i:04d}.yaml": action(f"{i}", deadline="2025-06-30") for i in range(2100)}
    ratings = "".join(
        f"  '{i}': {'red' if i % 7 == 0 else 'amber'}\n" for i in range(2100) if i % 50
    )
    make_plan(actions, snapshots={"2025-02.yaml": f"date: 2025-02-28\nratings:\n{ratings}"})
    runs = {}
    for workers in "12":
        env = {**os.environ, "RAGPLAN_WORKERS": workers, "RAGPLAN_TODAY": "2025-03-10"}
        done = subprocess.run(
            [RAGPLAN, "diff", "2025-02", "--plan", "plan", "--format", "json", "--no-cache"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        runs[workers] = done.stdout
    assert runs["1"] == runs["2"]
    plan = json.loads(runs["2"])["plans"][0]
    assert len(plan["rating_changes"]) == 294 and len(plan["added"]) == 42


RISK = (
    "id: {id}\ntitle: Caseloads rise\nowner: Kerry Mehta\nopened: 2025-01-01\n"
    "likelihood: {l}\nimpact: {i}\n{extra}reviews:\n  - date: 2025-02-20\n    note: Seen.\n"
)
COUNTED = (
    "measures:\n  - name: Assessments within 45 days\n    unit: '%'\n"
    "    baseline: {{date: 2025-01-01, value: 50}}\n    target: {{date: 2025-12-31, value: 90}}\n"
    "    readings:\n      - {{date: 2025-02-01, value: 48}}\n{more}"
)


def test_diff_shows_the_risk_register_and_the_measures(run_cli, make_plan, tmp_path):
    plan = make_plan({"a1.yaml": action("A1", extra=COUNTED.format(more="") + FRESH)}, plan=PLAN)
    (plan / "risks").mkdir()
    risks = {
        "R1": RISK.format(id="R1", l=3, i=3, extra=""),
        "R2": RISK.format(id="R2", l=2, i=2, extra=""),
        "R3": RISK.format(
            id="R3", l=4, i=4, extra="target: {likelihood: 2, impact: 2, by: 2025-03-05}\n"
        ),
    }
    for name, text in risks.items():
        (plan / "risks" / f"{name}.yaml").write_text(text)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "plan")
    (plan / "risks" / "R1.yaml").write_text(RISK.format(id="R1", l=4, i=4, extra=""))
    (plan / "risks" / "R2.yaml").write_text(
        RISK.format(id="R2", l=2, i=2, extra="closed: {date: 2025-03-02, reason: Staffed up.}\n")
    )
    (plan / "risks" / "R4.yaml").write_text(RISK.format(id="R4", l=1, i=2, extra=""))
    more = "      - {date: 2025-03-05, value: 62}\n"
    (plan / "actions" / "a1.yaml").write_text(action("A1", extra=COUNTED.format(more=more) + FRESH))
    result = run_cli("diff", "main", "--plan", "plan", "--today", "2025-03-10", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    (changes,) = json.loads(result.stdout)["plans"]
    assert changes["risks"] == [
        {"ref": "R1", "title": "Caseloads rise", "change": "score up", "direction": "up",
         "from": "3 x 3 = 9 (Medium)", "to": "4 x 4 = 16 (High)"},
        {"ref": "R2", "title": "Caseloads rise", "change": "closed", "direction": "closed",
         "from": "2 x 2 = 4 (Low)", "to": "Staffed up."},
        {"ref": "R3", "title": "Caseloads rise", "change": "target date passed",
         "direction": "missed", "from": "2 x 2 = 4 by 5 Mar 2025", "to": "4 x 4 = 16 (High)"},
        {"ref": "R4", "title": "Caseloads rise", "change": "added", "direction": "added",
         "from": None, "to": "1 x 2 = 2 (Low)"},
    ]  # fmt: skip
    assert changes["measure_states"] == [
        {"ref": "A1", "title": "Review caseloads", "measure": "Assessments within 45 days",
         "from": "off track", "to": "on track"},
    ]  # fmt: skip
    assert changes["readings"] == [
        {"ref": "A1", "title": "Review caseloads", "measure": "Assessments within 45 days",
         "date": "5 Mar 2025", "value": "62%"},
    ]  # fmt: skip
    markdown = run_cli("diff", "main", "--plan", "plan", "--today", "2025-03-10").stdout
    assert (
        "### Risks changed (4)\n\n| Risk | What could happen | Change | Was | Now |\n" in markdown
    )
    assert "4 risks changed · 1 measure changed state · 1 reading added" in markdown
