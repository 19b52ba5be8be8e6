"""`ragplan validate`: every malformed input named with file:line:column and a hint; exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import action

OK = b"ref: A1\ntitle: T\nlead: K\ndeadline: 2025-03-31\nrag: red\n"
F = "plan/actions/a.yaml"

CASES = [
    (
        "unknown-key",
        b"ref: A1\ntitle: T\nlead: K\ndealine: 2025-03-31\nrag: red\n",
        [
            f"{F}:1:1: error [schema] this action has no 'deadline' — add `deadline: ...` "
            "(YYYY-MM-DD, YYYY-MM (end of month) or ongoing)",
            f"{F}:4:1: error [schema] unknown key 'dealine' in this action — did you mean "
            "'deadline'?",
        ],
    ),
    (
        "duplicate-key",
        OK + b"rag: amber\n",
        [
            f"{F}:6:1: error [duplicate-key] 'rag' is given twice in this mapping — keep one of "
            "them; the other would be silently lost"
        ],
    ),
    (
        "missing-key",
        b"ref: A1\ntitle: T\nlead: K\nrag: red\n",
        [
            f"{F}:1:1: error [schema] this action has no 'deadline' — add `deadline: ...` "
            "(YYYY-MM-DD, YYYY-MM (end of month) or ongoing)"
        ],
    ),
    (
        "wrong-type",
        b"ref: A1\ntitle: T\nlead: {name: K}\ndeadline: 2025-03-31\nrag: red\n",
        [
            f"{F}:3:7: error [schema] 'lead' should be a name, or a list of names, not a set of "
            "`key: value` lines"
        ],
    ),
    (
        "impossible-date",
        OK.replace(b"2025-03-31", b"2025-02-30"),
        [
            f"{F}:4:11: error [schema] 'deadline': '2025-02-30' is not a real date: February 2025 "
            "has 28 days — or write `ongoing` if it has no end"
        ],
    ),
    (
        "leap-day",
        OK.replace(b"2025-03-31", b"2023-02-29"),
        [
            f"{F}:4:11: error [schema] 'deadline': '2023-02-29' is not a real date: February 2023 "
            "has 28 days — or write `ongoing` if it has no end"
        ],
    ),
    (
        "spreadsheet-date",
        OK.replace(b"2025-03-31", b"Feb-15"),
        [
            f"{F}:4:11: error [schema] 'deadline': 'Feb-15' is not a date: write YYYY-MM-DD (e.g. "
            "2015-02-28) or YYYY-MM (e.g. 2015-02) — or write `ongoing` if it has no end"
        ],
    ),
    (
        "month-13",
        OK.replace(b"2025-03-31", b"2025-13"),
        [
            f"{F}:4:11: error [schema] 'deadline': '2025-13' has no month 13: write YYYY-MM, e.g. "
            "2015-02 — or write `ongoing` if it has no end"
        ],
    ),
    (
        "unknown-rating",
        OK.replace(b"rag: red", b"rag: purple"),
        [
            f"{F}:5:6: error [schema] unknown rating 'purple' — use one of blue, green, amber, red "
            "(the plan's rag_scale)"
        ],
    ),
    (
        "yes-no-rating",
        OK.replace(b"rag: red", b"rag: no"),
        [
            f"{F}:5:6: error [schema] unknown rating 'no' — use one of blue, green, amber, red "
            "(the plan's rag_scale)"
        ],
    ),
    (
        "anchor",
        OK.replace(b"title: T", b"title: &t T"),
        [
            f"{F}:2:8: error [unsafe-yaml] anchor '&t' is not allowed — write the value out in "
            "full; plan files use no anchors or aliases"
        ],
    ),
    (
        "alias",
        OK + b"outcome: *t\n",
        [
            f"{F}:6:10: error [unsafe-yaml] alias '*t' is not allowed — write the value out in "
            "full; plan files use no anchors or aliases"
        ],
    ),
    (
        "tag",
        OK.replace(b"title: T", b"title: !!python/object:os.system T"),
        [
            f"{F}:2:8: error [unsafe-yaml] tag 'tag:yaml.org,2002:python/object:os.system' is not "
            "allowed — remove the tag; to keep a value as text, put it in quotes"
        ],
    ),
    (
        "merge-key",
        b"ref: A1\n<<: {title: T}\nlead: K\ndeadline: 2025-03-31\nrag: red\n",
        [
            f"{F}:2:1: error [unsafe-yaml] merge keys ('<<') are not allowed — write the keys out "
            "in full"
        ],
    ),
    (
        "directive",
        b"%YAML 1.1\n---\n" + OK,
        [
            f"{F}:1:1: error [unsafe-yaml] YAML directives ('%YAML', '%TAG') are not allowed — "
            "delete the line that starts with '%'"
        ],
    ),
    (
        "not-utf8",
        OK.replace(b"title: T", b"title: Caf\xe9 plan"),
        [
            f"{F}:2:11: error [encoding] byte 0xe9 is not UTF-8 text — save the file as UTF-8 (in "
            "Excel or Notepad: Save As, encoding UTF-8)"
        ],
    ),
    (
        "empty",
        b"",
        [
            f"{F}:1:1: error [schema] the file is empty — write the action's fields, or delete "
            "the file"
        ],
    ),
    (
        "comment-only",
        b"# nothing yet\n",
        [
            f"{F}:1:1: error [schema] the file is empty — write the action's fields, or delete "
            "the file"
        ],
    ),
    (
        "not-mapping",
        b"- ref: A1\n- title: T\n",
        [
            f"{F}:1:1: error [schema] an action should be a set of `key: value` lines, not a list "
            "— start with `ref: ...`"
        ],
    ),
    (
        "syntax",
        OK.replace(b"title: T", b"title: Review: caseloads: now"),
        [
            f"{F}:2:14: error [yaml-syntax] mapping values are not allowed in this context — text "
            "that contains ': ' must be put in quotes; otherwise check the indentation of this "
            "line"
        ],
    ),
    (
        "tabs",
        OK + b"updates:\n\t- date: 2025-01-01\n",
        [
            f"{F}:7:1: error [yaml-syntax] found character that cannot start any token — indent "
            "with spaces, not tabs"
        ],
    ),
    (
        "deep",
        OK + b"outcome: " + b"[" * 50 + b"]" * 50 + b"\n",
        [
            f"{F}:6:18: error [too-deep] values are nested more than 8 deep — plan files need at "
            "most 4 levels; check the indentation"
        ],
    ),
    (
        "very-deep",
        OK + b"outcome: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        [
            f"{F}:6:18: error [too-deep] values are nested more than 8 deep — plan files need at "
            "most 4 levels; check the indentation"
        ],
    ),
    (
        "two-documents",
        OK + b"---\nref: A2\n",
        [
            f"{F}:6:1: error [yaml-syntax] the file holds more than one YAML document — keep one "
            "action per file; remove the '---' line"
        ],
    ),
    (
        "update-without-date",
        OK + b"updates:\n  - note: started\n",
        [
            f"{F}:7:5: error [schema] this update has no 'date' — add `date: ...` (when the update "
            "was made)"
        ],
    ),
    (
        "updates-not-list",
        OK + b"updates: started in May\n",
        [
            f"{F}:6:10: error [schema] 'updates' should be a list, not 'started in May' — write "
            "each entry on its own line starting with '- ', e.g. `- date: ...`"
        ],
    ),
    (
        "blank-title",
        OK.replace(b"title: T", b"title: '  '"),
        [f"{F}:2:8: error [schema] 'title' is blank — write some text, or remove 'title'"],
    ),
    (
        "empty-required",
        OK.replace(b"title: T", b"title:"),
        [f"{F}:2:7: error [schema] 'title' is empty — write text after 'title:'"],
    ),
    (
        "bad-update-date",
        OK + b"updates:\n  - date: 31/03/2025\n    note: x\n",
        [
            f"{F}:7:11: error [schema] 'date': '31/03/2025' is not a date: write YYYY-MM-DD (e.g. "
            "2015-02-28) or YYYY-MM (e.g. 2015-02)"
        ],
    ),
    (
        "withdrawn-no-reason",
        OK + b"withdrawn:\n  date: 2025-02-01\n",
        [
            f"{F}:7:3: error [schema] this withdrawal has no 'reason' — add `reason: ...` (why it "
            "was removed)"
        ],
    ),
    (
        "evidence-no-description",
        OK + b"evidence:\n  - link: x.pdf\n",
        [
            f"{F}:7:5: error [schema] this evidence item has no 'description' — add "
            "`description: ...` (what the evidence shows)"
        ],
    ),
    (
        "too-large",
        OK + b"outcome: " + b"x" * (1024 * 1024) + b"\n",
        [
            f"{F}:1:1: error [file-too-large] the file is 1,048,641 bytes; plan files are at most "
            "1 MiB — split long notes into several updates, or link to a document as evidence"
        ],
    ),
]


@pytest.mark.parametrize(("name", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_malformed_action(run_cli, make_plan, name, data, expected):
    plan = make_plan()
    (plan / "actions" / "a.yaml").write_bytes(data)
    result = run_cli("validate", "plan")
    errors = f"{len(expected)} error{'s' if len(expected) > 1 else ''}"
    summary = f"{errors}, 0 warnings, 0 info in 2 files"
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "\n".join([*expected, summary]) + "\n",
        "",
    )
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom", b"\xef\xbb\xbf" + OK),
        ("crlf", OK.replace(b"\n", b"\r\n")),
        ("explicit-document-start", b"---\n" + OK),
        ("comments", b"# owner: Kerry\n" + OK + b"# end\n"),
        ("lead-list", OK.replace(b"lead: K", b"lead:\n  - K\n  - L")),
        ("month-deadline", OK.replace(b"2025-03-31", b"2025-02")),
        ("ongoing", OK.replace(b"2025-03-31", b"Ongoing")),
        ("rating-any-case", OK.replace(b"rag: red", b"rag: RED")),
        ("leap-day", OK.replace(b"2025-03-31", b"2024-02-29")),
        ("blank-optional", OK + b"theme:\ncompleted:\n"),
    ],
)
def test_valid_variants(run_cli, make_plan, name, data):
    plan = make_plan()
    (plan / "actions" / "a.yaml").write_bytes(data)
    result = run_cli("validate", "plan")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "1 plan, 1 action: no problems found\n",
        "",
    )


def test_scalars_stay_the_text_written(run_cli, make_plan):
    make_plan({"a.yaml": "ref: 1.10\ntitle: yes\nlead: 'on'\ndeadline: 2025-03\nrag: Amber\n"})
    result = run_cli("status", "plan", "--format", "json", "--today", "2025-03-20")
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["plans"][0]["counts"] == {"blue": 0, "green": 0, "amber": 1, "red": 0}
    assert document["plans"][0]["due_soon"] == ["1.10"]


def test_every_problem_in_every_file_is_listed(run_cli, make_plan):
    make_plan(
        {
            "a.yaml": action("A1", deadline="2025-02-30"),
            "b.yaml": action("B1", rag="purple", extra="dealine: 2025-01-01\n"),
            "c.yaml": action("C1"),
        }
    )
    result = run_cli("validate", "plan")
    assert (result.exit_code, result.stdout) == (
        2,
        (
            "plan/actions/a.yaml:4:11: error [schema] 'deadline': '2025-02-30' is not a real "
            "date: February 2025 has 28 days — or write `ongoing` if it has no end\n"
            "plan/actions/b.yaml:5:6: error [schema] unknown rating 'purple' — use one of blue, "
            "green, amber, red (the plan's rag_scale)\n"
            "plan/actions/b.yaml:6:1: error [schema] unknown key 'dealine' in this action — did "
            "you mean 'deadline'?\n"
            "3 errors, 0 warnings, 0 info in 4 files\n"
        ),
    )


def test_plan_yaml_problems(run_cli, make_plan):
    make_plan(
        plan="title: T\nsettings:\n  stale_after_days: a month\n  due_son_days: 3\n"
        "rag_scale:\n  - key: good\n    complete: yes\n"
    )
    result = run_cli("validate", "plan")
    assert (result.exit_code, result.stdout) == (
        2,
        (
            "plan/plan.yaml:3:21: error [schema] 'stale_after_days' should be a whole number of "
            "days, not 'a month' — e.g. `stale_after_days: 31`\n"
            "plan/plan.yaml:4:3: error [schema] unknown key 'due_son_days' in this settings — did "
            "you mean 'due_soon_days'?\n"
            "plan/plan.yaml:7:15: error [schema] 'complete' should be true or false, not 'yes'\n"
            "3 errors, 0 warnings, 0 info in 1 file\n"
        ),
    )


def test_custom_scale_is_used_for_ratings(run_cli, make_plan):
    make_plan(
        {"a.yaml": action(rag="amber")},
        plan="title: T\nrag_scale:\n  - key: done\n    complete: true\n  - key: todo\n",
    )
    result = run_cli("validate", "plan")
    assert (result.exit_code, result.stdout) == (
        2,
        (
            "plan/actions/a.yaml:5:6: error [schema] unknown rating 'amber' — use one of done, "
            "todo (the plan's rag_scale)\n"
            "1 error, 0 warnings, 0 info in 2 files\n"
        ),
    )


def test_snapshot_problems(run_cli, make_plan):
    make_plan(
        {"a.yaml": action()},
        snapshots={
            "2025-01.yaml": "date: 2025-01-31\nratings: {A1: purple}\n",
            "2025-02.yaml": "label: February board\nratings:\n  A1: red\n",
        },
    )
    result = run_cli("validate", "plan")
    assert (result.exit_code, result.stdout) == (
        2,
        (
            "plan/snapshots/2025-01.yaml:2:15: error [schema] unknown rating 'purple' — use one of "
            "blue, green, amber, red (the plan's rag_scale)\n"
            "plan/snapshots/2025-02.yaml:1:1: error [schema] this snapshot has no 'date' — add "
            "`date: ...` (the date of the board the ratings were reported to)\n"
            "2 errors, 0 warnings, 0 info in 4 files\n"
        ),
    )


def test_folder_without_plan(run_cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_cli("validate", "empty")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        (
            "ragplan: empty: no plan.yaml here or in the folders below it\n"
            "  a plan folder holds plan.yaml and an actions/ folder; see the README\n"
        ),
    )


def test_missing_folder(run_cli):
    result = run_cli("validate", "nowhere")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        (
            "ragplan: nowhere: no such folder\n"
            "  give the folder that holds plan.yaml, or a folder of plan folders (the default is "
            "./plans)\n"
        ),
    )


def test_folder_of_plans(run_cli, make_plan):
    make_plan({"a.yaml": action("A1")}, name="plans/council-a")
    make_plan({"a.yaml": action("A1"), "b.yaml": action("B2")}, name="plans/council-b")
    result = run_cli("validate")
    assert (result.exit_code, result.stdout) == (0, "2 plans, 3 actions: no problems found\n")


def test_unreadable_plan_yaml_still_reports_actions(run_cli, make_plan):
    make_plan({"a.yaml": action(extra="dealine: x\n")}, plan="title: [unclosed\n")
    result = run_cli("validate", "plan")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[:2] == [
        "plan/actions/a.yaml:6:1: error [schema] unknown key 'dealine' in this action — did "
        "you mean 'deadline'?",
        "plan/plan.yaml:2:1: error [yaml-syntax] did not find expected ',' or ']' — check "
        "quotes and indentation near here",
    ]


def test_status_refuses_an_invalid_plan(run_cli, make_plan):
    make_plan({"a.yaml": action(deadline="soon")})
    result = run_cli("status", "plan", "--today", "2025-01-01")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        (
            "plan/actions/a.yaml:4:11: error [schema] 'deadline': 'soon' is not a date: write "
            "YYYY-MM-DD (e.g. 2015-02-28) or YYYY-MM (e.g. 2015-02) — or write `ongoing` if it "
            "has no end\n"
            "1 error, 0 warnings, 0 info in 2 files\n"
            "ragplan: the plan has structure errors (listed above), so it cannot be used\n"
            "  fix them and run again; `ragplan validate` lists them\n"
        ),
    )


def test_cli_paths_are_as_given(run_cli, make_plan, tmp_path: Path):
    make_plan({"a.yaml": action(rag="x")})
    result = run_cli("validate", str(tmp_path / "plan"))
    assert result.stdout.startswith(f"{tmp_path}/plan/actions/a.yaml:5:6: error [schema]")
