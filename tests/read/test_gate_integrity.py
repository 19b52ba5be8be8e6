"""The gate cannot be gamed (SPEC 1, 6): what a pull request's author could commit.

Each test builds the attack as an author would (a forged cache, a symbolic link out of
the repository, a hostile ref) and asserts the verdict and the log are unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ragplan.read.cache import FORMAT, CacheDir
from tests.helpers import action, git

TODAY = "2025-03-01"
FRESH = "updates:\n  - date: 2025-02-20\n    note: on track\n"
RAGPLAN = str(Path(sys.executable).parent / "ragplan")


def ten_actions(late: str = "2025-01-31") -> dict[str, str]:
    """Ten actions, the first three overdue with no explanation."""
    return {
        f"a{n}.yaml": action(f"A{n}", deadline=late if n <= 3 else "2025-12-31", extra=FRESH)
        for n in range(1, 11)
    }


def forge(cache_root: Path) -> int:
    """Rewrite every stored run under `cache_root` to say the gate passed, dated as if
    its files had long settled: an author who knows the format. How many it rewrote."""
    cache = CacheDir(cache_root)
    entries = [p for p in (cache_root / f"v{FORMAT}" / "runs").rglob("*") if p.is_file()]
    for path in entries:
        loaded = cache.load(path)
        assert loaded is not None
        root, folders, files, started, _out, _err, _code, evidence = loaded[0]
        lie = "0 errors, 0 warnings, 0 info in 11 files\n"
        cache.store(path, (root, folders, files, started + 10**11, lie, "", 0, evidence))
    return len(entries)


# --- a committed cache ------------------------------------------------------------


def test_a_forged_cache_in_the_users_cache_would_pass_so_the_forgery_is_real(
    make_plan, cache_dir, tmp_path
):
    make_plan(ten_actions())
    env = {**os.environ, "RAGPLAN_CACHE_DIR": str(cache_dir)}
    argv = [RAGPLAN, "check", "plan", "--today", TODAY]
    honest = subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True)
    assert honest.returncode == 1
    assert honest.stdout.count("[overdue-unexplained]") == 3
    assert forge(cache_dir) == 1
    forged = subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True)
    assert (forged.returncode, forged.stdout) == (0, "0 errors, 0 warnings, 0 info in 11 files\n")


def test_a_cache_committed_in_the_repository_never_changes_the_verdict(make_plan, tmp_path):
    make_plan(ten_actions(), name="repo/plans/improve")
    repo = tmp_path / "repo"
    clone = tmp_path / "clone"
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-f", "-A")
    git(repo, "commit", "-q", "-m", "plans")
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    argv = [RAGPLAN, "check", "plans", "--today", TODAY]
    # the strongest forgery: entries made on the runner itself for these very files,
    # then rewritten, placed where the checkout's own cache folders would be
    made = tmp_path / "made"
    run = {**os.environ, "RAGPLAN_CACHE_DIR": str(made)}
    honest = subprocess.run(argv, env=run, cwd=clone, capture_output=True, text=True)
    assert honest.returncode == 1 and honest.stdout.count("[overdue-unexplained]") == 3
    assert forge(made) == 1
    for inside in (clone / ".cache" / "ragplan", clone / ".ragplan_cache"):
        shutil.copytree(made, inside)
    before = sorted(p.name for p in clone.rglob("*") if p.is_file())
    home = {k: v for k, v in os.environ.items() if k not in ("RAGPLAN_CACHE_DIR", "XDG_CACHE_HOME")}
    for env in (
        {"XDG_CACHE_HOME": str(clone / ".cache")},  # CI pointing the user cache into the checkout
        {"RAGPLAN_CACHE_DIR": str(clone / ".cache" / "ragplan")},
        {"RAGPLAN_CACHE_DIR": str(clone / ".ragplan_cache")},
        {"HOME": str(clone), "XDG_CACHE_HOME": ""},  # ~/.cache inside the checkout
    ):
        result = subprocess.run(
            argv, env={**home, **env}, cwd=clone, capture_output=True, text=True
        )
        assert (result.returncode, result.stdout) == (honest.returncode, honest.stdout), env
    after = sorted(p.name for p in clone.rglob("*") if p.is_file())
    assert after == before, "nothing is written into the checkout"


def test_a_cache_inside_the_plans_repository_is_not_used_from_outside_it(make_plan, tmp_path):
    # run from another repository, naming the plans by path: the user cache lies inside
    # the plans' repository, though not inside the working folder's
    make_plan(ten_actions(), name="repo/plans/improve")
    repo = tmp_path / "repo"
    git(repo, "init", "-q", "-b", "main")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    git(elsewhere, "init", "-q", "-b", "main")
    argv = [RAGPLAN, "check", str(repo / "plans"), "--today", TODAY]
    home = {k: v for k, v in os.environ.items() if k != "RAGPLAN_CACHE_DIR"}
    made = tmp_path / "made"
    honest = subprocess.run(
        argv,
        env={**home, "XDG_CACHE_HOME": str(made)},
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert honest.returncode == 1 and honest.stdout.count("[overdue-unexplained]") == 3
    assert forge(made / "ragplan") == 1
    shutil.copytree(made, repo / ".cache")
    result = subprocess.run(
        argv,
        env={**home, "XDG_CACHE_HOME": str(repo / ".cache")},
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (honest.returncode, honest.stdout)


def test_the_cache_lives_in_the_users_cache_directory_not_the_plan(
    run_cli, make_plan, tmp_path, monkeypatch
):
    make_plan(ten_actions())
    home = tmp_path.parent / f"{tmp_path.name}-home"
    monkeypatch.delenv("RAGPLAN_CACHE_DIR")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    before = sorted(tmp_path.rglob("*"))
    assert run_cli("check", "plan", "--today", TODAY).exit_code == 1
    assert sorted(tmp_path.rglob("*")) == before
    assert [p.name for p in (home / ".cache" / "ragplan").iterdir()] == [f"v{FORMAT}"]
    xdg = tmp_path.parent / f"{tmp_path.name}-xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    assert run_cli("validate", "plan").exit_code == 0
    assert (xdg / "ragplan" / f"v{FORMAT}").is_dir()
    shutil.rmtree(home)
    shutil.rmtree(xdg)
    for off in (["--no-cache"], []):
        env = {} if off else {"RAGPLAN_NO_CACHE": "1"}
        assert run_cli("status", "plan", "--today", TODAY, *off, env=env).exit_code == 0
        assert not home.exists() and not xdg.exists()


# --- symbolic links out of the repository ---------------------------------------------

SECRET = "ref: S1\ntitle: root:x:0:0:SECRET-LINE\nlead: Kerry\ndeadline: 2030-01-01\nrag: red\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the plan, outside its repository, holding files an author wants shown."""
    folder = tmp_path.parent / f"{tmp_path.name}-outside"
    (folder / "actions").mkdir(parents=True)
    (folder / "secret.yaml").write_text(SECRET)
    (folder / "actions" / "secret.yaml").write_text(SECRET)
    (folder / "plan.yaml").write_text("title: SECRET-PLAN\n")
    (folder / "snap.yaml").write_text("date: 2015-01-01\nratings: {SECRET-LINE: red}\n")
    return folder


def _outside_line(path: str) -> str:
    name = path.rsplit("/", 1)[1]
    return (
        f"{path}:1:1: error [symlink-outside] {name} is a symbolic link to a file outside the "
        "repository, so it is not read — replace the link with the file itself, or point it "
        "at a file inside the repository"
    )


@pytest.mark.parametrize(
    ("link", "target", "reported"),
    [
        ("plan/actions/x.yaml", "secret.yaml", "plan/actions/x.yaml"),
        ("plan/actions/y.yaml", "../../../{outside}/secret.yaml", "plan/actions/y.yaml"),
        ("plan/snapshots/s.yaml", "snap.yaml", "plan/snapshots/s.yaml"),
        ("plan/plan.yaml", "plan.yaml", "plan/plan.yaml"),
        ("plan/actions", "actions", "plan/actions/secret.yaml"),
    ],
)
def test_a_link_out_of_the_plan_is_named_and_never_read(
    run_cli, make_plan, outside, link, target, reported, tmp_path
):
    plan = make_plan({"a.yaml": action("A1", extra=FRESH)})
    (plan / "snapshots").mkdir()
    path = tmp_path / link
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    if target.startswith(".."):
        path.symlink_to(target.format(outside=outside.name))
    else:
        path.symlink_to(outside / target)
    for command in (["validate"], ["check", "--today", TODAY], ["status", "--today", TODAY]):
        result = run_cli(command[0], "plan", *command[1:])
        assert result.exit_code == 2, command
        assert "SECRET" not in result.stdout + result.stderr
        assert _outside_line(reported) in (result.stdout + result.stderr).splitlines()


def test_a_plan_folder_that_links_out_of_the_repository_is_not_read(
    run_cli, make_plan, outside, tmp_path
):
    make_plan({"a.yaml": action("A1", extra=FRESH)}, name="repo/plans/ours")
    git(tmp_path / "repo", "init", "-q")
    (tmp_path / "repo" / "plans" / "theirs").symlink_to(outside)
    result = run_cli("check", "repo/plans", "--today", TODAY)
    assert result.exit_code == 2
    assert "SECRET" not in result.stdout + result.stderr
    assert _outside_line("repo/plans/theirs/plan.yaml") in result.stdout.splitlines()


def test_links_inside_the_repository_are_followed(run_cli, make_plan, tmp_path):
    make_plan({"a.yaml": action("A1", extra=FRESH)}, name="repo/plans/ours")
    shared = tmp_path / "repo" / "shared"
    shared.mkdir()
    (shared / "b.yaml").write_text(action("B1", extra=FRESH))
    (tmp_path / "repo" / "plans" / "ours" / "actions" / "b.yaml").symlink_to(
        "../../../shared/b.yaml"
    )
    git(tmp_path / "repo", "init", "-q")
    result = run_cli("validate", "repo/plans")
    assert (result.exit_code, result.stdout) == (0, "1 plan, 2 actions: no problems found\n")


def test_a_link_out_of_the_repository_at_a_git_revision_is_not_read(
    run_cli, make_plan, outside, tmp_path, monkeypatch
):
    plan = make_plan({"a.yaml": action("A1", deadline="2025-04-30", extra=FRESH)}, name="repo/p")
    repo = tmp_path / "repo"
    (repo / "shared").mkdir()
    (repo / "shared" / "b.yaml").write_text(action("B1", deadline="2025-04-30", extra=FRESH))
    (plan / "actions" / "b.yaml").symlink_to("../../shared/b.yaml")
    (plan / "actions" / "x.yaml").symlink_to(outside / "secret.yaml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    (plan / "actions" / "x.yaml").unlink()
    (plan / "actions" / "b.yaml").unlink()
    (plan / "actions" / "b.yaml").write_text(action("B1", deadline="2025-06-30", extra=FRESH))
    monkeypatch.chdir(repo)
    result = run_cli("check", "p", "--today", TODAY, "--since", "HEAD")
    assert "SECRET" not in result.stdout + result.stderr
    # the link inside the repository was followed at the base: B1's move is seen
    assert result.exit_code == 1
    assert "[deadline-moved-unexplained] B1's deadline moved from" in result.stdout


# --- hostile refs ---------------------------------------------------------------------

HINT = "refs are short codes such as 3b, 1.10 or 13/14, on one line, at most 64 characters"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ('"A1\\n::error file=y.yaml,line=1::forged"', "'ref' holds a line break (U+000A)"),
        ('"A1\\e[2J\\e]8;;http://x\\e\\\\"', "'ref' holds an invisible control character (U+001B)"),
        ('"A1\\u202Eevil"', "'ref' holds an invisible control character (U+202E)"),
        ('"A1\\u2028B"', "'ref' holds a line break (U+2028)"),
        ('"A1\\tB"', "'ref' holds an invisible control character (U+0009)"),
        ("x" * 65, "'ref' is 65 characters long; at most 64 are allowed"),
    ],
)
def test_hostile_refs_are_structure_errors_at_their_line(run_cli, make_plan, ref, message):
    make_plan({"a.yaml": f"title: T\nref: {ref}\nlead: K\ndeadline: 2025-03-31\nrag: red\n"})
    result = run_cli("validate", "plan")
    assert (result.exit_code, result.stdout) == (
        2,
        f"plan/actions/a.yaml:2:6: error [schema] {message} — {HINT}\n"
        "1 error, 0 warnings, 0 info in 2 files\n",
    )


@pytest.mark.parametrize("ref", ["13/14", "1.10", "'--help'", "x" * 64, "Ofsted 3 (b)", "Café-2"])
def test_ordinary_refs_are_kept(run_cli, make_plan, ref):
    make_plan({"a.yaml": f"ref: {ref}\ntitle: T\nlead: K\ndeadline: 2025-03-31\nrag: red\n"})
    assert run_cli("validate", "plan").exit_code == 0


def test_hostile_refs_and_names_in_snapshots(run_cli, make_plan, tmp_path):
    plan = make_plan(
        {"a.yaml": action("A1", extra=FRESH)},
        snapshots={
            "2015-01.yaml": 'date: 2015-01-01\nratings:\n  A1: red\n  "B\\nC": red\n',
            "2015-02.yaml": 'date: 2015-02-01\nratings: {A1: red}\ndeadlines: {"\\e": 2015-03}\n',
        },
    )
    (plan / "snapshots" / "2015\x1b[2J.yaml").write_text("date: 2015-03-01\nratings: {A1: red}\n")
    result = run_cli("validate", "plan")
    assert (result.exit_code, result.stdout) == (
        2,
        "plan/snapshots/2015\\x1b[2J.yaml:1:1: error [schema] the snapshot's name (its file "
        "name) holds an invisible control character (U+001B) — rename the file: a board date "
        "such as 2015-01.yaml makes a good name\n"
        f"plan/snapshots/2015-01.yaml:4:3: error [schema] a ref in 'ratings' holds a line break "
        f"(U+000A) — {HINT}\n"
        f"plan/snapshots/2015-02.yaml:3:13: error [schema] a ref in 'deadlines' holds an "
        f"invisible control character (U+001B) — {HINT}\n"
        "3 errors, 0 warnings, 0 info in 5 files\n",
    )


# --- the cache gives the same answer as no cache ------------------------------------------


def same_as_fresh(run_cli, *args: str) -> str:
    cached = run_cli(*args)
    fresh = run_cli(*args, "--no-cache")
    assert (cached.exit_code, cached.stdout, cached.stderr) == (
        fresh.exit_code,
        fresh.stdout,
        fresh.stderr,
    )
    return cached.stdout


CHECK = ("check", "plan", "--today", TODAY, "--format", "json")


def test_edits_deletions_and_renames_are_seen(run_cli, make_plan, cache_dir):
    plan = make_plan(ten_actions())
    first = same_as_fresh(run_cli, *CHECK)
    assert any(cache_dir.rglob("*")), "the first run filled the cache"
    a1 = plan / "actions" / "a1.yaml"
    stat = a1.stat()
    # same size, same mtime, written in the same second as the cache: only ctime differs
    a1.write_text(a1.read_text().replace("2025-01-31", "2025-12-31"))
    os.utime(a1, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert a1.stat().st_size == stat.st_size
    edited = same_as_fresh(run_cli, *CHECK)
    assert edited != first and '"ref": "A1"' not in edited
    (plan / "actions" / "a2.yaml").unlink()
    assert '"ref": "A2"' not in same_as_fresh(run_cli, *CHECK)
    (plan / "actions" / "a3.yaml").rename(plan / "actions" / "z3.yaml")
    assert "z3.yaml" in same_as_fresh(run_cli, *CHECK)
    (plan / "plan.yaml").write_text(
        "title: T\nrag_scale:\n  - {key: done, complete: true}\n  - {key: amber}\n  - {key: red}\n"
    )
    assert same_as_fresh(run_cli, "validate", "plan") == "1 plan, 9 actions: no problems found\n"
    (plan / "plan.yaml").write_text("title: T\nrag_scale:\n  - {key: done, complete: true}\n")
    assert "unknown rating 'amber'" in same_as_fresh(run_cli, "validate", "plan")


def test_a_corrupt_cache_is_discarded(run_cli, make_plan, cache_dir):
    make_plan(ten_actions())
    expected = same_as_fresh(run_cli, *CHECK)
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert files
    for damage in (lambda b: b[: len(b) // 2], lambda b: b"\x00" * len(b), lambda b: b[:20]):
        for path in files:
            path.write_bytes(damage(path.read_bytes()) or b"x")
        assert same_as_fresh(run_cli, *CHECK) == expected
    for path in files:  # a well-formed envelope around nonsense
        CacheDir(cache_dir).store(path, ("not", "a", "cache"))
    assert same_as_fresh(run_cli, *CHECK) == expected
    for path in files:
        CacheDir(cache_dir).store(path, ((FORMAT, "0.1.0", ("red",)), {"a1.yaml": (1, 2, 3)}))
    assert same_as_fresh(run_cli, *CHECK) == expected
    for path in files:
        path.chmod(0)
    assert same_as_fresh(run_cli, *CHECK) == expected


def test_two_checkouts_at_one_path_never_share_a_stale_entry(run_cli, make_plan, tmp_path):
    plan = make_plan(ten_actions())
    first = same_as_fresh(run_cli, *CHECK)
    times = {p.name: p.stat().st_mtime_ns for p in (plan / "actions").iterdir()}
    shutil.rmtree(plan)
    other = make_plan({k: v.replace("amber", "green") for k, v in ten_actions().items()})
    for path in (other / "actions").iterdir():
        os.utime(path, ns=(times[path.name], times[path.name]))
    second = same_as_fresh(run_cli, *CHECK)
    assert second != first and "green" not in first


def test_concurrent_runs_share_one_cache_safely(make_plan, cache_dir, tmp_path):
    plan = make_plan(ten_actions())
    env = {**os.environ, "RAGPLAN_CACHE_DIR": str(cache_dir), "RAGPLAN_TODAY": TODAY}
    argv = [RAGPLAN, "check", "plan", "--format", "json"]
    for round_ in range(3):
        (plan / "actions" / f"new{round_}.yaml").write_text(action(f"N{round_}", extra=FRESH))
        expected = subprocess.run(
            [*argv, "--no-cache"], env=env, cwd=tmp_path, capture_output=True, text=True
        )
        runs = [
            subprocess.Popen(argv, env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True)
            for _ in range(4)
        ]
        outputs = {run.communicate()[0] for run in runs}
        assert outputs == {expected.stdout}
        assert {run.returncode for run in runs} == {1}
    leftovers = [p for p in cache_dir.rglob(".tmp-*")]
    assert leftovers == []


def test_the_cache_stays_within_its_limit(tmp_path):
    cache = CacheDir(tmp_path / "c", limit=10**9)
    paths = [cache.path_for("runs", str(n).encode()) for n in range(8)]
    for n, path in enumerate(paths):
        cache.store(path, b"x" * 3_000)
        os.utime(path, ns=(n * 10**9, n * 10**9))
    cache.touch(paths[0])  # used just now: kept
    cache.limit = 10_000
    cache.store(paths[7], b"x" * 3_000)  # a write prunes; this one is the newest
    os.utime(paths[7], ns=(7 * 10**9, 7 * 10**9))
    kept = sorted(p for p in paths if p.exists())
    assert kept == sorted([paths[0], paths[6], paths[7]])


def test_a_fifo_among_the_action_files_is_named_never_read(make_plan, tmp_path):
    """A named pipe committed as an action file is not a file to read: the run ends, and
    says so (an action replaced by a pipe must not vanish)."""
    plan = make_plan({"a.yaml": action("A1", extra=FRESH)})
    os.mkfifo(plan / "actions" / "pipe.yaml")
    env = {**os.environ, "RAGPLAN_NO_CACHE": "1"}
    result = subprocess.run(
        [RAGPLAN, "validate", "plan"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (
        2,
        "plan/actions/pipe.yaml:1:1: error [not-a-plan-file] pipe.yaml is not a plain file "
        "(a named pipe, a socket or a device) — delete it, or replace it with the file "
        "itself\n1 error, 0 warnings, 0 info in 2 files\n",
    )


def test_a_reused_run_still_sees_evidence_and_edits(run_cli, make_plan, cache_dir, monkeypatch):
    """Once settled, a second run reuses the first run's output, checked against every
    plan file's stat and every evidence link: deleting evidence or editing an action
    must still change the verdict. (The files count as settled at once here: a file is
    trusted only once it is older than the run that stored the entry.)"""
    from ragplan.read import cache

    monkeypatch.setattr(cache, "SETTLE_NS", 0)
    evidence = "evidence:\n  - description: Audit\n    link: evidence/audit.pdf\n"
    plan = make_plan({"a.yaml": action("A1", extra=FRESH + evidence), **ten_actions()})
    (plan / "evidence").mkdir()
    (plan / "evidence" / "audit.pdf").write_bytes(b"%PDF")
    first = same_as_fresh(run_cli, *CHECK)
    entries = list(cache_dir.rglob("runs/*/*"))
    assert entries, "the run was recorded"
    stored = os.stat(entries[0]).st_ino  # an entry written again is a new file
    assert same_as_fresh(run_cli, *CHECK) == first
    assert os.stat(entries[0]).st_ino == stored, "the second run reused the entry"
    (plan / "evidence" / "audit.pdf").unlink()
    missing = same_as_fresh(run_cli, *CHECK)
    assert "evidence-link-missing" in missing and "evidence-link-missing" not in first
    (plan / "evidence" / "audit.pdf").symlink_to("/etc/hostname")
    assert "points outside the repository" in same_as_fresh(run_cli, *CHECK)
    a4 = plan / "actions" / "a4.yaml"
    a4.write_text(a4.read_text().replace("2025-12-31", "2025-02-01"))
    assert same_as_fresh(run_cli, *CHECK).count("overdue-unexplained") == 4


def test_nothing_below_a_plan_folder_that_links_out_is_read(run_cli, make_plan, outside, tmp_path):
    (outside / "snapshots").mkdir()
    (outside / "snapshots" / "s.yaml").write_text("date: SECRET-SNAPSHOT\nratings: {}\n")
    (outside / "actions" / "bad.yaml").write_text("ref: [SECRET-ACTION\n")
    make_plan({"a.yaml": action("A1", extra=FRESH)}, name="repo/plans/ours")
    git(tmp_path / "repo", "init", "-q")
    (tmp_path / "repo" / "plans" / "theirs").symlink_to(outside)
    result = run_cli("validate", "repo/plans")
    assert "SECRET" not in result.stdout + result.stderr
    assert result.stdout.splitlines()[:-1] == [_outside_line("repo/plans/theirs/plan.yaml")]


@pytest.mark.parametrize(
    "env",
    [
        {"RAGPLAN_CACHE_MAX_MB": "lots"},
        {"RAGPLAN_CACHE_DIR": "/dev/null/not-a-folder"},
        {"RAGPLAN_NO_CACHE": "0"},
    ],
)
def test_bad_settings_in_the_environment_never_crash(run_cli, make_plan, env):
    make_plan(ten_actions())
    result = run_cli("check", "plan", "--today", TODAY, env=env)
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.count("[overdue-unexplained]") == 3


@pytest.mark.parametrize(
    "deadline",
    [
        "2025-01-01 #\n  2099-12-31",  # a comment ends the value: the next line is an error
        "2025-01-01\n\n  2099-12-31",  # a blank line inside a value
        ">-\n  2025-01-01\n\n  2099-12-31",  # a folded date with a gap
        "'2025-01-01'\n  2099-12-31",  # a quoted value does not go on
        "2025-01-01\r  2099-12-31",  # a lone CR, which libyaml takes as a line break
        "2025-01-01\n  - 2099-12-31",  # an entry under a value
    ],
)
def test_a_disguised_deadline_never_passes_the_gate(run_cli, make_plan, deadline):
    """Files written so that a reader other than libyaml might see a later deadline: the
    quick readers leave them to libyaml, so the overdue action still fails the gate."""
    make_plan({"a.yaml": action("A1", deadline=deadline, extra=FRESH)})
    result = run_cli(*CHECK)
    rules = {finding["rule"] for finding in json.loads(result.stdout)["findings"]}
    unusable = result.exit_code == 2 and rules <= {"yaml-syntax", "schema", "line-break"}
    overdue = result.exit_code == 1 and "overdue-unexplained" in rules
    assert unusable or overdue, result.stdout
