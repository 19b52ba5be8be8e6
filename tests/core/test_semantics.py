"""SPEC 3 on its boundary days, through `status --format json`."""

from __future__ import annotations

import json

import pytest

from tests.helpers import action


def status_json(run_cli, today: str, *args: str) -> dict:
    result = run_cli("status", "plan", "--format", "json", "--today", today, *args)
    assert (result.exit_code, result.stderr) == (0, "")
    return json.loads(result.stdout)["plans"][0]


@pytest.mark.parametrize(
    ("deadline", "today", "overdue", "due_soon"),
    [
        ("2025-03-10", "2025-03-10", [], ["A1"]),  # due today is not overdue
        ("2025-03-10", "2025-03-11", ["A1"], []),  # due yesterday is
        ("2025-02", "2025-02-28", [], ["A1"]),  # YYYY-MM is the month's last day
        ("2025-02", "2025-03-01", ["A1"], []),
        ("2024-02", "2024-02-29", [], ["A1"]),  # a leap year's February
        ("2025-03-24", "2025-03-10", [], ["A1"]),  # today + 14 is due soon
        ("2025-03-25", "2025-03-10", [], []),  # today + 15 is not
        ("ongoing", "2030-01-01", [], []),  # ongoing is never overdue
    ],
)
def test_overdue_and_due_soon(run_cli, make_plan, deadline, today, overdue, due_soon):
    make_plan(
        {
            "a.yaml": action(
                deadline=deadline, extra=f"updates:\n  - date: {today}\n    note: fine\n"
            )
        }
    )
    plan = status_json(run_cli, today)
    assert (plan["overdue"], plan["due_soon"], plan["stale"]) == (overdue, due_soon, [])


@pytest.mark.parametrize(
    ("extra", "plan_yaml", "today", "stale"),
    [
        (
            "updates:\n  - date: 2025-01-01\n    note: x\n",
            "title: T\n",
            "2025-02-01",
            [],
        ),  # 31 days
        ("updates:\n  - date: 2025-01-01\n    note: x\n", "title: T\n", "2025-02-02", ["A1"]),  # 32
        ("start: 2025-01-10\n", "title: T\nstart: 2024-01-01\n", "2025-02-10", []),  # action start
        ("start: 2025-01-10\n", "title: T\n", "2025-02-11", ["A1"]),
        ("", "title: T\nstart: 2025-01-01\n", "2025-02-01", []),  # the plan's start
        ("", "title: T\nstart: 2025-01-01\n", "2025-02-02", ["A1"]),
        ("", "title: T\n", "2025-01-01", ["A1"]),  # no date at all: stale
        (
            "",
            "title: T\nsettings:\n  stale_after_days: 5\nstart: 2025-01-01\n",
            "2025-01-07",
            ["A1"],
        ),
        (
            "updates:\n  - date: 2025-01-20\n    note: late\n  - date: 2025-01-01\n    note: x\n",
            "title: T\n",
            "2025-02-20",
            [],
        ),  # the latest date counts, not the last listed
    ],
)
def test_stale(run_cli, make_plan, extra, plan_yaml, today, stale):
    make_plan({"a.yaml": action(deadline="ongoing", extra=extra)}, plan=plan_yaml)
    assert status_json(run_cli, today)["stale"] == stale


def update(on: str, explanation: str | None = None, revised: str | None = None) -> str:
    text = f"  - date: {on}\n    note: progress\n"
    if explanation is not None:
        text += f"    explanation: {explanation}\n"
    if revised is not None:
        text += f"    revised_deadline: {revised}\n"
    return text


@pytest.mark.parametrize(
    ("updates", "today", "unexplained"),
    [
        ([update("2025-03-05", "Supplier delayed")], "2025-04-05", []),  # 31 days: in force
        ([update("2025-03-05", "Supplier delayed")], "2025-04-06", ["A1"]),  # 32: lapsed
        ([update("2025-03-05", "Delayed", "2025-04-30")], "2025-04-30", []),  # revised: until then
        ([update("2025-03-05", "Delayed", "2025-04-30")], "2025-05-01", ["A1"]),
        ([update("2025-03-05", "'  '")], "2025-03-06", ["A1"]),  # blank does not count
        ([update("2025-03-05", "'...!'")], "2025-03-06", ["A1"]),  # punctuation does not count
        ([update("2025-03-05", "'—'")], "2025-03-06", ["A1"]),
        # the latest counting explanation decides, even when an older one would still be in force
        (
            [update("2025-03-05", "Delayed", "2025-12-31"), update("2025-03-20", "Slipped again")],
            "2025-04-25",
            ["A1"],
        ),
        # a later blank explanation is ignored entirely
        (
            [update("2025-03-05", "Delayed", "2025-12-31"), update("2025-03-20", "'?'")],
            "2025-06-01",
            [],
        ),
        # on equal dates, the later in the list
        (
            [update("2025-03-05", "Delayed", "2025-12-31"), update("2025-03-05", "Again")],
            "2025-06-01",
            ["A1"],
        ),
        (
            [update("2025-03-05", "Again"), update("2025-03-05", "Delayed", "2025-12-31")],
            "2025-06-01",
            [],
        ),
    ],
)
def test_explanations(run_cli, make_plan, updates, today, unexplained):
    make_plan({"a.yaml": action(deadline="2025-03-01", extra="updates:\n" + "".join(updates))})
    plan = status_json(run_cli, today)
    assert plan["overdue"] == ["A1"]
    assert plan["overdue_unexplained"] == unexplained
    assert plan["overdue_explained"] == ([] if unexplained else ["A1"])


def test_done_and_withdrawn_are_never_overdue_or_stale(run_cli, make_plan):
    make_plan(
        {
            "a.yaml": action("A1", deadline="2020-01-01", rag="blue"),
            "b.yaml": action(
                "B1",
                deadline="2020-01-01",
                extra="withdrawn:\n  date: 2020-02-01\n  reason: Duplicate of A1.\n",
            ),
            "c.yaml": action("C1", deadline="2020-01-01", rag="red"),
        }
    )
    plan = status_json(run_cli, "2025-03-01")
    assert plan["counts"] == {"blue": 1, "green": 0, "amber": 0, "red": 1}
    assert (plan["overdue"], plan["stale"], plan["withdrawn"], plan["done"]) == (
        ["C1"],
        ["C1"],
        ["B1"],
        ["A1"],
    )


def test_custom_complete_rating(run_cli, make_plan):
    make_plan(
        {"a.yaml": action(deadline="2020-01-01", rag="Closed")},
        plan="title: T\nrag_scale:\n  - key: closed\n    complete: true\n  - key: open\n",
    )
    plan = status_json(run_cli, "2025-01-01")
    assert (plan["counts"], plan["overdue"], plan["done"]) == ({"closed": 1, "open": 0}, [], ["A1"])


SNAPSHOTS = {
    "2025-01.yaml": "date: 2025-01-15\nratings: {A1: red, B1: green, C1: amber, W1: red}\n",
    "2025-02.yaml": "date: 2025-02-15\nlabel: February board\n"
    "ratings: {A1: amber, B1: green, C1: amber, W1: red}\n",
}
ACTIONS = {
    "a.yaml": action("A1", rag="green"),
    "b.yaml": action("B1", rag="red"),
    "c.yaml": action("C1", rag="amber"),
    "d.yaml": action("D1", rag="amber"),
    "w.yaml": action("W1", extra="withdrawn:\n  date: 2025-02-20\n  reason: Merged.\n"),
}


def test_rating_changes_against_the_latest_snapshot_before_today(run_cli, make_plan):
    make_plan(ACTIONS, snapshots=SNAPSHOTS)
    plan = status_json(run_cli, "2025-02-16")
    assert plan["baseline"] == {"name": "2025-02", "date": "2025-02-15", "label": "February board"}
    assert plan["changes"] == [
        {"ref": "A1", "from": "amber", "to": "green", "arrow": "↑"},
        {"ref": "B1", "from": "green", "to": "red", "arrow": "↓"},
        {"ref": "C1", "from": "amber", "to": "amber", "arrow": "↔"},
        {"ref": "D1", "from": None, "to": "amber", "arrow": "new"},
    ]


def test_a_snapshot_dated_today_is_not_the_baseline(run_cli, make_plan):
    make_plan(ACTIONS, snapshots=SNAPSHOTS)
    plan = status_json(run_cli, "2025-02-15")
    assert plan["baseline"]["name"] == "2025-01"
    assert plan["changes"][0] == {"ref": "A1", "from": "red", "to": "green", "arrow": "↑"}


def test_no_baseline_means_no_arrows(run_cli, make_plan):
    make_plan(ACTIONS, snapshots=SNAPSHOTS)
    plan = status_json(run_cli, "2025-01-15")
    assert (plan["baseline"], plan["changes"]) == (None, [])


def test_equal_snapshot_dates_take_the_greater_name(run_cli, make_plan):
    make_plan(
        ACTIONS,
        snapshots={
            "board-a.yaml": "date: 2025-01-15\nratings: {A1: red}\n",
            "board-b.yaml": "date: 2025-01-15\nratings: {A1: green}\n",
        },
    )
    assert status_json(run_cli, "2025-02-01")["baseline"]["name"] == "board-b"


def test_since_names_a_snapshot(run_cli, make_plan):
    make_plan(ACTIONS, snapshots=SNAPSHOTS)
    plan = status_json(run_cli, "2025-03-01", "--since", "2025-01")
    assert plan["baseline"]["name"] == "2025-01"
    assert plan["changes"][0]["arrow"] == "↑"
