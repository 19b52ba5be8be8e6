"""The architecture holds: the import-linter contracts of pyproject.toml (layers that
import only downwards, a core without terminal, git or YAML code, no import cycles)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def test_the_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def test_a_broken_layer_is_caught(tmp_path: Path) -> None:
    """The contract bites: the same check on a copy where the core imports the CLI fails."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src", copy)
    (copy / "ragplan" / "core" / "names.py").write_text(
        (copy / "ragplan" / "core" / "names.py").read_text() + "\nfrom ..cli import app\n"
    )
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "ragplan.core.names -> ragplan.cli" in result.stdout
