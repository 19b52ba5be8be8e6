"""Plans -> one row per action with the tracker's columns, for CSV and XLSX (`ragplan
export`). Pure; the writers below take the rows and a file name.

A cell that a spreadsheet could run as a formula (it starts with = + - @, a tab or a
carriage return) is written so that none does: in CSV behind a `'`, which `ragplan
import` removes again; in XLSX as a text cell, never a formula.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..core.colours import rating_colours
from ..core.status import PlanStatus, State
from .importing import EXPORT_HEADER, GUARDED

COLUMNS = (
    ("Theme", 28),
    ("Ref", 8),
    ("Action", 50),
    ("Rating", 10),
    ("Change", 16),
    ("Strategic lead", 20),
    ("Operational lead", 20),
    ("Latest progress", 60),
    ("Progress date", 12),
    ("Deadline", 12),
    ("Revised deadline", 12),
    ("Evidence", 40),
    ("Outcome", 40),
    ("Source", 30),
    ("Start", 12),
    ("Measures", 30),
)
RATING_COLUMN = 3
assert tuple(name for name, _ in COLUMNS[: len(EXPORT_HEADER)]) == EXPORT_HEADER


@dataclass(frozen=True, slots=True)
class Legend:
    label: str
    meaning: str
    background: str
    text: str


def rows(statuses: list[PlanStatus]) -> list[tuple[tuple[str, ...], str]]:
    """(cells, rating key) of every action not withdrawn, in the tracker's order."""
    found: list[tuple[tuple[str, ...], str]] = []
    for status in statuses:
        plan = status.plan
        for s in status.actions:
            if s.state is State.WITHDRAWN:
                continue
            a = s.action
            latest = a.updates[-1] if a.updates else None
            change = ""
            if s.change is not None:
                change = (
                    "new"
                    if s.change.arrow.value == "new"
                    else (
                        f"{s.change.arrow.value} from {plan.level(s.change.before).label}"
                        if s.change.before in {lv.key for lv in plan.rag_scale}
                        else s.change.arrow.value
                    )
                )
            cells = (
                a.theme or "",
                a.ref,
                a.title,
                plan.level(a.rag).label,
                change,
                a.strategic_lead or "",
                ", ".join(a.leads),
                (latest.note or "") if latest else "",
                latest.on.isoformat() if latest else "",
                a.deadline.text,
                s.revised_deadline.isoformat() if s.revised_deadline else "",
                "\n".join(e.description for e in a.evidence),
                a.outcome or "",
                a.source or "",
                a.start.isoformat() if a.start else "",
                "\n".join(a.measures),
            )
            found.append((cells, a.rag))
    return found


def legend(statuses: list[PlanStatus]) -> list[Legend]:
    seen: dict[str, Legend] = {}
    for status in statuses:
        for position, level in enumerate(status.plan.rag_scale):
            background, text = rating_colours(level.key, position)
            seen.setdefault(level.label, Legend(level.label, level.meaning, background, text))
    return list(seen.values())


def guard(text: str) -> str:
    """CSV: a cell a spreadsheet would run as a formula, behind a `'`."""
    return "'" + text if text.startswith(GUARDED) else text


def to_csv(table: list[tuple[tuple[str, ...], str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS])
    for cells, _ in table:
        writer.writerow([guard(c) for c in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8


def to_xlsx(table: list[tuple[tuple[str, ...], str]], key: list[Legend]) -> bytes:
    """Rating fills with AA text, the rating's name in the cell, a frozen header, filters,
    widths, wrapped text, and a Legend sheet. Every cell is text: nothing is a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    colours = {item.label: item for item in key}
    sheet.append([name for name, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cells, _ in table:
        sheet.append(list(cells))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"  # text, never a formula, whatever it starts with
            cell.alignment = wrap
        rating = row[RATING_COLUMN]
        found = colours.get(str(rating.value))
        if found is not None:
            rating.fill = PatternFill("solid", fgColor=found.background)
            rating.font = Font(bold=True, color=found.text)
    for index, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(len(table) + 1, 2)}"
    legend_sheet = book.create_sheet("Legend")
    legend_sheet.append(["Rating", "Meaning"])
    for cell in legend_sheet[1]:
        cell.font = Font(bold=True)
    for item in key:
        legend_sheet.append([item.label, item.meaning])
        cell = legend_sheet.cell(row=legend_sheet.max_row, column=1)
        cell.fill = PatternFill("solid", fgColor=item.background)
        cell.font = Font(bold=True, color=item.text)
        legend_sheet.cell(row=legend_sheet.max_row, column=2).data_type = "s"
    legend_sheet.column_dimensions["A"].width = 12
    legend_sheet.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
