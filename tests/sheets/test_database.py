"""`export --format sqlite|ndjson`: many councils' plans in one database (SPEC 12)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import ROOT, action

TODAY = "2015-01-30"
TABLES = (
    "plans", "actions", "updates", "evidence", "measures", "readings", "risks", "reviews",
    "snapshots", "snapshot_ratings", "findings",
)  # fmt: skip


@pytest.fixture
def two_plans(tmp_path: Path, make_plan) -> Path:
    """The bundled plan, and a second council's plan beside it."""
    shutil.copytree(ROOT / "plans" / "ofsted-2014", tmp_path / "plans" / "ofsted-2014")
    make_plan(
        {
            "a1.yaml": action("A1", deadline="2014-12-31", rag="red")
            + "updates:\n  - date: 2015-01-10\n    note: Caseloads audited in Salford\n",
            "a2.yaml": action("A2", deadline="2015-06-30", rag="green"),
        },
        plan="title: Salford improvement plan\nid: salford\nstart: 2014-11-01\n",
        name="plans/salford-plan",
    )
    return tmp_path


def rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, args).fetchall()


def test_two_plans_go_into_one_database_with_keys_views_and_search(run_cli, two_plans):
    result = run_cli("export", "plans", "--format", "sqlite", "-o", "plans.db", "--today", TODAY)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "wrote plans.db: 2 plans, 61 actions\n",
        "",
    )
    db = two_plans / "plans.db"
    assert rows(db, "select id, title from plans order by id") == [
        ("ofsted-2014", "Children's Services Improvement Plan"),
        ("salford", "Salford improvement plan"),
    ]
    for table in TABLES:
        assert rows(db, f"select count(*) from [{table}]")[0][0] > 0, table
    assert rows(db, "select value from ragplan_meta where key = 'schema_version'") == [("1",)]
    # the gate's overdue-unexplained findings are the view's rows
    check = json.loads(run_cli("check", "plans", "--today", TODAY, "--format", "json").stdout)[
        "findings"
    ]
    expected = sorted(
        (Path(f["plan"]).name, f["ref"]) for f in check if f["rule"] == "overdue-unexplained"
    )
    viewed = sorted(
        ("salford-plan" if p == "salford" else p, r)
        for p, r in rows(db, "select plan_id, ref from overdue_unexplained")
    )
    assert viewed == expected and expected
    found = rows(
        db,
        "select plan_id, ref from updates where rowid in "
        "(select rowid from updates_fts where updates_fts match ?)",
        "Salford",
    )
    assert found == [("salford", "A1")]
    assert rows(
        db,
        "select typeof(deadline), typeof(overdue), typeof(revisions) from actions "
        "where plan_id = 'salford' and ref = 'A1'",
    ) == [("text", "integer", "integer")]
    with pytest.raises(sqlite3.IntegrityError):
        rows(db, "insert into actions (plan_id, ref) values ('salford', 'A1')")


def test_exporting_a_plan_again_replaces_only_its_rows(run_cli, two_plans):
    run_cli("export", "plans", "--format", "sqlite", "-o", "plans.db", "--today", TODAY)
    db = two_plans / "plans.db"
    before = rows(db, "select * from actions where plan_id = 'ofsted-2014' order by ref")
    a2 = two_plans / "plans" / "salford-plan" / "actions" / "a2.yaml"
    a2.write_text(a2.read_text().replace("rag: green", "rag: amber"))
    (two_plans / "plans" / "salford-plan" / "actions" / "a1.yaml").unlink()
    again = run_cli(
        "export", "plans/salford-plan", "--format", "sqlite", "-o", "plans.db",
        "--replace-plan", "--today", TODAY,
    )  # fmt: skip
    assert (again.exit_code, again.stdout) == (0, "wrote plans.db: 1 plan, 1 actions\n")
    assert rows(db, "select ref, rating from actions where plan_id = 'salford'") == [
        ("A2", "amber")
    ]
    assert rows(db, "select count(*) from updates where plan_id = 'salford'") == [(0,)]
    assert rows(db, "select * from actions where plan_id = 'ofsted-2014' order by ref") == before
    assert not [p for p in two_plans.iterdir() if p.name.endswith(".tmp")]


def test_a_prefix_keeps_councils_apart_and_a_clash_is_refused(run_cli, two_plans):
    result = run_cli(
        "export", "plans", "--format", "sqlite", "-o", "n.db", "--prefix", "north", "--today", TODAY
    )
    assert result.exit_code == 0
    assert rows(two_plans / "n.db", "select id from plans order by id") == [
        ("north/ofsted-2014",),
        ("north/salford",),
    ]
    (two_plans / "plans" / "salford-plan" / "plan.yaml").write_text("title: S\nid: ofsted-2014\n")
    clash = run_cli("export", "plans", "--format", "sqlite", "-o", "c.db", "--today", TODAY)
    assert (clash.exit_code, clash.stdout) == (2, "")
    assert clash.stderr.startswith("ragplan: two plans would have the id 'ofsted-2014'")
    assert not (two_plans / "c.db").exists()


def test_text_is_stored_as_text_never_as_sql(run_cli, make_plan, tmp_path):
    hostile = 'Robert\'); DROP TABLE actions; -- "quoted" ' + "long " * 2000
    make_plan({"a.yaml": action("X'1", extra=f"outcome: {json.dumps(hostile)}\n")})
    result = run_cli("export", "plan", "--format", "sqlite", "-o", "h.db", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    db = tmp_path / "h.db"
    assert rows(db, "select ref, outcome from actions") == [("X'1", hostile.strip())]
    found = rows(
        db,
        "select ref from actions where rowid in "
        "(select rowid from actions_fts where actions_fts match ?)",
        "Robert",
    )
    assert found == [("X'1",)]


@pytest.mark.parametrize("kind", ["not sqlite", "foreign", "newer"])
def test_a_file_that_is_no_ragplan_database_is_left_as_it_is(run_cli, two_plans, kind):
    target = two_plans / "other.db"
    if kind == "not sqlite":
        target.write_text("a spreadsheet, really\n")
    else:
        with sqlite3.connect(target) as connection:
            if kind == "foreign":
                connection.execute("create table budget (line text)")
            else:
                connection.execute("create table ragplan_meta (key text primary key, value text)")
                connection.execute("insert into ragplan_meta values ('schema_version', '99')")
    before = target.read_bytes()
    result = run_cli("export", "plans", "--format", "sqlite", "-o", "other.db", "--today", TODAY)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("ragplan: other.db ")
    assert target.read_bytes() == before


def test_ndjson_holds_the_same_rows(run_cli, two_plans):
    import sqlite_utils

    run_cli("export", "plans", "--format", "sqlite", "-o", "plans.db", "--today", TODAY)
    result = run_cli(
        "export", "plans", "--format", "ndjson", "-o", "plans.ndjson", "--today", TODAY
    )
    assert result.exit_code == 0
    loaded = sqlite_utils.Database(two_plans / "back.db")
    by_table: dict[str, list[dict[str, object]]] = {}
    for line in (two_plans / "plans.ndjson").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_table.setdefault(record.pop("table"), []).append(record)
    assert set(by_table) == set(TABLES)
    for table, records in by_table.items():
        loaded[table].insert_all(records)
        original = sqlite_utils.Database(two_plans / "plans.db")
        assert list(original[table].rows) == list(loaded[table].rows), table


def test_history_adds_every_committed_version_of_every_action(run_cli, make_plan, tmp_path):
    from tests.helpers import git

    plan = make_plan({"a1.yaml": action("A1", rag="amber")}, name="plans/p")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "A1", when="2025-01-05T10:00:00")
    (plan / "actions" / "a1.yaml").write_text(action("A1", rag="red"))
    (plan / "actions" / "a2.yaml").write_text(action("A2"))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "A1 red; A2", when="2025-02-05T10:00:00")
    git(tmp_path, "rm", "-q", str(plan / "actions" / "a2.yaml"))
    git(tmp_path, "commit", "-q", "-m", "A2 gone", when="2025-03-05T10:00:00")
    result = run_cli(
        "export", "plans", "--format", "sqlite", "-o", "h.db", "--history", "--today", TODAY
    )
    assert result.exit_code == 0, result.stderr
    db = tmp_path / "h.db"
    assert rows(db, "select message from commits order by date") == [
        ("A1",),
        ("A1 red; A2",),
        ("A2 gone",),
    ]
    versions = rows(
        db,
        "select ref, _version, rating, changed, deleted, c.message from action_versions "
        "join commits c on c.hash = _commit order by ref, _version",
    )
    first = json.dumps(
        [
            "title",
            "rating",
            "deadline",
            "lead",
            "theme",
            "updates",
            "evidence",
            "withdrawn",
            "deleted",
        ]
    )
    assert versions == [
        ("A1", 1, "amber", first, 0, "A1"),
        ("A1", 2, "red", '["rating"]', 0, "A1 red; A2"),
        ("A2", 1, "amber", first, 0, "A1 red; A2"),
        ("A2", 2, "amber", '["deleted"]', 1, "A2 gone"),
    ]
    outside = run_cli(
        "export", str(tmp_path / "plans"), "--format", "sqlite", "-o", "x.db", "--history"
    )
    assert outside.exit_code == 0  # the same repository, named by its absolute path


def test_duckdb_reads_the_ndjson_rows(run_cli, two_plans):
    import duckdb

    run_cli("export", "plans", "--format", "ndjson", "-o", "plans.ndjson", "--today", TODAY)
    run_cli("export", "plans", "--format", "sqlite", "-o", "plans.db", "--today", TODAY)
    source = str(two_plans / "plans.ndjson")
    found = duckdb.sql(
        f"select plan_id, ref from read_json('{source}', format='newline_delimited') "
        "where \"table\" = 'actions' and overdue = 1 and explained = 0 order by plan_id, ref"
    ).fetchall()
    assert found == rows(
        two_plans / "plans.db",
        "select plan_id, ref from overdue_unexplained order by plan_id, ref",
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nowhere/x.db", "ragplan: nowhere: cannot write here (No such file or directory)\n"),
        ("plans", "ragplan: plans is a folder\n"),
    ],
)
def test_an_unusable_output_is_said_plainly(run_cli, two_plans, target, message):
    result = run_cli("export", "plans", "--format", "sqlite", "-o", target, "--today", TODAY)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(message)
