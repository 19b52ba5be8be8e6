"""The risk register (SPEC 8): levels on their edges, reviews on their boundary day,
targets, movement, malformed files, the rules, `ragplan risks` and the JSON keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import action

PLAN = "title: T\n"


def risk(
    rid: str = "R1",
    likelihood: int = 3,
    impact: int = 4,
    extra: str = "",
    owner: str = "Amanda Amesbury",
) -> str:
    return (
        f"id: {rid}\ntitle: Caseloads rise\nowner: {owner}\nopened: 2025-01-01\n"
        f"likelihood: {likelihood}\nimpact: {impact}\n{extra}"
    )


def plan_with_risks(
    make_plan, tmp_path: Path, risks: dict[str, str], plan: str = PLAN, snapshots=None
) -> Path:
    folder = make_plan(
        {"a.yaml": action("A1", deadline="2026-03"), "b.yaml": action("B1", rag="blue")},
        plan=plan,
        snapshots=snapshots,
    )
    (tmp_path / folder / "risks").mkdir()
    for name, text in risks.items():
        (tmp_path / folder / "risks" / name).write_text(text)
    return folder


def register(run_cli, today: str = "2025-02-01") -> list[dict[str, object]]:
    result = run_cli("risks", "plan", "--format", "json", "--today", today)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["plans"][0]["register"]


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [(1, 4, "low"), (1, 5, "medium"), (3, 4, "medium"), (3, 5, "high"), (5, 5, "high")],
)
def test_default_levels_on_their_edges(run_cli, make_plan, tmp_path, likelihood, impact, level):
    extra = "responses: [A1]\n"
    plan_with_risks(make_plan, tmp_path, {"r.yaml": risk("R1", likelihood, impact, extra)})
    (row,) = register(run_cli)
    assert (row["score"], row["level"]) == (likelihood * impact, level)


def test_a_custom_matrix(run_cli, make_plan, tmp_path):
    plan = (
        "title: T\nrisk_levels:\n  - {key: minor, max_score: 6}\n"
        "  - {key: Major, label: Major risk, max_score: 25}\n"
    )
    plan_with_risks(
        make_plan, tmp_path, {"a.yaml": risk("R1", 2, 3), "b.yaml": risk("R2", 2, 5)}, plan=plan
    )
    rows = register(run_cli)
    assert [(r["id"], r["score"], r["level"], r["level_label"]) for r in rows] == [
        ("R2", 10, "major", "Major risk"),
        ("R1", 6, "minor", "Minor"),
    ]


def test_a_matrix_that_does_not_rise_is_an_error(run_cli, make_plan, tmp_path):
    plan = "title: T\nrisk_levels:\n  - {key: a, max_score: 12}\n  - {key: b, max_score: 4}\n"
    plan_with_risks(make_plan, tmp_path, {"a.yaml": risk()}, plan=plan)
    result = run_cli("validate", "plan")
    assert result.exit_code == 2 and "risk_levels must rise" in result.stdout


MALFORMED = [
    ("score: 12\n", "a risk's score is computed (likelihood x impact), so it is not written"),
    ("target: {likelihood: 1, impact: 1}\n", "this risk target has no 'by'"),
    ("closed: {date: 2025-02-01}\n", "this closure has no 'reason'"),
    ("reviews: [{note: x}]\n", "this review has no 'date'"),
    ("responses: {a: 3a}\n", "'responses' should be a name, or a list of names"),
]


@pytest.mark.parametrize(("extra", "message"), MALFORMED)
def test_malformed_risks(run_cli, make_plan, tmp_path, extra, message):
    plan_with_risks(make_plan, tmp_path, {"r.yaml": risk(extra=extra)})
    result = run_cli("validate", "plan")
    assert result.exit_code == 2 and message in result.stdout


@pytest.mark.parametrize(
    ("likelihood", "message"),
    [("6", "'likelihood' should be a whole number from 1 to 5, not '6'"), ("2.5", "not '2.5'")],
)
def test_grades_are_whole_numbers_1_to_5(run_cli, make_plan, tmp_path, likelihood, message):
    text = risk().replace("likelihood: 3", f"likelihood: {likelihood}")
    plan_with_risks(make_plan, tmp_path, {"r.yaml": text})
    result = run_cli("validate", "plan")
    assert result.exit_code == 2 and message in result.stdout


def findings(run_cli, today: str) -> list[tuple[str, str, str]]:
    result = run_cli("check", "plan", "--format", "json", "--today", today)
    return [
        (f["rule"], f["severity"], f["message"])
        for f in json.loads(result.stdout)["findings"]
        if "risk" in f["rule"] or f["rule"] == "unknown-lead"
    ]


@pytest.mark.parametrize(("today", "overdue"), [("2025-04-03", False), ("2025-04-04", True)])
def test_review_overdue_on_its_boundary_day(run_cli, make_plan, tmp_path, today, overdue):
    # opened 1 Jan 2025, no review: 92 days on 3 Apr, 93 on 4 Apr
    plan_with_risks(make_plan, tmp_path, {"r.yaml": risk(extra="responses: [A1]\n")})
    found = findings(run_cli, today)
    assert found == (
        [
            (
                "risk-review-overdue",
                "warning",
                "risk R1 was last reviewed on 1 Jan 2025, 93 days ago",
            )
        ]
        if overdue
        else []
    )


def test_high_risk_rules_target_and_unknown_owner(run_cli, make_plan, tmp_path):
    risks = {
        "r1.yaml": risk("R1", 4, 5, "responses: B1\n"),  # B1 is done: no open response
        "r2.yaml": risk("R2", 5, 5),
        "r3.yaml": risk(
            "R3", 3, 3, "responses: [A2]\ntarget: {likelihood: 2, impact: 2, by: 2025-01-31}\n"
        ),
        "r4.yaml": risk("R4", 1, 1, "closed: {date: 2025-01-15, reason: Gone.}\n"),
    }
    plan = "title: T\npeople: [Kerry Mehta, Amanda Amesbury]\n"
    plan_with_risks(make_plan, tmp_path, risks, plan=plan)
    (tmp_path / "plan" / "risks" / "r4.yaml").write_text(
        risk("R4", 5, 5, "closed: {date: 2025-01-15, reason: Gone.}\n", owner="Amanda Amesbry")
    )
    found = findings(run_cli, "2025-02-01")
    assert found == [
        (
            "high-risk-without-response",
            "error",
            "risk R1 is High (score 20) and none of its responses (B1) is open",
        ),
        (
            "high-risk-without-response",
            "error",
            "risk R2 is High (score 25) and it has no response",
        ),
        (
            "risk-response-unknown",
            "error",
            "risk R3 names response A2, which is no action of the plan",
        ),
        (
            "risk-target-missed",
            "warning",
            "risk R3 was to reach 2 x 2 = 4 by 31 Jan 2025; it is 3 x 3 = 9",
        ),
        (
            "unknown-lead",
            "error",
            "risk R4's owner Amanda Amesbry is not in the plan's people list",
        ),
    ]


def test_movement_against_the_baseline_and_the_json_keys(run_cli, make_plan, tmp_path):
    risks = {
        "r1.yaml": risk("R1", 3, 4, "responses: [A1]\n"),
        "r2.yaml": risk("R2", 2, 2),
        "r3.yaml": risk("R3", 4, 4, "responses: [A1]\n"),
        "r4.yaml": risk("R4", 1, 2),
        "r5.yaml": risk("R5", 5, 5, "closed: {date: 2025-01-20, reason: Merged.}\n"),
    }
    snapshot = (
        "date: 2025-01-15\nratings: {A1: amber}\nrisks: {R1: [4, 4], R2: [1, 4], R3: [4, 4]}\n"
    )
    plan_with_risks(make_plan, tmp_path, risks, snapshots={"jan.yaml": snapshot})
    status = run_cli("status", "plan", "--format", "json", "--today", "2025-02-01")
    assert json.loads(status.stdout)["plans"][0]["risks"] == {
        "counts": {"low": 2, "medium": 1, "high": 1},
        "open": 4,
        "review_overdue": [],
        "high_without_response": [],
        "changes": [
            {"id": "R3", "from": 16, "to": 16, "arrow": "↔"},
            {"id": "R1", "from": 16, "to": 12, "arrow": "↑"},
            {"id": "R2", "from": 4, "to": 4, "arrow": "↔"},
            {"id": "R4", "from": None, "to": 2, "arrow": "new"},
        ],
    }
    rows = register(run_cli)
    assert [(r["id"], r["movement"], r["open"]) for r in rows] == [
        ("R3", "↔ from 16", True),
        ("R1", "↑ from 16", True),
        ("R2", "↔ from 4", True),
        ("R4", "new", True),
        ("R5", "", False),
    ]


def test_the_heat_map_in_markdown(run_cli, make_plan, tmp_path):
    risks = {"r1.yaml": risk("R1", 5, 1), "r2.yaml": risk("R2", 5, 1), "r3.yaml": risk("R3", 1, 5)}
    plan_with_risks(make_plan, tmp_path, risks)
    markdown = run_cli("risks", "plan", "--format", "markdown", "--today", "2025-02-01").stdout
    assert markdown.splitlines()[2:9] == [
        "| Likelihood / impact | 1 | 2 | 3 | 4 | 5 |",
        "| --- | --- | --- | --- | --- | --- |",
        "| 5 | **2 Medium** | 0 Medium | 0 High | 0 High | 0 High |",
        "| 4 | 0 Low | 0 Medium | 0 Medium | 0 High | 0 High |",
        "| 3 | 0 Low | 0 Medium | 0 Medium | 0 Medium | 0 High |",
        "| 2 | 0 Low | 0 Low | 0 Medium | 0 Medium | 0 Medium |",
        "| 1 | 0 Low | 0 Low | 0 Low | 0 Low | **1 Medium** |",
    ]
    table = run_cli("risks", "plan", "--today", "2025-02-01").stdout
    assert "│ 5                   │ 2 Medium │" in table


def test_snapshot_records_open_risks(run_cli, make_plan, tmp_path):
    risks = {
        "r1.yaml": risk("R1", 3, 4),
        "r2.yaml": risk("R2", 2, 2, "closed: {date: 2025-01-20, reason: x}\n"),
    }
    plan_with_risks(make_plan, tmp_path, risks)
    assert run_cli("snapshot", "feb", "--plan", "plan", "--today", "2025-02-01").exit_code == 0
    text = (tmp_path / "plan" / "snapshots" / "feb.yaml").read_text()
    assert text.endswith("risks:\n  R1: [3, 4]\n")


def test_a_risk_file_linked_out_of_the_repository_is_never_read(run_cli, make_plan, tmp_path):
    secret = tmp_path.parent / "secret-risk.yaml"
    secret.write_text(risk("SECRET-ID"))
    plan_with_risks(make_plan, tmp_path, {})
    (tmp_path / "plan" / "risks" / "x.yaml").symlink_to(secret)
    result = run_cli("validate", "plan")
    assert result.exit_code == 2
    assert "x.yaml is a symbolic link to a file outside the repository" in result.stdout
    assert "SECRET" not in result.stdout + result.stderr


def test_without_risks_the_json_has_no_risks_key(run_cli, make_plan):
    make_plan({"a.yaml": action("A1")}, plan=PLAN)
    status = json.loads(run_cli("status", "plan", "--format", "json").stdout)
    assert "risks" not in status["plans"][0]
    assert run_cli("risks", "plan").stdout.startswith("No plan under plan has a risk register")


def test_import_of_a_register_sheet_reports_a_wrong_score(run_cli, make_plan, tmp_path):
    import csv

    make_plan({"a.yaml": action("3a"), "b.yaml": action("3c")}, plan=PLAN)
    rows = [
        ["Risk Register for: Children's Services"],
        [],
        ["ID", "Category", "Status & Date", "Risk Description", "Existing Controls", "L", "I",
         "Risk Score", "Response Actions", "Outcome", "Updated", "Risk Owner"],
        ["3", "Delivery of Strategy", "Open, 5 th July 2016", "Caseloads rise", "MASH", "3", "4",
         "16", "Actions 3a and 3c", "Caseloads at 18", "", "Amanda Amesbury"],
        ["4", "People", "Open, 5 th July 2016", "Recruitment fails", "Campaign", "high", "4",
         "", "", "", "", "Vince Clarke"],
    ]  # fmt: skip
    with open(tmp_path / "register.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    refused = run_cli("import", "register.csv", "--into", "plan")
    assert refused.exit_code == 2
    assert refused.stdout.splitlines()[1:3] == [
        '  H4 "16": the score is L x I = 12, not 16 — the risk file keeps L and I; its score is '
        "computed",
        '  F5 "high": likelihood is not a whole number from 1 to 5 — write the likelihood and '
        "impact as 1 to 5",
    ]
    assert not (tmp_path / "plan" / "risks").exists()
    with open(tmp_path / "register.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows[:4])
    assert run_cli("import", "register.csv", "--into", "plan").exit_code == 0
    assert (tmp_path / "plan" / "risks" / "R3.yaml").read_text() == (
        "id: R3\ntitle: Caseloads rise\ncategory: Delivery of Strategy\nowner: Amanda Amesbury\n"
        "opened: 2016-07-05\nlikelihood: 3\nimpact: 4\ncontrols: MASH\nresponses:\n  - 3a\n"
        "  - 3c\noutcome: Caseloads at 18\n"
    )
    assert run_cli("validate", "plan").exit_code == 0


def test_a_register_names_responses_as_its_plan_numbers_them(run_cli, make_plan, tmp_path):
    """Responses such as `8.1, 8.2` link to the actions 8.1 and 8.2 (no false
    high-risk-without-response), and a ref the plan does not have is not invented."""
    import csv

    make_plan({"a.yaml": action("8.1"), "b.yaml": action("8.2")}, plan=PLAN)
    rows = [
        ["ID", "Category", "Status & Date", "Risk Description", "Existing Controls", "L", "I",
         "Risk Score", "Response Actions", "Outcome", "Updated", "Risk Owner"],
        ["5", "People", "Open, 5 July 2016", "Agency staff leave", "Retention pay", "5", "5",
         "25", "8.1, 8.2 and 18.1", "", "", "Vince Clarke"],
    ]  # fmt: skip
    with open(tmp_path / "register.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    assert run_cli("import", "register.csv", "--into", "plan").exit_code == 0
    written = (tmp_path / "plan" / "risks" / "R5.yaml").read_text()
    assert (
        "responses:\n  - '8.1'\n  - '8.2'\n" in written
        or 'responses:\n  - "8.1"\n  - "8.2"\n' in written
    )
    check = run_cli("check", "plan", "--today", "2016-08-01", "--format", "json")
    assert "high-risk-without-response" not in check.stdout


def test_a_registers_updated_date_is_the_risks_last_review(run_cli, make_plan, tmp_path):
    import csv

    make_plan({"a.yaml": action("3a")}, plan=PLAN)
    rows = [
        ["ID", "Category", "Status & Date", "Risk Description", "Existing Controls", "L", "I",
         "Risk Score", "Response Actions", "Outcome", "Updated", "Risk Owner"],
        ["6", "People", "Open, 5 July 2016", "Staff leave", "Pay", "2", "2", "4", "3a", "",
         "Sep-16", "Vince Clarke"],
    ]  # fmt: skip
    with open(tmp_path / "register.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    assert run_cli("import", "register.csv", "--into", "plan").exit_code == 0
    written = (tmp_path / "plan" / "risks" / "R6.yaml").read_text()
    assert written.endswith(
        "reviews:\n  - date: 2016-09-30\n    note: Reviewed (the register's Updated date)\n"
    )
    check = run_cli("check", "plan", "--today", "2016-10-20", "--format", "json")
    assert "risk-review-overdue" not in check.stdout
