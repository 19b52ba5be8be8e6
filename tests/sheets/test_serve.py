"""`ragplan serve`: Datasette over the national view, queried as a national body would."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.helpers import RAGPLAN, ROOT
from tests.sheets.test_database import TODAY, two_plans  # noqa: F401 (a fixture)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> object:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return json.loads(response.read())


def test_datasette_answers_the_common_questions(run_cli, two_plans):  # noqa: F811
    assert run_cli("export", "plans", "--format", "sqlite", "-o", "plans.db", "--today", TODAY)
    port = _free_port()
    env = {**os.environ, "RAGPLAN_NO_CACHE": "1"}
    server = subprocess.Popen(
        [RAGPLAN, "serve", "plans.db", "--port", str(port)],
        cwd=two_plans,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(port, "/-/versions.json")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "Datasette did not start"
                time.sleep(0.2)  # polling a starting server: there is no event to wait on
        overdue = _get(port, "/plans/overdue_unexplained.json?_shape=array")
        check = json.loads(run_cli("check", "plans", "--today", TODAY, "--format", "json").stdout)[
            "findings"
        ]
        assert sorted((row["plan_id"], row["ref"]) for row in overdue) == sorted(  # type: ignore[union-attr,index]
            ("salford" if "salford" in f["plan"] else "ofsted-2014", f["ref"])
            for f in check
            if f["rule"] == "overdue-unexplained"
        )
        faceted = _get(port, "/plans/actions.json?_facet=rating&_facet=plan_id&_size=0")
        plans = {f["value"] for f in faceted["facet_results"]["plan_id"]["results"]}  # type: ignore[index]
        assert plans == {"ofsted-2014", "salford"}
        found = _get(port, "/plans/updates.json?_search=Salford&_shape=array")
        assert [(row["plan_id"], row["ref"]) for row in found] == [("salford", "A1")]  # type: ignore[union-attr,index]
        metadata = _get(port, "/-/metadata.json")
        assert "overdue_without_explanation" in json.dumps(metadata)
        # the three questions docs/national.md shows, asked through Datasette's API
        text = (ROOT / "docs" / "national.md").read_text(encoding="utf-8")
        questions = re.findall(r"```sql\n(.*?)```", text, re.S)
        assert len(questions) == 3
        answers = [
            _get(port, "/plans.json?_shape=array&sql=" + urllib.parse.quote(sql))
            for sql in questions
        ]
        caseloads, leads, moves = answers
        assert [(row["plan_id"], row["ref"]) for row in caseloads]  # type: ignore[union-attr,index]
        assert {row["lead"] for row in leads} >= {"Kerry Mehta"}  # type: ignore[union-attr,index]
        assert {row["arrow"] for row in moves} <= {"↑", "↓", "↔", "new"}  # type: ignore[union-attr,index]
    finally:
        server.terminate()
        server.communicate(timeout=30)  # it ends; its stderr is read and closed


def test_serve_refuses_a_file_that_is_no_plans_database(run_cli, tmp_path: Path):
    (tmp_path / "x.db").write_text("not a database\n")
    result = run_cli("serve", "x.db")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("ragplan: x.db is not a SQLite database")
    missing = run_cli("serve", "nowhere.db")
    assert missing.stderr.startswith("ragplan: nowhere.db: no such file")
