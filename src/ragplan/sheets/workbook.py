"""A spreadsheet file -> a grid of text cells with their addresses (ragplan import).

CSV: UTF-8 with or without a BOM, else Windows-1252 (tried in that order: a detector
turned a short file's £ into Ł); the delimiter is whichever of comma, semicolon or tab
splits the first lines most evenly (csv.Sniffer picked CR on Excel's CRLF files).
XLSX: openpyxl, with defusedxml installed so that no external entity is resolved, and
the archive's members measured before anything is unzipped (a zip bomb is refused).
Merged cells repeat their value across the merge; an empty cell with a rating's fill
colour records that colour.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..core.errors import InputError

MAX_CELL = 32_767  # Excel's own limit on a cell's text
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100  # uncompressed : compressed, per member
_FILLS = {  # fill colours trackers use for ratings -> a rating word
    "FF0000": "red",
    "C00000": "red",
    "FFC000": "amber",
    "FFBF00": "amber",
    "FFFF00": "amber",
    "FFA500": "amber",
    "00B050": "green",
    "92D050": "green",
    "00FF00": "green",
    "0070C0": "blue",
    "00B0F0": "blue",
    "0000FF": "blue",
}


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    address: str  # "E7"
    fill: str | None = None  # a rating word read from an empty cell's fill colour


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    rows: tuple[tuple[Cell, ...], ...]


def column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def read(path: Path, sheet: str | None = None) -> Sheet:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise InputError(
        f"{path}: ragplan imports .csv and .xlsx files",
        "save the tracker as .xlsx (Excel Workbook) or .csv (comma separated)",
    )


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _read_csv(path: Path) -> Sheet:
    try:
        text = _decode(path.read_bytes())
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for r, row in enumerate(reader, 1):
        rows.append(tuple(Cell(_clip(v), f"{column_name(c)}{r}") for c, v in enumerate(row)))
    return Sheet(path.stem, tuple(rows))


def _delimiter(text: str) -> str:
    """The one of comma, semicolon and tab that splits most of the first rows into three
    or more cells, the same number each time (a table, not prose with commas)."""
    head = "\n".join(text.splitlines()[:60])

    def score(delimiter: str) -> tuple[int, int, bool]:
        widths = [len(row) for row in csv.reader(io.StringIO(head), delimiter=delimiter)]
        wide = [w for w in widths if w >= 3]
        common = max(set(wide), key=wide.count) if wide else 0
        return (sum(1 for w in wide if w == common), common, delimiter == ",")

    return max((",", ";", "\t"), key=score)


def _clip(text: str) -> str:
    return text[:MAX_CELL].replace("\r\n", "\n").replace("\r", "\n")


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            for member in archive.infolist():
                total += member.file_size
                ratio = member.file_size / max(member.compress_size, 1)
                if total > MAX_UNZIPPED or (member.file_size > 1_000_000 and ratio > MAX_RATIO):
                    raise InputError(
                        f"{path}: the workbook unpacks to far more than it holds "
                        f"({member.filename}); it is refused as a possible zip bomb",
                        "open it in Excel and save a copy, then import that",
                    )
    except zipfile.BadZipFile:
        raise InputError(
            f"{path}: not a valid .xlsx workbook", "open it in Excel and save it as .xlsx"
        ) from None


def _read_xlsx(path: Path, wanted: str | None) -> Sheet:
    _check_archive(path)
    import defusedxml  # noqa: F401  (openpyxl parses through it when it is installed)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken or hostile file
        raise InputError(
            f"{path}: the workbook cannot be read ({type(error).__name__})",
            "open it in Excel and save a copy as .xlsx, then import that",
        ) from None
    names = workbook.sheetnames
    if wanted is not None and wanted not in names:
        raise InputError(f"{path} has no sheet {wanted!r}", "its sheets are: " + ", ".join(names))
    worksheet = workbook[wanted] if wanted is not None else workbook.worksheets[0]
    values: dict[tuple[int, int], str] = {}
    fills: dict[tuple[int, int], str] = {}
    for row in worksheet.iter_rows():
        for cell in row:
            text = _text(cell.value)
            if text:
                values[(cell.row, cell.column)] = text
            else:
                colour = _fill(cell)
                if colour:
                    fills[(cell.row, cell.column)] = colour
    for merged in worksheet.merged_cells.ranges:
        top = values.get((merged.min_row, merged.min_col))
        if top is None:
            continue
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values.setdefault((r, c), top)
    last_row = max((r for r, _ in (*values, *fills)), default=0)
    last_col = max((c for _, c in (*values, *fills)), default=0)
    rows = tuple(
        tuple(
            Cell(values.get((r, c), ""), f"{column_name(c - 1)}{r}", fills.get((r, c)))
            for c in range(1, last_col + 1)
        )
        for r in range(1, last_row + 1)
    )
    return Sheet(worksheet.title, rows)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clip(str(value)).strip()


def _fill(cell: object) -> str | None:
    fill = getattr(cell, "fill", None)
    colour = getattr(getattr(fill, "fgColor", None), "rgb", None)
    if getattr(fill, "fill_type", None) != "solid" or not isinstance(colour, str):
        return None
    return _FILLS.get(colour[-6:].upper())
