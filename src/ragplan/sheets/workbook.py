"""A spreadsheet file -> a grid of text cells with their addresses (ragplan import).

CSV: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode Text"), else
Windows-1252 (tried in that order: a detector turned a short file's £ into Ł); the
delimiter is whichever of comma, semicolon or tab
splits the first lines most evenly (csv.Sniffer picked CR on Excel's CRLF files).
XLSX: openpyxl, with defusedxml installed so that no external entity is resolved, and
the archive's members measured before anything is unzipped (a zip bomb is refused), and
the sheet's size, as declared and as found, checked before a grid is built.
Reading is bounded everywhere: at most MAX_CELLS cells a sheet; a cell longer than
Excel's limit is cut to it and reported (Sheet.clipped), never a crash.
Merged cells repeat their value across the merge; an empty cell with a rating's fill
colour records that colour.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..core.errors import InputError

MAX_CELL = 32_767  # Excel's own limit on a cell's text
MAX_CELLS = 100_000  # a sheet's rows x columns: a board's tracker holds a few thousand
MAX_BYTES = 50 * 1024 * 1024  # a CSV file, or a workbook unpacked
MAX_UNZIPPED = MAX_BYTES
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
    clipped: tuple[tuple[str, int], ...] = ()  # (address, length) of each cell cut short


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")
_REF = re.compile(r"([A-Z]+)([0-9]+)")


def _area(ref: str) -> int:
    """The number of cells of a range such as B2:D10."""
    (left, top), (right, bottom) = (_REF.fullmatch(end).groups() for end in ref.split(":"))  # type: ignore[union-attr]
    return (abs(int(bottom) - int(top)) + 1) * (abs(column_index(right) - column_index(left)) + 1)


def column_index(name: str) -> int:
    """A -> 0, Z -> 25, AA -> 26."""
    index = 0
    for letter in name:
        index = index * 26 + ord(letter) - 64
    return index - 1


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, its BOM says which way
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _read_csv(path: Path) -> Sheet:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{path} is over {MAX_BYTES // (1024 * 1024)} MB: far more than a tracker holds",
            "save only the tracker's sheet as CSV, or import the .xlsx workbook",
        )
    text = _decode(data)
    # csv's own bound on a cell (131,072 characters) would stop the import: the file's
    # size bounds it here, and a cell past Excel's limit is cut and reported
    limit = csv.field_size_limit(max(len(text), 131_072))
    try:
        delimiter = _delimiter(text)
        rows: list[tuple[Cell, ...]] = []
        cells = 0
        clipped: list[tuple[str, int]] = []
        for r, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            cells += len(row)
            if cells > MAX_CELLS:
                raise _too_big(path, f"more than {MAX_CELLS:,} cells")
            for c, value in enumerate(row):
                if len(value) > MAX_CELL:
                    clipped.append((f"{column_name(c)}{r}", len(value)))
            rows.append(tuple(Cell(_clip(v), f"{column_name(c)}{r}") for c, v in enumerate(row)))
    except csv.Error as error:
        raise InputError(f"{path}: not a CSV file ({error})", "save it from Excel as CSV") from None
    finally:
        csv.field_size_limit(limit)
    return Sheet(path.stem, tuple(rows), tuple(clipped))


def _too_big(path: Path, what: str) -> InputError:
    return InputError(
        f"{path}: the sheet holds {what}; ragplan reads at most {MAX_CELLS:,} cells a sheet",
        "delete the rows and columns beyond the tracker (select them, then Delete), save, "
        "and import again",
    )


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

    _check_declared(path, wanted)
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
    found = worksheet.max_row * worksheet.max_column  # from the cells the sheet holds
    if found > MAX_CELLS:
        raise _too_big(path, f"cells as far as {worksheet.calculate_dimension()} ({found:,})")
    values: dict[tuple[int, int], str] = {}
    clipped: list[tuple[str, int]] = []
    fills: dict[tuple[int, int], str] = {}
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) > MAX_CELL:
                clipped.append((cell.coordinate, len(cell.value)))
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
    return Sheet(worksheet.title, rows, tuple(clipped))


def _check_declared(path: Path, wanted: str | None) -> None:
    """Refuse a sheet whose declared size (its <dimension>, read without loading the
    cells), or a merged range of any sheet, is past MAX_CELLS, before openpyxl builds
    any of it (it makes a cell for each cell of a merged range)."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                merged = 0
                for ref in _MERGE.findall(archive.read(member)):
                    merged += _area(ref.decode("ascii"))
                    if merged > MAX_CELLS:
                        raise _too_big(path, f"merged cells as far as {ref.decode('ascii')}")

    try:
        streamed = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # the full load below words what is wrong
        return
    try:
        names = streamed.sheetnames
        if wanted is not None and wanted not in names:
            return
        sheet = streamed[wanted] if wanted is not None else streamed.worksheets[0]
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows * columns > MAX_CELLS:
            raise _too_big(
                path, f"cells as far as {sheet.calculate_dimension()} ({rows * columns:,})"
            )
    finally:
        streamed.close()


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
