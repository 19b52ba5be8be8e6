"""Counted measures (SPEC 9): each state on its boundary values and days, malformed
measures, the rules on their boundary days, and the tracker's fragment."""

from __future__ import annotations

import json

import pytest

from tests.helpers import action

PLAN = "title: T\n"


def measure(
    readings: str = "",
    better: str = "higher",
    baseline: str = "{date: 2025-01-01, value: 10}",
    target: str = "{date: 2025-12-31, value: 110}",
) -> str:
    """An action with one counted measure (the trajectory gains 100 over 364 days)."""
    lines = (
        "measures:\n  - name: Visits\n    id: V1\n    unit: visits\n"
        f"    better: {better}\n    baseline: {baseline}\n    target: {target}\n"
    )
    if readings:
        lines += "    readings:\n" + "".join(f"      - {r}\n" for r in readings.split(";"))
    fresh = "updates:\n  - date: 2025-06-01\n    note: on track\n"
    return action("A1", rag="green", deadline="2026-03", extra=lines + fresh)


def states(run_cli, make_plan, text: str, today: str) -> list[dict[str, object]]:
    make_plan({"a.yaml": text}, plan=PLAN)
    result = run_cli("status", "plan", "--format", "json", "--today", today)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["plans"][0]["measures"]


# 2025-07-02 is day 182 of 364: the trajectory stands at 10 + 100 * 182/364 = 60.
STATES = [
    ("{date: 2025-07-02, value: 60}", "higher", "2025-07-10", "on track"),
    ("{date: 2025-07-02, value: 59.99}", "higher", "2025-07-10", "behind"),
    ("{date: 2025-07-02, value: 10.01}", "higher", "2025-07-10", "behind"),
    ("{date: 2025-07-02, value: 10}", "higher", "2025-07-10", "off track"),
    ("{date: 2025-07-02, value: 4}", "higher", "2025-07-10", "off track"),
    ("{date: 2025-03-01, value: 110}", "higher", "2025-07-10", "met"),
    ("{date: 2025-03-01, value: 110};{date: 2025-06-01, value: 30}", "higher", "2026-02-01", "met"),
    ("{date: 2025-07-02, value: 60}", "higher", "2025-12-31", "on track"),
    ("{date: 2025-07-02, value: 60}", "higher", "2026-01-01", "missed"),
    ("", "higher", "2025-07-10", "no data"),
    ("", "higher", "2026-01-01", "missed"),
    ("{date: 2025-09-01, value: 200}", "higher", "2025-07-10", "no data"),  # not yet taken
]


@pytest.mark.parametrize(("readings", "better", "today", "state"), STATES)
def test_each_state_on_its_boundary(run_cli, make_plan, readings, better, today, state):
    (found,) = states(run_cli, make_plan, measure(readings, better), today)
    assert found["state"] == state


LOWER = [
    ("{date: 2025-07-02, value: 60}", "on track"),
    ("{date: 2025-07-02, value: 60.5}", "behind"),
    ("{date: 2025-07-02, value: 110}", "off track"),
    ("{date: 2025-07-02, value: 10}", "met"),
]


@pytest.mark.parametrize(("readings", "state"), LOWER)
def test_lower_is_better(run_cli, make_plan, readings, state):
    text = measure(
        readings,
        "lower",
        baseline="{date: 2025-01-01, value: 110}",
        target="{date: 2025-12-31, value: 10}",
    )
    (found,) = states(run_cli, make_plan, text, "2025-07-10")
    assert found["state"] == state


def test_status_json_gives_each_measure(run_cli, make_plan):
    readings = "{date: 2025-03-01, value: 20};{date: 2025-07-02, value: 61.5}"
    found = states(run_cli, make_plan, measure(readings), "2025-07-10")
    assert found == [
        {
            "ref": "A1",
            "name": "Visits",
            "id": "V1",
            "unit": "visits",
            "latest": 61.5,
            "latest_date": "2025-07-02",
            "target": 110,
            "target_date": "2025-12-31",
            "state": "on track",
        }
    ]


MALFORMED = [
    (
        "value: 1,200",
        "'value' should be a number, not '1,200'",
        "write it without separators: 1200",
    ),
    ("value: 80%", "'value' should be a number, not '80%'", "write the number alone (80)"),
    ("value: ninety", "'value' should be a number, not 'ninety'", "e.g. `value: 79.5`"),
    ("valu: 80", "unknown key 'valu' in this target", "did you mean 'value'?"),
    ("value: 80\n      date: 2026-02-30", "February 2026 has 28 days", None),
]


@pytest.mark.parametrize(("target", "message", "hint"), MALFORMED)
def test_malformed_measures_are_structure_errors(run_cli, make_plan, target, message, hint):
    text = measure(target="\n      date: 2025-12-31\n      " + target)
    if "date: 2026" in target:
        text = text.replace("      date: 2025-12-31\n", "")
    make_plan({"a.yaml": text}, plan=PLAN)
    result = run_cli("validate", "plan")
    assert result.exit_code == 2
    line = next(line for line in result.stdout.splitlines() if message in line)
    if hint:
        assert hint in line


def test_a_thousands_comma_in_braces_gets_its_own_hint(run_cli, make_plan):
    make_plan({"a.yaml": measure(target="{date: 2025-12-31, value: 1,200}")}, plan=PLAN)
    result = run_cli("validate", "plan")
    assert "a.yaml:12:41: error [schema] unknown key '200' in this target" in result.stdout
    assert "a comma starts the next entry: write the number without separators" in result.stdout


def test_a_measure_needs_a_baseline_and_a_target(run_cli, make_plan):
    text = action("A1", extra="measures:\n  - name: Visits\n    better: sideways\n")
    make_plan({"a.yaml": text}, plan=PLAN)
    out = run_cli("validate", "plan").stdout
    assert "'better' should be higher or lower, not 'sideways'" in out
    assert "this measure has no 'baseline'" in out and "this measure has no 'target'" in out


def findings(run_cli, make_plan, files: dict[str, str], today: str, plan: str = PLAN):
    make_plan(files, plan=plan)
    result = run_cli("check", "plan", "--format", "json", "--today", today)
    return [
        (f["rule"], f["severity"], f["line"], f["message"])
        for f in json.loads(result.stdout)["findings"]
        if "measure" in f["rule"] or "off-track" in f["rule"]
    ]


def test_off_track_and_green_while_off_track(run_cli, make_plan):
    found = findings(
        run_cli, make_plan, {"a.yaml": measure("{date: 2025-07-02, value: 9}")}, "2025-07-10"
    )
    assert found == [
        (
            "green-while-off-track",
            "warning",
            5,
            "A1 is rated Green but its measure 'Visits' is off track",
        ),
        (
            "measure-off-track",
            "warning",
            7,
            "A1's measure 'Visits' is off track: 9 visits on 2 Jul 2025, no better than the "
            "baseline 10 visits (target 110 visits by 31 Dec 2025)",
        ),
    ]


@pytest.mark.parametrize(("today", "stale"), [("2025-10-02", False), ("2025-10-03", True)])
def test_reading_stale_on_its_boundary_day(run_cli, make_plan, today, stale):
    # the reading of 2 Jul 2025 is 92 days old on 2 Oct and 93 on 3 Oct
    found = findings(
        run_cli, make_plan, {"a.yaml": measure("{date: 2025-07-02, value: 90}")}, today
    )
    assert [f[0] for f in found] == (["measure-reading-stale"] if stale else [])
    if stale:
        assert found[0][3] == (
            "A1's measure 'Visits' has had no reading for 93 days (last reading on 2 Jul 2025)"
        )


def test_reading_days_come_from_plan_yaml(run_cli, make_plan):
    plan = "title: T\nsettings:\n  measure_reading_days: 10\n"
    found = findings(
        run_cli,
        make_plan,
        {"a.yaml": measure("{date: 2025-07-02, value: 90}")},
        "2025-07-13",
        plan=plan,
    )
    assert [f[0] for f in found] == ["measure-reading-stale"]


def test_readings_out_of_order_and_duplicate_ids(run_cli, make_plan):
    files = {
        "a.yaml": measure("{date: 2025-07-02, value: 60};{date: 2025-03-01, value: 30}"),
        "b.yaml": measure().replace("ref: A1", "ref: B1"),
    }
    found = findings(run_cli, make_plan, files, "2025-07-10")
    assert [(f[0], f[1], f[2]) for f in found] == [
        ("measure-readings-out-of-order", "warning", 15),
        ("duplicate-measure-id", "error", 7),
        ("measure-reading-stale", "warning", 7),
    ]
    assert found[1][3] == "measure id V1 is also used by A1's 'Visits'"
    assert found[2][3] == (
        "B1's measure 'Visits' has had no reading for 190 days "
        "(none since the baseline of 1 Jan 2025)"
    )


def test_a_withdrawn_actions_measures_are_left_out(run_cli, make_plan):
    text = measure("{date: 2025-07-02, value: 9}") + (
        "withdrawn:\n  date: 2025-07-05\n  reason: Merged.\n"
    )
    assert states(run_cli, make_plan, text, "2025-07-10") == []


def test_the_tracker_shows_each_measure_with_a_chart_and_its_words(run_cli, make_plan):
    make_plan(
        {"a.yaml": measure("{date: 2025-03-01, value: 20};{date: 2025-07-02, value: 59}")},
        plan=PLAN,
    )
    markdown = run_cli("render", "plan", "--format", "markdown", "--today", "2025-07-10").stdout
    assert (
        "| A1 | Visits (V1) | 10 visits on 1 Jan 2025 | 59 visits on 2 Jul 2025 | "
        "110 visits by 31 Dec 2025 | behind |"
    ) in markdown
    html = run_cli("render", "plan", "--format", "html", "--today", "2025-07-10").stdout
    alternative = (
        "Visits: baseline 10 visits on 1 Jan 2025, target 110 visits by 31 Dec 2025; "
        "readings: 1 Mar 2025: 20 visits; 2 Jul 2025: 59 visits; behind"
    )
    assert f'<svg role="img" aria-label="{alternative}"' in html
    assert f"<title>{alternative}</title>" in html
    assert '<polyline points="6,46 154,32"' not in html  # the readings, not the trajectory
    assert html.count("<circle") == 3  # the baseline and two readings
