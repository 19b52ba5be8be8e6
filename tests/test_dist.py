"""ragplan as users install it: `make dist` builds a wheel and an sdist, the wheel runs
from a fresh virtual environment, and docs/ci.md's workflow, run step by step in a plan
repository of its own, gives a working gate."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import ROOT, action, git

FRESH = "updates:\n  - date: 2025-02-20\n    note: On track.\n"


def _venv_with(tmp_path: Path, install: list[str]) -> Path:
    """A fresh virtual environment with `pip install --no-deps INSTALL...`; the
    dependencies come from this environment's site-packages, after its own."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", *install],
        check=True,
        capture_output=True,
    )
    site = next(Path(p) for p in sys.path if p.endswith("site-packages"))
    venv_site = next((venv / "lib").glob("python*/site-packages"))
    (venv_site / "deps.pth").write_text(str(site) + "\n")
    return venv / "bin"


def test_make_dist_builds_a_wheel_and_an_sdist_that_run(tmp_path):
    out = tmp_path / "dist"
    subprocess.run(["make", "-s", "dist", f"DIST={out}"], cwd=ROOT, check=True, capture_output=True)
    wheels, sdists = sorted(out.glob("ragplan-*.whl")), sorted(out.glob("ragplan-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    bin_ = _venv_with(tmp_path, [str(wheels[0])])
    version = subprocess.run(
        [str(bin_ / "ragplan"), "--version"], capture_output=True, text=True, check=True
    )
    assert re.fullmatch(r"ragplan \d+\.\d+\.\d+\n", version.stdout)
    env = {**os.environ, "RAGPLAN_TODAY": "2015-01-30", "RAGPLAN_NO_CACHE": "1"}
    installed = subprocess.run(
        [str(bin_ / "ragplan"), "check", str(ROOT / "plans")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    here = subprocess.run(
        [str(Path(sys.executable).parent / "ragplan"), "check", str(ROOT / "plans")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert (installed.returncode, installed.stdout) == (here.returncode, here.stdout)
    assert installed.returncode == 1 and "[overdue-unexplained]" in installed.stdout


def _workflow_steps() -> list[dict[str, object]]:
    text = (ROOT / "docs" / "ci.md").read_text()
    block = re.search(r"```yaml\n(name: plan\n.*?)```", text, re.S)
    assert block is not None
    workflow = yaml.safe_load(block.group(1))
    return list(workflow["jobs"]["check"]["steps"])


def test_the_workflow_in_docs_ci_md_gives_a_working_gate(tmp_path, make_plan, monkeypatch):
    """The plan repository as docs/ci.md has it: main holds a plan; a pull request makes
    an action overdue with no explanation and moves a deadline. Each `run:` step of the
    documented workflow runs as written, but ragplan is installed from this clone."""
    origin = tmp_path / "origin"
    origin.mkdir()
    monkeypatch.chdir(origin)
    make_plan(
        {
            "a1.yaml": action("A1", deadline="2099-12-31", extra=FRESH),
            "a2.yaml": action("A2", deadline="2099-06-30", extra=FRESH),
        },
        name="origin/plans/improve",
    )
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "the plan")
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(origin), str(work)], check=True)
    git(work, "checkout", "-q", "-b", "late")
    a1 = work / "plans" / "improve" / "actions" / "a1.yaml"
    a1.write_text(a1.read_text().replace("2099-12-31", "2025-01-31"))
    a2 = work / "plans" / "improve" / "actions" / "a2.yaml"
    a2.write_text(a2.read_text().replace("2099-06-30", "2099-12-31"))
    git(work, "commit", "-q", "-am", "A1 due earlier, A2 later")
    steps = [step for step in _workflow_steps() if "run" in step]
    install, *gate = steps
    assert "git+https://github.com/ragplan/ragplan@$RAGPLAN_COMMIT" in str(install["run"])
    bin_ = _venv_with(tmp_path, [str(ROOT)])  # the clone by path, for the pinned commit
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RAGPLAN_TODAY": "2025-03-01",
    }
    outputs = []
    for step in gate:
        step_env = {k: str(v) for k, v in dict(step.get("env") or {}).items()}
        step_env = {k: ("main" if "github.base_ref" in v else v) for k, v in step_env.items()}
        if "if" in step and "pull_request" not in str(step["if"]):
            continue
        done = subprocess.run(
            ["bash", "-e", "-c", str(step["run"])],
            cwd=work,
            env={**env, **step_env},
            capture_output=True,
            text=True,
        )
        outputs.append(done)
    check, diff = outputs
    assert check.returncode == 1, check.stderr
    assert (
        "::error file=plans/improve/actions/a1.yaml,line=4,col=1,"
        "title=overdue-unexplained (A1)::A1 is overdue since 31 Jan 2025" in check.stdout
    )
    assert (
        "::error file=plans/improve/actions/a2.yaml,line=4,col=1,"
        "title=deadline-moved-unexplained (A2)::A2's deadline moved" in check.stdout
    )
    assert diff.returncode == 0, diff.stderr
    written = summary.read_text()
    assert "overdue-unexplained" in written and "deadline-moved-unexplained" in written
    assert "Deadlines moved" in written
