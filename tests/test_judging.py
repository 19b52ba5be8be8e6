"""`check` judges each action in the process that read it (judging.py, SPEC 6): the
findings must be those of every rule run on the whole plan, whichever process read
which file, for every rule, including those that read across actions (a ref or a
measure id used twice, a risk's responses) and the plan's own rule settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import action
from .test_gate_integrity import RAGPLAN

TODAY = "2025-06-01"
PLAN = """\
title: Judged
start: 2025-01-01
themes: [Quality, Leadership]
people: [Kerry Mehta, Lana Shannon]
rules:
  stale: info
  due-soon: off
"""
UPDATES = (
    "updates:\n  - date: 2025-05-20\n    note: On track\n"
    "  - date: 2025-05-01\n    note: Listed out of order\n"
)


def judged_plan(tmp_path: Path, make_plan) -> Path:  # type: ignore[no-untyped-def]
    """800 action files (so a worker takes half) with something for every rule to find,
    in both halves."""
    actions: dict[str, str] = {}
    for n in range(800):
        deadline = ("2025-03-31", "2025-06-10", "2026-01-31")[n % 3]
        extra = "theme: Quality\n" + (UPDATES if n % 7 else "")
        if n % 50 == 0:
            extra += "updates:\n  - date: 2025-07-01\n    note: Dated in the future\n"
            extra = extra.replace(UPDATES, "")
        rag = ("amber", "green", "red")[n // 3 % 3]
        actions[f"{n:04d}.yaml"] = action(f"{n}", deadline, rag, extra)
    for n in (10, 790):  # one ref, twice: one file in each process's share
        actions[f"{n:04d}.yaml"] = action("D1", "2026-01-31")
    for n in (20, 780):  # one measure id, twice
        actions[f"{n:04d}.yaml"] = action(
            f"{n}",
            "2026-01-31",
            "green",
            "measures:\n  - name: Visits\n    id: M1\n    baseline: {date: 2025-01-01, value: 10}\n"
            "    target: {date: 2025-12-31, value: 100}\n"
            "    readings:\n      - {date: 2025-02-20, value: 5}\n"
            "      - {date: 2025-02-01, value: 4}\n",
        )
    actions["0700.yaml"] = action(
        "700",
        extra="updates:\n  - date: 2025-05-25\n    explanation: Slipped at the board's request\n",
    )
    actions["0030.yaml"] = action("30", extra="lead: Nobody Known\n").replace(
        "lead: Kerry Mehta\n", ""
    )
    actions["0770.yaml"] = action("770", extra="theme: Unheard of\n")
    actions["0760.yaml"] = action(
        "760", extra="evidence:\n  - description: Audit\n    link: evidence/missing.pdf\n"
    )
    actions["0750.yaml"] = action("750", rag="blue")  # complete: no date, no evidence
    actions["0740.yaml"] = action("W1", extra="withdrawn:\n  date: 2025-02-01\n  reason: Merged\n")
    actions["0730.yaml"] = "ref: 730\ntitle: [broken\n"
    folder = make_plan(actions, plan=PLAN)
    risks = tmp_path / folder / "risks"
    risks.mkdir()
    (risks / "r1.yaml").write_text(
        "id: R1\ntitle: Caseloads rise\nowner: Someone Else\nopened: 2025-01-01\n"
        "likelihood: 5\nimpact: 5\nresponses: [W1, 10000]\n"
    )
    (risks / "r2.yaml").write_text(
        "id: R1\ntitle: Staff leave\nowner: Lana Shannon\nopened: 2025-05-01\n"
        "likelihood: 2\nimpact: 2\ntarget: {likelihood: 1, impact: 1, by: 2025-05-15}\n"
    )
    (tmp_path / folder / "snapshots").mkdir()
    (tmp_path / folder / "snapshots" / "2025-05.yaml").write_text(
        "date: 2025-05-01\nratings:\n  '1': red\n  '2': green\n"
    )
    return folder


def script(code: str, folder: Path) -> list[str]:
    """The lines a Python script prints, given the plan folder and TODAY, with no cache."""
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), TODAY],
        env={**os.environ, "RAGPLAN_NO_CACHE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def on(workers: str, cwd: Path, *args: str, cache: bool = False) -> tuple[int, str, str]:
    """`ragplan ARGS` on that many processes, as of TODAY."""
    env = {**os.environ, "RAGPLAN_WORKERS": workers, "RAGPLAN_NO_CACHE": "0" if cache else "1"}
    env.update(RAGPLAN_TODAY=TODAY, COLUMNS="120")
    done = subprocess.run([RAGPLAN, *args], env=env, cwd=cwd, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


_COMPARE = """
import json
import sys
from datetime import date
from pathlib import Path
from ragplan.evaluate import assess
from ragplan.judging import Judge
from ragplan.loader import load
from ragplan.reports.findings import sort_findings
from ragplan.ruleids import RULE_IDS
from ragplan.rules import Context, run_rules
root, day = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
full = load(root, RULE_IDS, workers=1)
every = [f for plan in full.plans for f in run_rules(plan, Context(day, assess(plan, day), root))]
judge = Judge(day, root)
split = load(root, RULE_IDS, workers=2, work=judge)
judged = [*split.judged[0], *(f for plan in split.plans for f in judge.whole(plan))]
in_full = set(full.plans[0].actions)
outlines = sum(1 for a in split.plans[0].actions if a not in in_full)
print(outlines > 300, split.findings == full.findings, len(every))
print(sort_findings(judged) == sort_findings(every))
print(json.dumps(sorted({f.rule for f in every})))
"""


def test_judging_where_read_finds_what_every_rule_finds_on_the_whole_plan(tmp_path, make_plan):
    folder = judged_plan(tmp_path, make_plan)
    split, same, rules = script(_COMPARE, tmp_path / folder)
    worker_ran, structure_same, count = split.split()
    assert (worker_ran, structure_same, same) == ("True", "True", "True")
    assert int(count) > 800
    assert json.loads(rules) == sorted(  # every kind of finding is in play
        [
            "complete-without-date",
            "complete-without-evidence",
            "duplicate-measure-id",
            "duplicate-ref",
            "duplicate-risk-id",
            "evidence-link-missing",
            "green-while-off-track",
            "green-while-overdue",
            "high-risk-without-response",
            "measure-off-track",
            "measure-reading-stale",
            "measure-readings-out-of-order",
            "overdue-explained",
            "overdue-unexplained",
            "risk-response-unknown",
            "risk-review-overdue",
            "risk-target-missed",
            "stale",
            "unknown-lead",
            "unknown-theme",
            "update-dates-out-of-order",
            "update-in-future",
        ]
    )


def test_one_or_two_processes_print_the_same_check(tmp_path, make_plan):
    judged_plan(tmp_path, make_plan)
    runs = [
        on(workers, tmp_path, "check", "plan", "--format", "json", cache=cache)
        for workers, cache in (("1", False), ("2", False), ("2", True))
    ]
    assert runs[0] == runs[1] == runs[2] and runs[0][0] == 2  # the broken file
    found = json.loads(runs[0][1])["findings"]
    assert "duplicate-ref" in {f["rule"] for f in found if f["file"].endswith("0790.yaml")}
    assert not any(f["rule"] == "due-soon" for f in found)  # turned off in plan.yaml
    assert {f["severity"] for f in found if f["rule"] == "stale"} == {"info"}


_STATUS = """
import sys
from datetime import date
from pathlib import Path
from ragplan.evaluate import assess, choose_baseline, plan_status
from ragplan.judging import Assessor
from ragplan.loader import load
from ragplan.reports.status_data import status_document
from ragplan.ruleids import RULE_IDS
root, day = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
full = load(root, RULE_IDS, workers=1)
split = load(root, RULE_IDS, workers=2, work=Assessor(day))
plan = split.plans[0]
assessed = plan_status(plan, day, choose_baseline(plan.snapshots, day), split.judged[0])
in_full = {a.path: a for a in full.plans[0].actions}
outlines = [a for a in plan.actions if a != in_full[a.path]]  # the worker's: no updates
shown = [(a.ref, a.title, a.leads, a.deadline, a.rag, a.theme) for a in plan.actions]
print(len(outlines) > 300, all(a.updates == () for a in outlines),
      shown == [(a.ref, a.title, a.leads, a.deadline, a.rag, a.theme) for a in in_full.values()])
whole = load(root, RULE_IDS, workers=2, work=Assessor(day, "full"))  # no outline at all
print(whole.plans[0].actions == full.plans[0].actions)
print(status_document([assessed], day) == status_document([assess(full.plans[0], day)], day))
"""


def test_statuses_assessed_where_read_are_those_of_the_whole_plan(tmp_path, make_plan):
    folder = judged_plan(tmp_path, make_plan)
    (tmp_path / folder / "actions" / "0730.yaml").write_text(action("730"))  # all valid
    assert " ".join(script(_STATUS, tmp_path / folder)).split() == ["True"] * 5


STATUS_RUNS = [
    ("--format", "json"),
    ("--format", "json", "--lead", "lana shannon"),
    ("--format", "json", "--rag", "green", "--theme", "quality"),
    (),
    ("--group-by", "lead"),
    ("--rag", "red"),
    ("--format", "markdown"),
]


def test_one_or_two_processes_print_the_same_status(tmp_path, make_plan):
    folder = judged_plan(tmp_path, make_plan)
    (tmp_path / folder / "actions" / "0730.yaml").write_text(action("730"))
    for options in STATUS_RUNS:
        outputs = [on(workers, tmp_path, "status", "plan", *options) for workers in "12"]
        assert outputs[0] == outputs[1] and outputs[0][0] == 0, options
        if "--format" not in options:  # the rows a table details show the actions in full
            assert "Review caseloads" in outputs[0][1] and "Kerry Mehta" in outputs[0][1]


def test_check_since_judges_where_read_and_compares_deadlines_with_the_base(tmp_path, make_plan):
    """With --since the worker's actions come in full: the base reuses them, and a
    deadline moved without an explanation is found whichever process read the file."""
    judged_plan(tmp_path, make_plan)
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=tmp_path, check=True)
    for name in ("0101.yaml", "0701.yaml"):  # one in each process's share
        path = tmp_path / "plan" / "actions" / name
        path.write_text(path.read_text().replace("2026-01-31", "2026-09-30"))
    runs = [on(w, tmp_path, "check", "plan", "--since", "HEAD", "--format", "json") for w in "12"]
    assert runs[0] == runs[1] and runs[0][0] == 2, runs[0][2]  # the broken file
    moved = [
        f["file"]
        for f in json.loads(runs[0][1])["findings"]
        if f["rule"] == "deadline-moved-unexplained"
    ]
    assert moved == ["plan/actions/0101.yaml", "plan/actions/0701.yaml"]


def test_one_or_two_processes_render_the_same_tracker(tmp_path, make_plan):
    folder = judged_plan(tmp_path, make_plan)
    (tmp_path / folder / "actions" / "0730.yaml").write_text(action("730"))
    for output_format in ("markdown", "html"):
        runs = [on(w, tmp_path, "render", "plan", "--format", output_format) for w in "12"]
        assert runs[0] == runs[1] and runs[0][0] == 0, runs[0][2]
        assert "Review caseloads" in runs[0][1], output_format


def test_two_processes_sort_in_natural_order_as_one(tmp_path, make_plan):
    """Each process works out the sort keys of the files it reads (evaluate.learn_key):
    names and refs whose natural order is not their text's (9, 10, 100) come out in the
    same order either way."""
    actions = {f"{n}.yaml": action(f"{n}b", deadline="2025-03-31") for n in range(1, 800)}
    actions["7.yaml"] = action("A10", deadline="2025-03-31")
    actions["650.yaml"] = action("a9", deadline="2025-03-31")  # in the worker's share
    make_plan(actions, plan=PLAN)
    runs = {
        (workers, options): on(workers, tmp_path, command, "plan", *options)
        for workers in "12"
        for command, options in (("check", ()), ("status", ("--format", "json")))
    }
    for options in ((), ("--format", "json")):
        assert runs[("1", options)] == runs[("2", options)]
    files = list(dict.fromkeys(line.split(":")[0] for line in runs[("2", ())][1].splitlines()))
    assert files[:3] == [f"plan/actions/{n}.yaml" for n in (1, 2, 3)]
    assert files.index("plan/actions/9.yaml") < files.index("plan/actions/10.yaml")
    assert files.index("plan/actions/99.yaml") < files.index("plan/actions/100.yaml")
    assert files[-2] == "plan/actions/799.yaml"  # then the summary line
    refs = json.loads(runs[("2", ("--format", "json"))][1])["plans"][0]["overdue"]
    assert refs[:4] == ["1b", "2b", "3b", "4b"] and refs[-2:] == ["a9", "A10"]
    assert refs.index("99b") < refs.index("100b") < refs.index("799b")
