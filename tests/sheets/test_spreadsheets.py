"""`ragplan import` and `ragplan export` on spreadsheets like the reference trackers
(SPEC 7, 3.1; issue: spreadsheets in and out)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from ragplan.core.dates import DateError, spreadsheet_date
from tests.helpers import DATA

# The Ofsted 2014 tracker of ../shared/reference, as a Word table exports it (tab separated)
TRACKER = DATA / "trackers" / "ofsted-2014-tracker.txt"
HEADER = [
    "Theme", "Source/Ofsted", "Actions", "Current RAG", "Rating Change",
    "Strategic Lead (Board member )", "Operational Lead", "Progress", "Deadline",
    "Evidence of progress", "Outcome",
]  # fmt: skip


# --- dates (SPEC 3.1): every spelling the reference trackers use -----------------------

DATES = [
    ("Feb-15", "2015-02"),
    ("Feb 15", "2015-02"),
    ("Mar 15", "2015-03"),
    ("Jan-15", "2015-01"),
    ("Jun-15", "2015-06"),
    ("Mar 2016", "2016-03"),
    ("Sept 2015", "2015-09"),
    ("December 2014", "2014-12"),
    ("31.03.15", "2015-03-31"),
    ("31/03/2015", "2015-03-31"),
    ("02/03/2015", "2015-03-02"),
    ("30 Apr 2025", "2025-04-30"),
    ("2015-02", "2015-02"),
    ("2015-02-27", "2015-02-27"),
    ("On-going", "ongoing"),
    ("On- going", "ongoing"),
    ("Ongoing", "ongoing"),
    ("3 months", "2015-02-01"),
    ("12 Months", "2015-11-01"),
    ("Immediately", "2014-11-01"),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_tracker_dates(text, expected):
    assert spreadsheet_date(text, date(2014, 11, 1)) == expected


@pytest.mark.parametrize(
    "text", ["Completed", "TBC", "TBC by HR", "TBC by L&D", "", "30.02.15", "New staff", "Q3"]
)
def test_not_dates(text):
    with pytest.raises(DateError):
        spreadsheet_date(text, date(2014, 11, 1))


def test_relative_dates_need_a_start():
    with pytest.raises(DateError, match="give --start"):
        spreadsheet_date("3 months", None)


# --- import --------------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter=",") -> Path:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def row(ref_title: str, rag: str = "Amber", deadline: str = "Mar-15", **cells: str) -> list[str]:
    values = dict.fromkeys(HEADER, "")
    values.update(
        {
            "Actions": ref_title,
            "Current RAG": rag,
            "Deadline": deadline,
            "Operational Lead": "Kerry Mehta",
        }
    )
    values.update({k.replace("_", " "): v for k, v in cells.items()})
    return [values[h] for h in HEADER]


def test_the_reference_tracker_imports_with_every_unusable_cell_named(run_cli, tmp_path):
    text = TRACKER.read_text(encoding="utf-8")
    tracker = tmp_path / "ofsted.csv"
    tracker.write_text(text, encoding="utf-8")  # tab separated, as Word exports a table
    result = run_cli("import", str(tracker), "--start", "2014-11-01", "--as-of", "2015-01-30")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{tracker}: sheet 'ofsted', header on row 11; columns: ")
    assert (
        '  I14 "Completed": a status, not a date — put the date it was due in this cell, '
        "and the status in the rating"
    ) in lines
    assert lines[-1].startswith("Nothing was written:")
    assert not (tmp_path / "plans").exists()
    usable = run_cli(
        "import", str(tracker), "--start", "2014-11-01", "--as-of", "2015-01-30",
        "--skip-incomplete",
    )  # fmt: skip
    assert usable.exit_code == 0
    assert run_cli("validate", "plans/ofsted").exit_code == 0
    written = (tmp_path / "plans" / "ofsted" / "actions" / "1a.yaml").read_text()
    assert written.startswith(
        "ref: 1a\ntitle: Transform management culture and practice.\n"
        "theme: Vision, Leadership & Governance\n"
    )
    assert "deadline: 2015-02\nrag: red\n" in written
    assert "updates:\n  - date: 2015-01-30\n" in written


def test_fill_down_refs_split_and_made_unique(run_cli, tmp_path):
    rows = [
        ["Improvement tracker, January 2015"],
        [],
        HEADER,
        row(
            "1a.First action",
            Theme="Leadership",
            **{"Source/Ofsted": "Rec 1", "Strategic Lead (Board member )": "Geoff Little"},
        ),
        row("1b Second action", rag=""),
        row("1b.Third action, same ref"),
        row("Fourth action without a ref", Theme="Practice"),
    ]  # fmt: skip
    tracker = write_csv(tmp_path / "t.csv", rows)
    result = run_cli("import", str(tracker), "--skip-incomplete", "--today", "2015-01-30")
    assert result.exit_code == 0, result.stdout
    assert '  C6 "1b.Third action, same ref": ref 1b is used again, so this one is 1b-2' in (
        result.stdout
    )
    assert "  row 7: no ref — fill it in, or --skip-incomplete to import the other rows" in (
        result.stdout
    )
    second = (tmp_path / "plans" / "t" / "actions" / "1b.yaml").read_text()
    assert "theme: Leadership\nsource: Rec 1\n" in second
    assert "strategic_lead: Geoff Little\n" in second and "rag: amber\n" in second
    assert (tmp_path / "plans" / "t" / "plan.yaml").read_text() == (
        "title: Improvement tracker, January 2015\nthemes:\n  - Leadership\n"
        "people:\n  - Geoff Little\n  - Kerry Mehta\n"
    )  # the themes and people its rows name, so that a later misspelling is caught


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [
        ("cp1252", ";", b""),
        ("utf-8", "\t", b"\xef\xbb\xbf"),
        ("utf-8", ",", b""),
        ("utf-16-le", "\t", b"\xff\xfe"),  # Excel's "Unicode Text"
        ("utf-16-be", ",", b"\xfe\xff"),
    ],
)
def test_encodings_and_delimiters(run_cli, tmp_path, encoding, delimiter, bom):
    rows = [HEADER, row("1a.Budget £2m agreed", Progress="Line one\nline two")]
    path = write_csv(tmp_path / "t.csv", rows, encoding, delimiter)
    path.write_bytes(bom + path.read_bytes())
    result = run_cli("import", str(path), "--as-of", "2015-01-30")
    assert result.exit_code == 0, result.stdout
    written = (tmp_path / "plans" / "t" / "actions" / "1a.yaml").read_text()
    assert "title: Budget £2m agreed\n" in written
    assert "note: |-\n      Line one\n      line two\n" in written


def test_all_or_nothing_dry_run_force_and_default_rag(run_cli, tmp_path):
    tracker = write_csv(tmp_path / "t.csv", [HEADER, row("1a.One", rag=""), row("1b.Two")])
    refused = run_cli("import", str(tracker))
    assert refused.exit_code == 2 and not (tmp_path / "plans").exists()
    assert "  row 2: no rag (cell D2 is blank)" in refused.stdout
    dry = run_cli("import", str(tracker), "--default-rag", "green", "--dry-run")
    assert dry.exit_code == 0 and "Would write 2 action file(s)" in dry.stdout
    assert not (tmp_path / "plans").exists()
    assert run_cli("import", str(tracker), "--default-rag", "green").exit_code == 0
    path = tmp_path / "plans" / "t" / "actions" / "1a.yaml"
    assert "rag: green\n" in path.read_text()
    again = run_cli("import", str(tracker), "--default-rag", "red")
    assert again.exit_code == 2 and "already exists — --force replaces it" in again.stdout
    assert "rag: green\n" in path.read_text()
    forced = run_cli("import", str(tracker), "--default-rag", "red", "--force")
    assert forced.exit_code == 0 and "rag: red\n" in path.read_text()
    bad = run_cli("import", str(tracker), "--default-rag", "purple")
    assert bad.exit_code == 2 and "--default-rag 'purple' is not a rating" in bad.stderr


def test_map_and_header_row(run_cli, tmp_path):
    rows = [
        ["Ref", "What", "Who", "When", "RAG", "Notes"],
        ["A1", "Do it", "Kerry", "Jun-15", "red", "x"],
    ]
    tracker = write_csv(tmp_path / "t.csv", rows)
    unmapped = run_cli("import", str(tracker))
    assert unmapped.exit_code == 2 and "no header row found" in unmapped.stderr
    maps = ["What=title", "Who=lead", "When=deadline", "Notes=ignore"]
    options = [part for pair in maps for part in ("--map", pair)]
    mapped = run_cli("import", str(tracker), "--header-row", "1", *options)
    assert mapped.exit_code == 0, mapped.stdout
    written = (tmp_path / "plans" / "t" / "actions" / "A1.yaml").read_text()
    assert written == "ref: A1\ntitle: Do it\nlead: Kerry\ndeadline: 2015-06\nrag: red\n"
    wrong = run_cli("import", str(tracker), "--map", "Who=boss")
    assert wrong.exit_code == 2 and "--map 'Who=boss'" in wrong.stderr


def test_hostile_cells_stay_text(run_cli, tmp_path):
    long = "x" * 40_000
    rows = [
        HEADER,
        row('1a.=HYPERLINK("http://evil","click")', Progress="=1+1"),
        row("1b.Escape \x1b[31m red", Outcome=long),
    ]
    tracker = write_csv(tmp_path / "t.csv", rows)
    result = run_cli("import", str(tracker), "--as-of", "2015-01-30")
    assert result.exit_code == 0, result.stdout
    assert run_cli("validate", "plans/t").exit_code == 0
    first = (tmp_path / "plans" / "t" / "actions" / "1a.yaml").read_text()
    assert 'title: =HYPERLINK("http://evil","click")\n' in first  # text, as YAML reads it
    second = (tmp_path / "plans" / "t" / "actions" / "1b.yaml").read_text()
    assert "\\u001b[31m" in second and "\x1b" not in second


def xlsx(path: Path, build) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    build(book)
    book.save(path)
    return path


def test_xlsx_merged_cells_fills_title_rows_and_sheets(run_cli, tmp_path):
    from openpyxl.styles import PatternFill

    def build(book):
        book.active.title = "Notes"
        sheet = book.create_sheet("Tracker")
        sheet.append(["Improvement plan tracker"])
        sheet.append([])
        sheet.append(HEADER)
        sheet.append(row("1a.One", Theme="Leadership", rag="RED"))
        sheet.append(row("1b.Two", rag=""))
        sheet.append(row("1c.Three", rag=""))
        sheet.merge_cells("A4:A6")
        sheet["D6"].fill = PatternFill("solid", fgColor="FF00B050")  # Excel's green

    tracker = xlsx(tmp_path / "board.xlsx", build)
    missing = run_cli("import", str(tracker), "--sheet", "Nope")
    assert missing.exit_code == 2 and "its sheets are: Notes, Tracker" in missing.stderr
    result = run_cli("import", str(tracker), "--sheet", "Tracker", "--today", "2015-01-30")
    assert result.exit_code == 0, result.stdout
    actions = tmp_path / "plans" / "board" / "actions"
    assert "theme: Leadership\n" in (actions / "1c.yaml").read_text()
    assert "rag: red\n" in (actions / "1b.yaml").read_text()  # filled down
    assert "rag: green\n" in (actions / "1c.yaml").read_text()  # from the cell's fill


def test_an_xlsx_zip_bomb_and_an_external_entity_fail_cleanly(run_cli, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 50_000_000 + b">")
    result = run_cli("import", str(bomb))
    assert result.exit_code == 2 and "refused as a possible zip bomb" in result.stderr
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    good = xlsx(tmp_path / "good.xlsx", lambda b: b.active.append(HEADER))
    entity = tmp_path / "entity.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(entity, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                doctype = f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'.encode()
                if data.startswith(b"<?xml"):
                    end = data.index(b"?>") + 2
                    data = data[:end] + doctype + data[end:]
                else:
                    data = doctype + data
                data = data.replace(b"<sheet ", b"<sheet foo='&e;' ", 1)
            target.writestr(item, data)
    attacked = run_cli("import", str(entity))
    assert attacked.exit_code == 2
    assert "SECRET" not in attacked.stdout + attacked.stderr


# --- export, and the way back ----------------------------------------------------------


def test_export_csv_guards_formulas_and_imports_back(run_cli, make_plan, tmp_path):
    from tests.helpers import action

    make_plan(
        {
            "a.yaml": action("A1", extra="theme: Leadership\nevidence: [Audit, Minutes]\n"
                             "updates:\n  - date: 2025-01-05\n    note: \"=1+1 and more\"\n"),
            "b.yaml": action("B1", rag="red", deadline="ongoing", extra="outcome: \"@sum\"\n"),
        },
        plan="title: T\n",
    )  # fmt: skip
    result = run_cli("export", "plan", "--format", "csv", "-o", "out.csv", "--today", "2025-02-01")
    assert (result.exit_code, result.stdout) == (0, "wrote out.csv: 2 actions\n")
    data = (tmp_path / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfTheme,Ref,Action,Rating,Change,")
    text = data.decode("utf-8-sig")
    assert ",'=1+1 and more,2025-01-05," in text and ",'@sum," in text
    back = run_cli("import", "out.csv", "--into", "back", "--today", "2025-02-01")
    assert back.exit_code == 0, back.stdout
    again = (tmp_path / "back" / "actions" / "A1.yaml").read_text()
    assert again == (
        "ref: A1\ntitle: Review caseloads\ntheme: Leadership\nlead: Kerry Mehta\n"
        "deadline: 2025-03-31\nrag: amber\nevidence:\n  - Audit\n  - Minutes\n"
        "updates:\n  - date: 2025-01-05\n    note: =1+1 and more\n"
    )
    assert (
        'deadline: ongoing\nrag: red\noutcome: "@sum"\n'
        in (tmp_path / "back" / "actions" / "B1.yaml").read_text()
    )


def test_export_xlsx_has_text_cells_fills_a_frozen_header_and_a_legend(
    run_cli, make_plan, tmp_path
):
    from openpyxl import load_workbook

    from ragplan.core.colours import AA, contrast
    from tests.helpers import action

    make_plan(
        {
            "a.yaml": action("A1", extra='outcome: "=SUM(A1:A9)"\n'),
            "b.yaml": action("B1", rag="green"),
        },
        plan="title: T\n",
    )
    assert run_cli("export", "plan", "-o", "out.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "out.xlsx")
    sheet = book["Tracker"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P3"
    assert [c.value for c in sheet[1]][:4] == ["Theme", "Ref", "Action", "Rating"]
    outcome = sheet.cell(row=2, column=13)
    assert outcome.value == "=SUM(A1:A9)" and outcome.data_type == "s"
    for cell in (sheet["D2"], sheet["D3"]):
        background = cell.fill.fgColor.rgb[-6:]
        assert contrast(background, cell.font.color.rgb[-6:]) >= AA
    assert [c.value for c in book["Legend"]["A"]] == ["Rating", "Blue", "Green", "Amber", "Red"]


# --- the round trip, over generated plans ----------------------------------------------

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WORDS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?()"&/=+-@#%£é'


def _text(min_size: int = 1) -> st.SearchStrategy[str]:
    return (
        st.text(WORDS, min_size=min_size, max_size=40)
        .map(lambda t: " ".join(t.split()))
        .filter(lambda t: any(c.isalnum() for c in t))
        .filter(lambda t: t[0] not in "-•" and t[-1] not in "-•")
    )


def _day() -> st.SearchStrategy[str]:
    return st.dates(date(2014, 1, 1), date(2027, 12, 31)).map(date.isoformat)


_action = st.fixed_dictionaries(
    {
        "title": _text(),
        "theme": st.none() | _text(),
        "lead": _text(),
        "deadline": _day() | st.just("ongoing") | _day().map(lambda d: d[:7]),
        "rag": st.sampled_from(["blue", "green", "amber", "red"]),
        "outcome": st.none() | _text(),
        "evidence": st.lists(_text(), max_size=3),
        "note": st.none() | _text(),
        "on": _day(),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no long shrinking in CI
)
@given(actions=st.lists(_action, min_size=1, max_size=5), kind=st.sampled_from(["csv", "xlsx"]))
def test_import_of_an_export_gives_back_the_same_actions(tmp_path_factory, actions, kind):
    import os

    from typer.testing import CliRunner

    from ragplan.cli.commands import app

    work = tmp_path_factory.mktemp("roundtrip")
    folder = work / "plan" / "actions"
    folder.mkdir(parents=True)
    (work / "plan" / "plan.yaml").write_text("title: T\n")
    from ragplan.write.yamlout import document

    for number, a in enumerate(actions, 1):
        updates = ((("date", a["on"], True), ("note", a["note"], False)),) if a["note"] else None
        fields = [
            ("ref", f"{number}a", False),
            ("title", a["title"], False),
            ("theme", a["theme"], False),
            ("lead", a["lead"], False),
            ("deadline", a["deadline"], True),
            ("rag", a["rag"], False),
            ("outcome", a["outcome"], False),
            ("evidence", tuple(a["evidence"]) or None, False),
            ("updates", updates, False),
        ]
        (folder / f"{number}a.yaml").write_text(document(fields))
    runner = CliRunner()
    os.chdir(work)
    env = {"RAGPLAN_NO_CACHE": "1", "RAGPLAN_TODAY": "2025-01-01"}

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.stdout + result.stderr
        return result.stdout

    run("export", "plan", "--format", kind, "-o", f"out.{kind}")
    run("import", f"out.{kind}", "--into", "back")

    def shape(root: str) -> list[dict[str, object]]:
        from ragplan.read.loader import load

        (plan,) = load(Path(root)).plans
        return [
            {
                "ref": x.ref,
                "title": x.title,
                "theme": x.theme,
                "leads": x.leads,
                "deadline": x.deadline.text,
                "rag": x.rag,
                "outcome": x.outcome,
                "evidence": [e.description for e in x.evidence],
                "update": [(u.on, u.note) for u in x.updates[-1:]],
            }
            for x in sorted(plan.actions, key=lambda x: x.ref)
        ]

    assert shape("back") == shape("plan")


# --- re-import of an edited export ------------------------------------------------------


def _edited_export(run_cli, make_plan, tmp_path, edit) -> Path:
    from openpyxl import load_workbook

    from tests.helpers import action

    fresh = "updates:\n  - date: 2025-01-05\n    note: Started.\n"
    make_plan(
        {"a.yaml": action("A1", extra=fresh), "b.yaml": action("B1", rag="green", extra=fresh)},
        plan="title: T\n",
    )
    assert run_cli("export", "plan", "-o", "out.xlsx", "--today", "2025-02-01").exit_code == 0
    book = load_workbook(tmp_path / "out.xlsx")
    edit(book["Tracker"])
    book.save(tmp_path / "edited.xlsx")
    return tmp_path / "edited.xlsx"


def _set(sheet, ref: str, column: str, value: str) -> None:
    names = [c.value for c in sheet[1]]
    if column not in names:
        sheet.cell(row=1, column=len(names) + 1).value = column
        names.append(column)
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == ref:
            sheet.cell(row=row[0].row, column=names.index(column) + 1).value = value


def test_update_appends_updates_for_changed_rows_only(run_cli, make_plan, tmp_path):
    def edit(sheet):
        _set(sheet, "A1", "Rating", "Red")
        _set(sheet, "A1", "Latest progress", "Audit found gaps | in two teams")
        _set(sheet, "A1", "Progress date", "2025-02-10")
        _set(sheet, "B1", "Action", "Retitled in Excel")

    edited = _edited_export(run_cli, make_plan, tmp_path, edit)
    b1 = (tmp_path / "plan" / "actions" / "b.yaml").read_bytes()
    dry = run_cli("import", str(edited), "--into", "plan", "--update", "--dry-run",
                  "--today", "2025-02-15")  # fmt: skip
    assert dry.exit_code == 0
    assert dry.stdout.splitlines()[1:] == [
        "  A1 (row 2): rating: Amber -> Red",
        "  A1 (row 2): progress: Started. -> Audit found gaps | in two teams",
        "  B1 (row 3): action differ from the file; not changed (edit the action file for those)",
        "1 action(s) would be updated; unchanged rows change nothing.",
    ]
    assert "rag: amber" in (tmp_path / "plan" / "actions" / "a.yaml").read_text()
    done = run_cli("import", str(edited), "--into", "plan", "--update", "--today", "2025-02-15")
    assert done.exit_code == 0
    assert (
        (tmp_path / "plan" / "actions" / "a.yaml")
        .read_text()
        .endswith(
            "rag: red\nupdates:\n  - date: 2025-01-05\n    note: Started.\n"
            "  - date: 2025-02-10\n    note: Audit found gaps | in two teams\n"
        )
    )
    assert (tmp_path / "plan" / "actions" / "b.yaml").read_bytes() == b1
    again = run_cli("import", str(edited), "--into", "plan", "--update", "--today", "2025-02-15")
    assert "0 action(s) updated" in again.stdout  # the same sheet again changes nothing


def test_update_refuses_a_revised_deadline_without_explanation(run_cli, make_plan, tmp_path):
    edited = _edited_export(
        run_cli, make_plan, tmp_path, lambda s: _set(s, "A1", "Revised deadline", "2025-06-30")
    )
    before = (tmp_path / "plan" / "actions" / "a.yaml").read_bytes()
    result = run_cli("import", str(edited), "--into", "plan", "--update", "--today", "2025-02-15")
    assert result.exit_code == 2
    assert "  A1 (row 2): a revised deadline needs an explanation" in result.stdout
    assert (tmp_path / "plan" / "actions" / "a.yaml").read_bytes() == before

    from openpyxl import load_workbook

    book = load_workbook(edited)
    _set(book["Tracker"], "A1", "Explanation", "Audit team away")
    book.save(edited)
    result = run_cli("import", str(edited), "--into", "plan", "--update", "--as-of", "2025-02-14")
    assert result.exit_code == 0, result.stdout
    assert (
        (tmp_path / "plan" / "actions" / "a.yaml")
        .read_text()
        .endswith(
            "  - date: 2025-02-14\n    note: Revised deadline 2025-06-30 (from edited.xlsx)\n"
            "    explanation: Audit team away\n    revised_deadline: 2025-06-30\n"
        )
    )


def test_update_reports_unknown_refs_and_adds_them_when_asked(run_cli, make_plan, tmp_path):
    def edit(sheet):
        sheet.append(["", "C1", "A new action", "Green", "", "", "Kerry Mehta", "", "", "2025-06"])

    edited = _edited_export(run_cli, make_plan, tmp_path, edit)
    result = run_cli("import", str(edited), "--into", "plan", "--update", "--today", "2025-02-15")
    assert "  row 4: C1 is not in the plan; not created (--add-new creates it)" in result.stdout
    assert not (tmp_path / "plan" / "actions" / "C1.yaml").exists()
    added = run_cli("import", str(edited), "--into", "plan", "--update", "--add-new")
    assert added.exit_code == 0 and "C1 is not in the plan; created" in added.stdout
    assert run_cli("validate", "plan").stdout == "1 plan, 3 actions: no problems found\n"


def test_a_real_spreadsheet_program_reads_the_export_as_text(run_cli, make_plan, tmp_path):
    """LibreOffice (headless) converts the export to CSV: every value is there, and the
    cells that look like formulas come out as written, not evaluated."""
    import shutil
    import subprocess

    from tests.helpers import action

    office = shutil.which("soffice")
    assert office is not None, "LibreOffice is missing: `make office` installs it"
    make_plan(
        {
            "a.yaml": action("A1", extra='outcome: "=SUM(1+1)"\nsource: "+1"\n'),
            "b.yaml": action("B1", rag="red", extra='strategic_lead: "@cmd"\n'),
        },
        plan="title: T\n",
    )
    assert run_cli("export", "plan", "-o", "out.xlsx", "--today", "2025-02-01").exit_code == 0
    profile = tmp_path / "profile"
    subprocess.run(
        [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "lo"),
         str(tmp_path / "out.xlsx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO((tmp_path / "lo" / "out.csv").read_text("utf-8"))))
    assert rows[0][:4] == ["Theme", "Ref", "Action", "Rating"]
    by_ref = {row[1]: row for row in rows[1:]}
    assert by_ref["A1"][12] == "=SUM(1+1)" and by_ref["A1"][13] == "+1"
    assert by_ref["B1"][3] == "Red" and by_ref["B1"][5] == "@cmd"


def test_key_targets_stay_text_measures(run_cli, tmp_path):
    rows = [
        [*HEADER, "Key Targets", "Performance Indicator where measured in Quarterly Scorecard"],
        [
            *row("1a.One"),
            "35% of audits good by March 2015",
            "P17 NI147 % of care leavers in contact",
        ],
    ]
    tracker = write_csv(tmp_path / "t.csv", rows)
    assert run_cli("import", str(tracker), "--map", "Key Targets=measures").exit_code == 0
    written = (tmp_path / "plans" / "t" / "actions" / "1a.yaml").read_text()
    assert "measures:\n  - 35% of audits good by March 2015\n" in written
    status = run_cli("status", "plans/t", "--format", "json", "--today", "2015-01-30")
    assert '"measures": []' in status.stdout  # no number is guessed out of the text


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_to_a_missing_folder_is_a_plain_error(run_cli, make_plan, tmp_path, kind):
    from tests.helpers import action

    make_plan({"a.yaml": action("A1")}, plan="title: T\n")
    result = run_cli("export", "plan", "--format", kind, "-o", str(tmp_path / "no" / f"x.{kind}"))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"ragplan: {tmp_path / 'no'}: cannot write here (No such file or directory)\n"
        "  check the folder's permissions\n",
    )


def test_import_into_a_file_is_a_plain_error(run_cli, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    tracker = write_csv(tmp_path / "t.csv", [HEADER, row("1a.One")])
    result = run_cli("import", str(tracker), "--into", "notes.txt")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "ragplan: --into notes.txt: a file, not a plan folder\n  give a folder\n",
    )


def test_letters_quarters_kpis_and_numbering_are_read_as_trackers_write_them(run_cli, tmp_path):
    """A, G, R for ratings; Q3 2016/17 (the UK financial year) for a deadline; a KPI or
    "Success measures" column for measures; "19." numbering for the ref."""
    tracker = tmp_path / "t.csv"
    tracker.write_text(
        "No,Action,Lead,Deadline,RAG,Success measures\n"
        "19.,Recruit social workers,Kerry Mehta,Q3 2016/17,A,Vacancies below 10%\n"
        "20.,Audit cases,Kerry Mehta,Q4 2016/17,G,\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(tracker), "--as-of", "2016-09-30")
    assert result.exit_code == 0, result.stdout
    first = (tmp_path / "plans" / "t" / "actions" / "19.yaml").read_text()
    assert "ref: '19'\n" in first or 'ref: "19"\n' in first or "ref: 19\n" in first
    assert "deadline: 2016-12\n" in first and "rag: amber\n" in first
    assert "measures:\n  - Vacancies below 10%\n" in first
    second = (tmp_path / "plans" / "t" / "actions" / "20.yaml").read_text()
    assert "deadline: 2017-03\n" in second and "rag: green\n" in second


def test_progress_headed_this_month_is_dated_today_not_at_the_month_end(run_cli, tmp_path):
    tracker = tmp_path / "t.csv"
    tracker.write_text(
        "Ref,Action,Lead,Deadline,RAG,Progress - Sept 2016\n"
        "1a,Recruit,Kerry Mehta,2016-12-31,Amber,Two posts filled\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(tracker), "--today", "2016-09-20")
    assert result.exit_code == 0, result.stdout
    assert "Progress becomes an update dated 20 Sep 2016 (today, in the header's" in result.stdout
    written = (tmp_path / "plans" / "t" / "actions" / "1a.yaml").read_text()
    assert "  - date: 2016-09-20\n    note: Two posts filled\n" in written
    check = run_cli("check", "plans", "--today", "2016-09-20", "--format", "json")
    assert "update-in-future" not in check.stdout


def test_skipping_every_row_is_no_success(run_cli, tmp_path):
    tracker = tmp_path / "t.csv"
    tracker.write_text(
        "Ref,Action,Lead,Deadline,RAG\n1a,Recruit,Kerry Mehta,2016-12-31,Amber\n", encoding="utf-8"
    )
    assert run_cli("import", str(tracker), "--as-of", "2016-09-30").exit_code == 0
    again = run_cli("import", str(tracker), "--as-of", "2016-09-30", "--skip-incomplete")
    assert again.exit_code == 2
    assert again.stdout.splitlines()[-1] == (
        "Nothing was written: none of the rows can be imported (1 problem(s), listed above)."
    )


def test_every_column_is_accounted_for(run_cli, tmp_path):
    tracker = tmp_path / "t.csv"
    tracker.write_text(
        "Ref,Action,Lead,Deadline,RAG,Rating Change,Notes,Lead\n"
        "1a,Recruit,Kerry Mehta,2016-12-31,Amber,up,hello,Lana Shannon\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(tracker), "--as-of", "2016-09-30", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:4] == [
        "  column 'Rating Change' not imported: ignored, as asked or computed by ragplan",
        "  column 'Notes' not imported: no field of that name: --map 'Notes=FIELD' keeps it",
        "  column 'Lead' not imported: another column already gives lead",
    ]


def test_names_spelled_two_ways_are_reported(run_cli, tmp_path):
    tracker = tmp_path / "t.csv"
    tracker.write_text(
        "Ref,Action,Lead,Deadline,RAG\n"
        "1a,Recruit,Vince Clarke,2016-12-31,Amber\n2a,Audit,Vince Clark,2016-12-31,Green\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(tracker), "--as-of", "2016-09-30")
    assert result.exit_code == 0
    assert (
        "  people: 'Vince Clark' and 'Vince Clarke' look like one person spelled two ways — "
        "use one spelling in the sheet (plan.yaml lists both as written)"
    ) in result.stdout.splitlines()
    new = run_cli(
        "new", "--plan", "plans/t", "--ref", "3a", "--title", "T", "--lead", "Vince Clarkson",
        "--deadline", "2016-12", "--rag", "green",
    )  # fmt: skip
    assert new.exit_code == 2 and "Vince Clarkson is not in this plan's people list" in new.stderr
