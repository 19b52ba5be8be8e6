"""Print docs/cli.md: every command's --help, so the docs match the program (make docs)."""

from __future__ import annotations

import os

from typer.main import get_command
from typer.testing import CliRunner

from ragplan.cli.commands import app


def main() -> None:
    os.environ["COLUMNS"] = "88"
    os.environ["NO_COLOR"] = "1"
    command = get_command(app)
    runner = CliRunner()
    parts = [
        "# ragplan command reference",
        "",
        "Generated from `--help` by `make docs`; a test fails when it drifts.",
        "",
    ]
    names = [None, *sorted(command.commands)]  # type: ignore[attr-defined]
    for name in names:
        args = ["--help"] if name is None else [name, "--help"]
        result = runner.invoke(app, args, prog_name="ragplan", terminal_width=88)
        title = "ragplan" if name is None else f"ragplan {name}"
        parts += [f"## {title}", "", "```", result.stdout.rstrip(), "```", ""]
    print("\n".join(parts), end="")


if __name__ == "__main__":
    main()
