"""The entry point runs `validate`, `check` and `status` in their simple forms before
Typer loads, and answers a repeated run under the key the command itself stores by
(SPEC 6): the same output as the command layer, an edit never missed, and any other
command line left to the command layer."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import action
from .test_gate_integrity import FRESH, TODAY, ten_actions

# Runs the console entry point as `ragplan` does, then says on stderr whether Typer was
# loaded and how many times the plan files' stats were read.
_ENTRY = """
import atexit, os, sys
import ragplan.memo as memo
counted = []
stats = memo.fingerprint
def counting(folders):
    counted.append(1)
    return stats(folders)
memo.fingerprint = counting
def probe():
    print(f"typer={'typer' in sys.modules} stats={len(counted)}", file=sys.stderr)
    sys.stderr.flush()
atexit.register(probe)
end, first = os._exit, os.getpid()
def ending(code):  # the entry point may end without atexit (launch.spare)
    if os.getpid() == first:  # not a worker or the cache's writer
        probe()
    end(code)
os._exit = ending
sys.argv = ["ragplan", *sys.argv[1:]]
from ragplan.cli.launch import main
main()
"""


def entry(*args: str, today: str = TODAY, **extra: str) -> tuple[int, str, str]:
    """`ragplan ARGS` through the console entry point; stderr's last line is the probe's."""
    env = {**os.environ, "RAGPLAN_TODAY": today, **extra}
    done = subprocess.run(
        [sys.executable, "-c", _ENTRY, *args], capture_output=True, text=True, env=env
    )
    *lines, probe = done.stderr.splitlines() or [""]
    return done.returncode, done.stdout, "\n".join([*lines, probe])


def settled_plan(make_plan) -> Path:  # type: ignore[no-untyped-def]
    plan = make_plan(ten_actions())
    time.sleep(2.1)  # an entry is reused only when every file is older than it
    return plan


REUSED = [
    ("check", "plan", "--format", "json"),
    ("check", "plan"),
    ("check", "--format=json", "plan", "--no-cache"),
    ("validate", "plan"),
    ("status", "plan", "--format", "markdown", "--group-by", "lead"),
    ("status", "--format", "json", "plan"),
    ("status", "plan"),  # a table, laid out for this (captured) output
    ("status", "plan", "--group-by", "lead", "--no-cache"),
]


def layer(*args: str) -> tuple[int, str]:
    """`ragplan ARGS` through the command layer (Typer) alone."""
    done = subprocess.run(
        [sys.executable, "-c", _LAYER, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "RAGPLAN_TODAY": TODAY},
    )
    return done.returncode, done.stdout


_LAYER = """
import sys
sys.argv = ["ragplan", *sys.argv[1:]]
from ragplan.cli.commands import main
main()
"""


def test_simple_forms_run_without_typer_and_a_second_run_prints_the_same(make_plan):
    settled_plan(make_plan)
    first = {args: entry(*args) for args in REUSED}
    time.sleep(2.1)
    for args in REUSED:
        reused = "--no-cache" not in args
        assert first[args][2].endswith(f"typer=False stats={int(reused)}"), args
        second = entry(*args)
        assert second[2].endswith(f"typer=False stats={int(reused)}"), args
        assert second[:2] == first[args][:2]
        fresh = layer(*args, "--no-cache") if reused else layer(*args)
        assert fresh == second[:2]  # what the command layer prints
        assert layer(*args) == second[:2]  # ... also from the store the entry point filled


def test_an_edit_after_the_first_run_is_seen(make_plan):
    plan = settled_plan(make_plan)
    first = entry("check", "plan")
    time.sleep(2.1)
    assert entry("check", "plan")[:2] == first[:2]
    a1 = plan / "actions" / "a1.yaml"
    a1.write_text(a1.read_text().replace("2025-01-31", "2025-12-31"))
    edited = entry("check", "plan")
    assert edited[2].endswith("typer=False stats=1")  # a miss, measured once
    assert edited[0] == 1 and edited[1] != first[1]
    assert "A1 is overdue" in first[1] and "A1 is overdue" not in edited[1]


def test_other_days_and_options_are_other_runs(make_plan):
    settled_plan(make_plan)
    first = entry("check", "plan", "--format", "json")
    time.sleep(2.1)
    later = entry("check", "plan", "--format", "json", today="2026-06-01")
    assert later[2].endswith("typer=False stats=1") and later[1] != first[1]
    text = entry("check", "plan", "--today", TODAY)
    assert text[2].endswith("typer=False stats=1") and text[1] != first[1]


OTHERS = [
    ("check", "plan", "--format", "github"),  # may write a job summary
    ("status", "plan", "--since", "2025-01-01"),
    ("render", "plan", "-o=t.html"),
    ("diff", "--", "HEAD"),
    ("history", "A1", "B1", "--plan", "plan"),
    ("status", "plan", "--lead", "Kerry Mehta"),
    ("check", "plan", "--format"),
    ("check", "plan", "--no-cache=1"),
    ("check", "plan", "plan"),
    ("check", "plan", "--format", "json", "--format", "text"),
    ("validate", "plan", "--format", "json"),
    ("check", "-h"),
]


def test_other_command_lines_go_to_the_command_layer(make_plan):
    settled_plan(make_plan)
    first = {args: entry(*args) for args in OTHERS}
    time.sleep(2.1)
    for args in OTHERS:
        again = entry(*args)
        assert "typer=True" in again[2].splitlines()[-1], args  # the command layer answered
        assert again[:2] == first[args][:2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "nowhere"), "ragplan: nowhere: no such folder"),
        (("check", "plan", "--today", "2025-13-01"), "ragplan: --today: "),
        (("validate", "plan", "--format", "json"), "No such option: --format"),
        (("validate", "plan", "--today", "2025-01-01"), "No such option: --today"),
    ],
)
def test_bad_command_lines_are_worded_by_the_command_layer(make_plan, args, message):
    make_plan({"a.yaml": action("A1", extra=FRESH)})
    code, out, err = entry(*args)
    assert code == 2 and out == "" and message in err


@pytest.mark.parametrize("cache", ["/dev/null/not-a-folder", "/dev/null"])
def test_a_cache_that_cannot_be_used_leaves_the_run_to_the_command_layer(make_plan, cache):
    make_plan(ten_actions())
    code, out, err = entry("check", "plan", RAGPLAN_CACHE_DIR=cache)
    fresh = entry("check", "plan", "--no-cache")
    assert (code, out) == fresh[:2] and code == 1 and "A1 is overdue" in out
    assert "Traceback" not in err


def _on_a_terminal(code: str, *args: str) -> bytes:
    """What `ragplan ARGS` writes to a terminal (a pseudo-terminal, 100 columns, colour)."""
    main, secondary = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(RAGPLAN_TODAY=TODAY, COLUMNS="100", TERM="xterm-256color")
    done = subprocess.run(
        [sys.executable, "-c", code, *args], stdout=secondary, stderr=subprocess.PIPE, env=env
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal's other end is closed: all is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert done.returncode == 0, done.stderr
    return b"".join(chunks)


def test_a_status_table_on_a_terminal_is_the_command_layers(make_plan):
    settled_plan(make_plan)
    here = _on_a_terminal(_ENTRY, "status", "plan", "--no-cache")
    assert b"\x1b[" in here and b"Needs attention" in here  # coloured, laid out
    assert here == _on_a_terminal(_LAYER, "status", "plan", "--no-cache")


RENDERS = [
    ("render", "plan", "--format", "markdown"),
    ("render", "plan", "-o", "t.html", "--no-cache"),
    ("render", "--output=t.md", "plan", "--format=markdown", "--today", "2025-05-01"),
]


def test_render_diff_history_and_check_since_run_without_typer_as_typer_would(make_plan, tmp_path):
    make_plan(ten_actions())
    for args in RENDERS:
        here = entry(*args)
        assert here[2].endswith("typer=False stats=0"), args
        written = [(p.name, p.read_bytes()) for p in tmp_path.glob("t.*")]
        for path in tmp_path.glob("t.*"):
            path.unlink()
        assert layer(*args) == here[:2], args
        assert [(p.name, p.read_bytes()) for p in tmp_path.glob("t.*")] == written, args
        for path in tmp_path.glob("t.*"):
            path.unlink()
    assert entry(*RENDERS[1])[1] == "wrote t.html\n"
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True, env=env)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=tmp_path, check=True, env=env)
    a1 = tmp_path / "plan" / "actions" / "a1.yaml"
    a1.write_text(a1.read_text().replace("2025-01-31", "2025-12-31"))
    since = ("check", "plan", "--since", "HEAD", "--format", "json")
    here = entry(*since)
    assert here[2].endswith("typer=False stats=0") and "deadline-moved-unexplained" in here[1]
    assert layer(*since) == here[:2]
    trail = [
        ("diff", "HEAD", "--plan", "plan", "--format", "json"),
        ("diff", "HEAD", "--plan=plan"),
        ("history", "A1", "--plan", "plan", "--format", "json"),
        ("history", "A1", "--plan", "plan"),
    ]
    for args in trail:
        here = entry(*args)
        assert here[2].endswith("typer=False stats=0") and here[0] == 0, (args, here)
        assert layer(*args) == here[:2], args
    assert "deadline moved" in entry(*trail[0])[1] and "A1" in entry(*trail[2])[1]


_DELIVERED = """
import sys
import ragplan.cli.targets as targets
import ragplan.cli.trail as trail
from ragplan.loader import Loaded
from ragplan.model import Finding, Location, Severity
trail._the_action = lambda plan, ref: None  # as if the file changed after the load
def unreadable(plan, path, source):
    problem = Finding("schema", Severity.ERROR, "changed under us", Location(path, 1, 1))
    targets.require_valid(Loaded((), (problem,), 1))  # prints, then stops
targets.read_target = unreadable
sys.argv = ["ragplan", *sys.argv[1:]]
from ragplan.cli.launch import main
main()
"""


def test_a_problem_the_entry_point_has_already_printed_is_printed_once(make_plan, tmp_path):
    """A check that prints its problems and stops (plans.deliver) does so once: the
    command layer does not run the command again."""
    make_plan(ten_actions())
    done = subprocess.run(
        [sys.executable, "-c", _DELIVERED, "history", "A1", "--plan", "plan"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.count("changed under us") == 1 and "Traceback" not in done.stderr


def test_a_run_waits_while_an_earlier_runs_writer_holds_the_lock(make_plan, cache_dir):
    """A detached copy of a run stores the run's entry holding the writers' lock
    (CacheDir.write_held); a run that starts meanwhile waits for it and takes the entry,
    rather than missing it and reading every file again."""
    import fcntl

    from ragplan.cache import FORMAT, CacheDir

    settled_plan(make_plan)
    first = entry("check", "plan")
    assert first[0] == 1
    cache = CacheDir(cache_dir)
    (stored,) = [p for p in (cache_dir / f"v{FORMAT}" / "runs").rglob("*") if p.is_file()]
    value, _ = cache.load(stored)
    lock = os.open(cache_dir / "writing.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    stored.unlink()  # being written
    env = {**os.environ, "RAGPLAN_TODAY": TODAY}
    waiting = subprocess.Popen(
        [sys.executable, "-c", _ENTRY, "check", "plan"], stdout=subprocess.PIPE, text=True, env=env
    )
    time.sleep(0.5)
    cache.store(stored, (*value[:2], "as the writer stored it\n", *value[3:]))
    os.close(lock)
    assert waiting.communicate()[0] == "as the writer stored it\n"
    assert waiting.returncode == 1


def test_a_reused_status_table_follows_the_terminal_it_is_printed_on(make_plan):
    """A status table is looked up by what decides its layout (the width, colours, and
    rich's own files), worked out without loading rich's console: another terminal is
    another run, and a reused table is the one the command layer lays out."""
    settled_plan(make_plan)
    wide = {"COLUMNS": "120"}
    first = entry("status", "plan", **wide)
    time.sleep(2.1)
    again = entry("status", "plan", **wide)
    assert again[2].endswith("typer=False stats=1") and again[:2] == first[:2]
    for other in ({"COLUMNS": "60"}, {"COLUMNS": "120", "FORCE_COLOR": "1"}):
        shown = entry("status", "plan", **other)
        assert shown[:2] != first[:2], other
        assert shown[:2] == entry("status", "plan", "--no-cache", **other)[:2], other
    assert "\x1b[" in entry("status", "plan", COLUMNS="120", FORCE_COLOR="1")[1]
