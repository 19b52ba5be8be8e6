"""Shared fixtures: run the CLI as a user would, on real files in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ragplan.cli.commands import app

from .helpers import PLAN_YAML, Run, dedent


@pytest.fixture
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's cache directory for this test: outside the test's plan and repository."""
    return tmp_path_factory.mktemp("user-cache")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache_dir: Path) -> None:
    for name in (
        "RAGPLAN_TODAY",
        "FORCE_COLOR",
        "GITHUB_STEP_SUMMARY",
        "RAGPLAN_DEBUG",
        "RAGPLAN_NO_CACHE",
        "RAGPLAN_WORKERS",
        "RAGPLAN_CACHE_MAX_MB",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("RAGPLAN_CACHE_DIR", str(cache_dir))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def run_cli() -> Callable[..., Run]:
    """Run `ragplan ARGS` in-process; exceptions propagate so a bug fails loudly."""

    def run(*args: str, env: dict[str, str] | None = None) -> Run:
        result = CliRunner().invoke(
            app, list(args), catch_exceptions=False, env=env, prog_name="ragplan"
        )
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def make_plan(tmp_path: Path) -> Callable[..., Path]:
    """Write a plan folder: plan.yaml, actions/NAME.yaml, snapshots/NAME.yaml."""

    def make(
        actions: dict[str, str] | None = None,
        plan: str = PLAN_YAML,
        snapshots: dict[str, str] | None = None,
        name: str = "plan",
    ) -> Path:
        folder = tmp_path / name
        (folder / "actions").mkdir(parents=True)
        (folder / "plan.yaml").write_text(dedent(plan), encoding="utf-8")
        for file, text in (actions or {}).items():
            (folder / "actions" / file).write_text(dedent(text), encoding="utf-8")
        if snapshots:
            (folder / "snapshots").mkdir()
            for file, text in snapshots.items():
                (folder / "snapshots" / file).write_text(dedent(text), encoding="utf-8")
        return Path(name)

    return make
