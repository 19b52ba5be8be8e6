"""--since over git: tags, branches, commits, dates and snapshots; bad revisions exit 2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, action

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Plan Owner",
    "GIT_AUTHOR_EMAIL": "owner@example.org",
    "GIT_COMMITTER_NAME": "Plan Owner",
    "GIT_COMMITTER_EMAIL": "owner@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}
FRESH = "updates:\n  - date: 2025-03-01\n    note: on track\n"


def git(repo: Path, *args: str, when: str = "2025-03-01T12:00:00") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(make_plan, tmp_path: Path) -> Path:
    """A repository: base commit (tag v1, branch base) on 1 Mar, head commit on 10 Mar."""
    plan = make_plan(
        {
            "a.yaml": action("A1", deadline="2025-04-30", rag="red", extra=FRESH),
            "b.yaml": action("B1", deadline="2025-05-31", extra=FRESH),
        }
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "plan")
    git(tmp_path, "tag", "v1")
    git(tmp_path, "branch", "base")
    (plan / "actions" / "a.yaml").write_text(
        action("A1", deadline="2025-06-30", rag="amber", extra=FRESH)
    )
    (plan / "actions" / "c.yaml").write_text(action("C1", extra=FRESH))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "move A1", when="2025-03-10T12:00:00")
    return tmp_path


MOVED = (
    "deadline-moved-unexplained",
    "error",
    "A1",
    "A1's deadline moved from 30 Apr 2025 to 30 Jun 2025 with no new explanation",
)


def moved(result) -> list[tuple[str, str, str, str]]:
    return [
        (f["rule"], f["severity"], f["ref"], f["message"])
        for f in json.loads(result.stdout)["findings"]
        if f["rule"].startswith("deadline")
    ]


@pytest.mark.parametrize("since", ["v1", "base", "main~1", "HEAD^", "2025-03-05", "2025-03-01"])
def test_deadline_moved_is_caught(run_cli, repo, since):
    result = run_cli("check", "plan", "--since", since, "--today", "2025-03-11", "--format", "json")
    assert (result.exit_code, moved(result)) == (1, [MOVED])


def test_by_commit_hash(run_cli, repo):
    sha = git(repo, "rev-parse", "v1")
    result = run_cli("check", "plan", "--since", sha, "--today", "2025-03-11", "--format", "json")
    assert moved(result) == [MOVED]


def test_without_since_the_rule_does_not_run(run_cli, repo):
    result = run_cli("check", "plan", "--today", "2025-03-11", "--format", "json")
    assert (result.exit_code, moved(result)) == (0, [])


def test_a_new_explanation_makes_it_pass(run_cli, repo):
    (repo / "plan" / "actions" / "a.yaml").write_text(
        action(
            "A1",
            deadline="2025-06-30",
            extra=FRESH + "  - date: 2025-03-10\n    note: moved\n"
            "    explanation: The audit was postponed by the regulator.\n",
        )
    )
    result = run_cli("check", "plan", "--since", "v1", "--today", "2025-03-11", "--format", "json")
    assert (result.exit_code, moved(result)) == (0, [])


def test_a_blank_explanation_does_not(run_cli, repo):
    (repo / "plan" / "actions" / "a.yaml").write_text(
        action(
            "A1",
            deadline="2025-04-30",
            extra=FRESH + "  - date: 2025-03-10\n    note: moved\n"
            "    explanation: '...'\n    revised_deadline: 2025-07-31\n",
        )
    )
    result = run_cli("check", "plan", "--since", "v1", "--today", "2025-03-11", "--format", "json")
    assert moved(result) == [
        (
            "deadline-moved-unexplained",
            "error",
            "A1",
            "A1's deadline moved from 30 Apr 2025 to 31 Jul 2025 with no new explanation",
        )
    ]


def test_status_since_a_tag_gives_arrows(run_cli, repo):
    result = run_cli("status", "plan", "--since", "v1", "--today", "2025-03-11", "--format", "json")
    plan = json.loads(result.stdout)["plans"][0]
    assert plan["baseline"] == {
        "name": "v1",
        "date": "2025-03-01",
        "label": "git " + git(repo, "rev-parse", "v1")[:10],
    }
    assert [(c["ref"], c["arrow"]) for c in plan["changes"]] == [
        ("A1", "↑"),
        ("B1", "↔"),
        ("C1", "new"),
    ]


def test_since_a_snapshot_uses_its_deadlines(run_cli, make_plan):
    make_plan(
        {"a.yaml": action("A1", deadline="2025-06-30", extra=FRESH)},
        snapshots={
            "board.yaml": "date: 2025-02-01\nratings: {A1: amber}\ndeadlines: {A1: 2025-04}\n"
        },
    )
    result = run_cli(
        "check", "plan", "--since", "board", "--today", "2025-03-11", "--format", "json"
    )
    assert moved(result) == [MOVED]


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("--output=/tmp/pwned", "ragplan: --since '--output=/tmp/pwned' is not a revision\n"),
        ("-p", "ragplan: --since '-p' is not a revision\n"),
        (
            "no-such-branch",
            "ragplan: --since 'no-such-branch': no such revision in this repository\n",
        ),
        ("origin/main", "ragplan: --since 'origin/main': no such revision in this repository\n"),
        ("2024-01-01", "ragplan: --since 2024-01-01: no commit at or before that date\n"),
        (
            "2025-02-30",
            "ragplan: --since: '2025-02-30' is not a real date: February 2025 has 28 days\n",
        ),
    ],
)
def test_bad_revisions(run_cli, repo, since, message):
    result = run_cli("check", "plan", f"--since={since}", "--today", "2025-03-11")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(message)
    assert not Path("/tmp/pwned").exists()


def test_outside_a_repository(run_cli, make_plan):
    make_plan({"a.yaml": action()})
    result = run_cli("check", "plan", "--since", "v1", "--today", "2025-03-11")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "ragplan: --since 'v1': plan has no snapshot of that name, and is "
        "not in a git repository\n  its snapshots are: none\n"
    )
    dated = run_cli("check", "plan", "--since", "2025-01-01", "--today", "2025-03-11")
    assert (dated.exit_code, dated.stderr) == (
        2,
        (
            "ragplan: plan is not inside a git repository, so --since cannot name a git revision\n"
            "  name a snapshot instead, or run ragplan inside the plan's repository\n"
        ),
    )


def workflow_command() -> str:
    """The `run:` line of the ragplan step in docs/ci.md's workflow."""
    text = (ROOT / "docs" / "ci.md").read_text()
    match = re.search(r"^\s+run: (ragplan check .*)$", text, re.MULTILINE)
    assert match, "docs/ci.md has no `run: ragplan check` step"
    return match.group(1)


def ci_checkout(tmp_path: Path, head_rag: str = "amber") -> tuple[Path, dict[str, str]]:
    """A pull request's checkout (origin/main, then a head commit moving A1's deadline),
    and the environment a GitHub runner gives the documented steps."""
    repo = tmp_path / "ci"
    actions = repo / "plans" / "ofsted" / "actions"
    actions.mkdir(parents=True)
    (repo / "plans" / "ofsted" / "plan.yaml").write_text("title: T\n")
    (actions / "a.yaml").write_text(action("A1", deadline="2025-04-30", extra=FRESH))
    git(repo, "init", "-q", "-b", "feature")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    (actions / "a.yaml").write_text(action("A1", deadline="2025-06-30", rag=head_rag, extra=FRESH))
    git(repo, "commit", "-q", "-am", "head", when="2025-03-10T12:00:00")
    env = {
        **os.environ,
        "BASE": "main",
        "RAGPLAN_TODAY": "2025-03-11",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    return repo, env


def test_the_documented_workflow_runs(tmp_path):
    """docs/ci.md's step, run by bash in a repository with a base and a head commit."""
    repo, env = ci_checkout(tmp_path)
    summary = tmp_path / "summary.md"
    result = subprocess.run(
        ["bash", "-c", workflow_command()], cwd=repo, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        "::error file=plans/ofsted/actions/a.yaml,line=4,col=1,title=deadline-moved-unexplained "
        "(A1)::A1's deadline moved from 30 Apr 2025 to 30 Jun 2025 with no new explanation — "
        "keep the original deadline and add an update with an explanation and a "
        "revised_deadline"
    )
    assert "deadline-moved-unexplained" in summary.read_text()


def test_pre_commit_hooks_file_names_real_commands():
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"]) for h in hooks] == [
        ("ragplan-check", "ragplan check"),
        ("ragplan-validate", "ragplan validate"),
    ]


def test_without_the_cache_the_base_reuses_unchanged_files(run_cli, repo, monkeypatch):
    """--since --no-cache parses only the base files whose bytes differ from HEAD's, and
    says exactly what a run with the cache says."""
    import ragplan.read.loader

    parsed: list[str] = []
    real = ragplan.read.loader.read_action

    def counting(data, path, rag_keys):
        parsed.append(path.name)
        return real(data, path, rag_keys)

    monkeypatch.setattr(ragplan.read.loader, "read_action", counting)
    argv = ("check", "plan", "--since", "v1", "--today", "2025-03-15", "--format", "json")
    bare = run_cli(*argv, "--no-cache")
    # HEAD: a, b, c; the base: only a.yaml differs (b.yaml is the same bytes, c.yaml is new)
    assert sorted(parsed) == ["a.yaml", "a.yaml", "b.yaml", "c.yaml"]
    assert moved(bare) == [MOVED]
    cached = run_cli(*argv)
    assert (cached.exit_code, cached.stdout) == (bare.exit_code, bare.stdout)


def test_the_documented_diff_step_writes_the_job_summary(tmp_path):
    """docs/ci.md's `ragplan diff` step, run by bash on a pull request's repository."""
    text = (ROOT / "docs" / "ci.md").read_text()
    match = re.search(r"^\s+run: (ragplan diff .*)$", text, re.MULTILINE)
    assert match, "docs/ci.md has no `run: ragplan diff` step"
    repo, env = ci_checkout(tmp_path, head_rag="red")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps\n")
    result = subprocess.run(
        ["bash", "-c", match.group(1)], cwd=repo, env=env, capture_output=True, text=True
    )
    assert (result.returncode, result.stderr) == (0, "")
    written = summary.read_text()
    assert written.startswith("earlier steps\n## Changes to T\n")
    assert "**1 rating changed: 1 down · 1 deadline moved later**" in written


def test_git_is_asked_only_for_the_base_files_that_differ(run_cli, repo, monkeypatch):
    """A base file whose object name is that of the bytes read now is not fetched from
    git (most files are unchanged); one whose bytes differ is, even when the difference
    is an edit not yet committed."""
    from ragplan.git.repository import Repository

    asked: list[int] = []
    real = Repository.objects

    def counting(self, requests):  # type: ignore[no-untyped-def]
        asked.append(len(requests))
        return real(self, requests)

    monkeypatch.setattr(Repository, "objects", counting)
    argv = ("check", "plan", "--since", "v1", "--today", "2025-03-15", "--format", "json")
    first = run_cli(*argv, "--no-cache")
    assert asked == [2] and moved(first) == [MOVED]  # plan.yaml and a.yaml; b.yaml as now
    b = repo / "plan" / "actions" / "b.yaml"
    b.write_text(action("B1", deadline="2025-09-30", extra=FRESH))  # not committed
    asked.clear()
    second = run_cli(*argv, "--no-cache")
    assert asked == [3]
    assert [m[2] for m in moved(second)] == ["A1", "B1"]
