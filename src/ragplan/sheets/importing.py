"""A tracker's grid of cells -> action files, and a report of every cell that could not
be used (SPEC 7). Pure: the sheet, the plan's ratings and the options in; drafts and
problems out. Nothing here reads the clock or writes a file.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from ..core.dates import STATUS_WORDS, DateError, parse_day, show, spreadsheet_date
from ..core.model import Plan
from ..core.names import file_stem, name_problem
from ..core.status import ActionStatus
from ..write import yamlout
from .workbook import MAX_CELL, Cell, Sheet

REQUIRED = ("ref", "title", "lead", "deadline", "rag")
FIELDS = (
    "ref", "title", "theme", "source", "lead", "strategic_lead", "start", "deadline", "rag",
    "outcome", "measures", "evidence", "progress", "progress_date", "revised_deadline",
    "explanation", "ignore",
)  # fmt: skip
# Headers, lower case with everything but letters and digits removed -> field.
SYNONYMS = {
    "ref": "ref", "no": "ref", "id": "ref", "number": "ref", "refno": "ref",
    "reference": "ref", "actionno": "ref", "actionref": "ref", "actionnumber": "ref",
    "action": "title", "actions": "title", "title": "title", "task": "title",
    "actionsrequired": "title", "whatwillbedone": "title", "actionrequired": "title",
    "lead": "lead", "operationallead": "lead", "responsible": "lead", "owner": "lead",
    "responsibleofficer": "lead", "leadofficer": "lead", "actionowner": "lead",
    "strategiclead": "strategic_lead", "boardmember": "strategic_lead",
    "executivelead": "strategic_lead", "sponsor": "strategic_lead",
    "deadline": "deadline", "enddate": "deadline", "timescale": "deadline",
    "timescales": "deadline", "due": "deadline", "duedate": "deadline",
    "targetdate": "deadline", "completiondate": "deadline", "bywhen": "deadline",
    "startdate": "start", "start": "start",
    "rag": "rag", "currentrag": "rag", "status": "rag", "ragstatus": "rag",
    "rating": "rag", "ragrating": "rag", "currentrating": "rag",
    "progress": "progress", "progressupdate": "progress", "update": "progress",
    "commentary": "progress", "progresstodate": "progress", "latestprogress": "progress",
    "evidence": "evidence", "evidenceofprogress": "evidence", "evidenceofimpact": "evidence",
    "outcome": "outcome", "outcomes": "outcome", "successcriteria": "outcome",
    "desiredoutcome": "outcome",
    "measures": "measures", "performancemeasures": "measures", "milestones": "measures",
    "keytargets": "measures", "performanceindicator": "measures",
    "measuresofsuccess": "measures", "performancemeasuresandmilestones": "measures",
    "successmeasures": "measures", "measureofsuccess": "measures", "kpi": "measures",
    "kpis": "measures", "keyperformanceindicators": "measures",
    "theme": "theme", "workstream": "theme", "area": "theme",
    "source": "source", "ofstedrecommendation": "source", "finding": "source",
    "recommendation": "source", "sourceofsted": "source",
    "ratingchange": "ignore", "change": "ignore", "direction": "ignore", "trend": "ignore",
    "progressdate": "progress_date", "updated": "progress_date",
    "lastupdated": "progress_date", "dateofupdate": "progress_date",
    "reviseddeadline": "revised_deadline", "newdeadline": "revised_deadline",
    "revisedtimescale": "revised_deadline", "reviseddate": "revised_deadline",
    "explanation": "explanation", "reasonfordelay": "explanation", "delayreason": "explanation",
}  # fmt: skip
PREFIXES = (
    ("strategiclead", "strategic_lead"), ("operationallead", "lead"), ("progress", "progress"),
    ("evidence", "evidence"), ("deadline", "deadline"), ("measuresof", "measures"),
    ("performancemeasure", "measures"), ("keytarget", "measures"),
    ("performanceindicator", "measures"), ("source", "source"), ("outcome", "outcome"),
    ("ratingchange", "ignore"), ("currentrag", "rag"),
)  # fmt: skip
FILL_DOWN = ("theme", "source", "strategic_lead", "lead", "rag")
_LEADING_REF = re.compile(r"\s*(\d{1,3}(?:\.\d{1,3})?[A-Za-z]?)\s*(?:[.):\-]\s*|\s+)(\S.*)", re.S)


# The first columns of `ragplan export` (exporting.COLUMNS starts with these).
EXPORT_HEADER = ("Theme", "Ref", "Action", "Rating", "Change", "Strategic lead")
GUARDED = ("=", "+", "-", "@", "\t", "\r")


def _unguard(text: str) -> str:
    """A cell `export` wrote as `'=SUM(...)` so that no spreadsheet runs it, as written."""
    return text[1:] if text.startswith("'") and text[1:2] and text[1] in GUARDED else text


def normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def field_of(header: str, mapping: dict[str, str]) -> str | None:
    key = normalise(header)
    if not key:
        return None
    if key in mapping:
        return mapping[key]
    if key in SYNONYMS:
        return SYNONYMS[key]
    if key.startswith("progress") and key.endswith("date"):
        return "progress_date"
    return next((f for prefix, f in PREFIXES if key.startswith(prefix)), None)


@dataclass(frozen=True, slots=True)
class Options:
    today: date
    start: date | None = None
    as_of: date | None = None
    default_rag: str | None = None
    header_row: int | None = None  # 1-based
    mapping: dict[str, str] = field(default_factory=dict)  # normalised header -> field


@dataclass(frozen=True, slots=True)
class Problem:
    where: str  # "E7", or "row 12"
    message: str
    hint: str
    is_blocking: bool  # the row cannot become an action


@dataclass(frozen=True, slots=True)
class Draft:
    ref: str
    row: int
    stem: str  # the file name without .yaml
    text: str
    values: tuple[tuple[str, str], ...] = ()  # the row's cleaned values, by field
    progress_on: str = ""  # the date its progress is dated


@dataclass(frozen=True, slots=True)
class Result:
    title: str
    header_row: int
    columns: tuple[tuple[str, str], ...]  # (header, field) of each column used
    drafts: tuple[Draft, ...]
    problems: tuple[Problem, ...]
    skipped_rows: tuple[int, ...]  # rows that could not become actions
    progress_date: str  # how updates were dated, in words
    ignored: tuple[tuple[str, str], ...] = ()  # (header, why) of each column not imported


def find_header(sheet: Sheet, options: Options) -> int:
    """The 0-based index of the header row: the first with a title column and two more."""
    if options.header_row is not None:
        return options.header_row - 1
    for index, row in enumerate(sheet.rows[:40]):
        fields = [field_of(c.text, options.mapping) for c in row if c.text]
        if "title" in fields and len({f for f in fields if f and f != "ignore"}) >= 3:
            return index
    raise LookupError("no header row")


def rating_key(text: str, plan: Plan) -> str | None:
    """The rating a cell names: by key or label, any case, or by its initial (`A`, `G`,
    `R`) when no other rating of the scale starts with that letter."""
    wanted = text.strip().lower()
    for level in plan.rag_scale:
        if wanted in (level.key.lower(), level.label.lower()):
            return level.key
    if len(wanted) == 1 and wanted.isalpha():
        matching = [level.key for level in plan.rag_scale if level.label.lower()[:1] == wanted]
        if len(matching) == 1:
            return matching[0]
    return None


def _progress_date(header: str, options: Options) -> tuple[str, str]:
    if options.as_of is not None:
        return options.as_of.isoformat(), f"dated {show(options.as_of)} (--as-of)"
    found = re.search(r"([A-Za-z]{3,9})[\s\-']*(\d{4}|\d{2})\b", header)
    if found:
        try:
            day = parse_day(spreadsheet_date(f"{found.group(1)} {found.group(2)}", None))
            if day > options.today >= day.replace(day=1):  # this month's, so far: today
                words = f"dated {show(options.today)} (today, in the header's {header!r})"
                return options.today.isoformat(), words
            return day.isoformat(), f"dated {show(day)} (from the header {header!r})"
        except DateError:
            pass
    return options.today.isoformat(), f"dated {show(options.today)} (today; --as-of sets it)"


def convert(sheet: Sheet, plan: Plan, options: Options) -> Result:
    header_index = find_header(sheet, options)
    header = sheet.rows[header_index] if header_index < len(sheet.rows) else ()
    columns: dict[int, str] = {}
    ignored: list[tuple[str, str]] = []  # (header, why it is not imported)
    for index, cell in enumerate(header):
        if not cell.text.strip():
            continue
        found = field_of(cell.text, options.mapping)
        if found and found != "ignore" and found not in columns.values():
            columns[index] = found
        elif found == "ignore":
            ignored.append((cell.text, "ignored, as asked or computed by ragplan"))
        elif found:
            ignored.append((cell.text, f"another column already gives {found}"))
        else:
            ignored.append(
                (cell.text, f"no field of that name: --map '{cell.text.strip()}=FIELD' keeps it")
            )
    progress_header = next((header[i].text for i, f in columns.items() if f == "progress"), "")
    progress_on, progress_words = _progress_date(progress_header, options)
    if "progress_date" in columns.values():
        progress_words = f"dated by its own date column, else {progress_words}"
    legend = tuple(w.lower() for level in plan.rag_scale for w in (level.key, level.label))
    title = next(
        (
            c.text.strip()
            for row in sheet.rows[:header_index]
            for c in row
            if len(c.text.strip()) > 3 and not _is_legend(c.text, legend)
        ),
        sheet.name,
    ).splitlines()[0]
    problems: list[Problem] = [
        Problem(
            address,
            f"{length:,} characters, cut to {MAX_CELL:,} (Excel's most for a cell)",
            "shorten it, or put the full text in a document and link it as evidence",
            False,
        )
        for address, length in sheet.clipped
    ]
    drafts: list[Draft] = []
    skipped: list[int] = []
    used_refs: dict[str, int] = {}
    above: dict[str, str] = {}
    # a ragplan export has no merged cells: a blank there means blank, never "as above"
    is_export = tuple(c.text for c in header[: len(EXPORT_HEADER)]) == EXPORT_HEADER
    for row in sheet.rows[header_index + 1 :]:
        cells = {f: row[i] for i, f in columns.items() if i < len(row)}
        if not any(c.text for c in row):
            continue
        number = int(re.sub(r"\D", "", row[0].address))
        values = {f: _unguard(c.text).strip() for f, c in cells.items()}
        if not values.get("title") and not values.get("ref"):
            continue  # a sub-heading or a note between actions
        if (
            sum(
                1
                for i, c in enumerate(row)
                if i < len(header) and c.text and c.text == header[i].text
            )
            >= 3
        ):
            continue  # the header again, as a printed tracker repeats it on each page
        if not is_export:
            _fill_down(values, above, cells)
        row_problems = _row(values, cells, plan, options, number, used_refs)
        problems += row_problems
        if any(p.is_blocking for p in row_problems):
            skipped.append(number)
            continue
        on = progress_on
        if values.get("progress_date"):
            try:
                on = spreadsheet_date(values["progress_date"], None, allow_ongoing=False)
            except DateError:
                problems.append(
                    Problem(
                        f'{cells["progress_date"].address} "{values["progress_date"][:40]}"',
                        "not a date",
                        f"the progress is dated {show(parse_day(progress_on))} instead",
                        False,
                    )
                )
            on = parse_day(on).isoformat()  # a month means its last day
        drafts.append(_draft(values, number, on))
    return Result(
        title,
        header_index + 1,
        tuple((header[i].text, f) for i, f in sorted(columns.items())),
        tuple(drafts),
        tuple(problems),
        tuple(skipped),
        progress_words,
        tuple(ignored),
    )


def _is_legend(text: str, ratings: tuple[str, ...]) -> bool:
    """`Red- The project requires remedial action`: a legend line above the table."""
    found = re.match(r"\s*([A-Za-z]+)\s*[-:–=]", text)
    return found is not None and found.group(1).lower() in ratings


def _fill_down(values: dict[str, str], above: dict[str, str], cells: dict[str, Cell]) -> None:
    """Merged runs: a blank takes the value above, within rows sharing theme and source."""
    if not values.get("theme") and above.get("theme"):
        values["theme"] = above["theme"]
    same_theme = (values.get("theme") or "") == above.get("theme", "")
    if not values.get("source") and same_theme and above.get("source"):
        values["source"] = above["source"]
    same_run = same_theme and (values.get("source") or "") == above.get("source", "")
    for name in ("strategic_lead", "lead", "rag"):
        fill = cells[name].fill if name == "rag" and name in cells else None
        if not values.get(name) and fill is None and same_run and above.get(name):
            values[name] = above[name]
        elif not values.get(name) and fill is not None:
            values[name] = fill
    above.clear()
    above.update({k: v for k, v in values.items() if k in FILL_DOWN and v})


def _row(
    values: dict[str, str],
    cells: dict[str, Cell],
    plan: Plan,
    options: Options,
    number: int,
    used: dict[str, int],
) -> list[Problem]:
    problems: list[Problem] = []

    def where(name: str) -> str:
        if name == "ref" and "ref" not in cells and "title" in cells:
            return cells["title"].address  # the ref was split from the action's text
        return cells[name].address if name in cells else f"row {number}"

    def bad(name: str, message: str, hint: str, blocking: bool) -> None:
        text = cells[name].text.strip() if name in cells else values.get(name, "")
        if name == "ref" and "ref" not in cells and "title" in cells:
            text = cells["title"].text.strip()
        shown = f' "{text[:40]}"' if text else ""
        problems.append(Problem(f"{where(name)}{shown}", message, hint, blocking))

    if not values.get("ref") and values.get("title"):
        split = _LEADING_REF.match(values["title"])
        if split:
            values["ref"], values["title"] = split.group(1), split.group(2).strip()
    ref = values.get("ref", "")
    if ref:
        ref = values["ref"] = ref.strip().rstrip(".):-").strip() or ref  # "19." is ref 19
        problem = name_problem(ref)
        if problem:
            bad("ref", problem, "shorten the ref to a code such as 3b", True)
        elif ref in used:
            used[ref] += 1
            values["ref"] = f"{ref}-{used[ref]}"
            bad("ref", f"ref {ref} is used again, so this one is {values['ref']}",
                "give each action its own ref in the spreadsheet", False)  # fmt: skip
        else:
            used[ref] = 1
    if not values.get("rag") and options.default_rag:
        values["rag"] = options.default_rag
    if values.get("rag"):
        key = rating_key(values["rag"], plan)
        if key is None:
            names = ", ".join(level.label for level in plan.rag_scale)
            bad("rag", "not a rating of this plan", f"use one of {names}, or --default-rag", True)
            values["rag"] = ""
        else:
            values["rag"] = key
    for name in ("deadline", "start", "revised_deadline"):
        if values.get(name):
            try:
                values[name] = spreadsheet_date(values[name], options.start or plan.start,
                                                allow_ongoing=name == "deadline")  # fmt: skip
                if name == "revised_deadline":  # a month means its last day
                    values[name] = parse_day(values[name]).isoformat()
            except DateError:
                if " ".join(values[name].split()).lower() in STATUS_WORDS:
                    message = "a status, not a date"
                    hint = "put the date it was due in this cell, and the status in the rating"
                else:
                    message = "not a date"
                    hint = "write a date such as Mar-15, 31/03/2015 or Q3 2016/17"
                    hint += ", or ongoing" if name == "deadline" else ""
                bad(name, message, hint, name == "deadline")
                values[name] = ""
    for name in REQUIRED:
        if name in values and values[name] == "" and cells.get(name) and cells[name].text:
            continue  # its cell was reported above
        if not values.get(name):
            hint = "fill it in, use --default-rag" if name == "rag" else "fill it in"
            problems.append(
                Problem(
                    f"row {number}",
                    f"no {name.replace('_', ' ')}"
                    + (f" (cell {cells[name].address} is blank)" if name in cells else ""),
                    f"{hint}, or --skip-incomplete to import the other rows",
                    True,
                )
            )
    return problems


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t"))


def _draft(values: dict[str, str], row: int, progress_on: str) -> Draft:
    updates: tuple[tuple[tuple[str, str, bool], ...], ...] = ()
    if values.get("progress"):
        update = [("date", progress_on, True), ("note", values["progress"], False)]
        if values.get("explanation"):
            update.append(("explanation", values["explanation"], False))
        if values.get("revised_deadline"):
            update.append(("revised_deadline", values["revised_deadline"], True))
        updates = (tuple(update),)
    fields: list[tuple[str, yamlout.Value | None, bool]] = [
        ("ref", values["ref"], False),
        ("title", values["title"], False),
        ("theme", values.get("theme") or None, False),
        ("source", values.get("source") or None, False),
        ("lead", values["lead"], False),
        ("strategic_lead", values.get("strategic_lead") or None, False),
        ("start", values.get("start") or None, True),
        ("deadline", values["deadline"], True),
        ("rag", values["rag"], False),
        ("outcome", values.get("outcome") or None, False),
        ("measures", _lines(values.get("measures", "")) or None, False),
        ("evidence", _lines(values.get("evidence", "")) or None, False),
        ("updates", updates or None, False),
    ]
    return Draft(
        values["ref"],
        row,
        file_stem(values["ref"]),
        yamlout.document(fields),
        tuple(sorted(values.items())),
        progress_on,
    )


def plan_text(title: str, start: date | None, drafts: tuple[Draft, ...] = ()) -> str:
    """A plan.yaml for a plan made by import: with the themes and people its rows name,
    so that a later misspelling (`Vince Clark` for `Vince Clarke`) is caught."""
    themes: list[str] = []
    people: list[str] = []
    for draft in drafts:
        values = dict(draft.values)
        if values.get("theme") and values["theme"] not in themes:
            themes.append(values["theme"])
        for name in (values.get("lead"), values.get("strategic_lead")):
            if name and name not in people:
                people.append(name)
    fields: list[tuple[str, yamlout.Value | None, bool]] = [
        ("title", title, False),
        ("start", None if start is None else start.isoformat(), True),
        ("themes", tuple(themes) or None, False),
        ("people", tuple(sorted(people)) or None, False),
    ]
    return yamlout.document(fields)


def similar_names(drafts: tuple[Draft, ...]) -> list[Problem]:
    """Names of people that differ by a letter or two: most likely one person spelled
    two ways, which `people:` would otherwise take as two."""
    import difflib  # here: only an import needs it

    names = sorted(
        {
            value
            for draft in drafts
            for key, value in draft.values
            if key in ("lead", "strategic_lead") and value
        }
    )
    found = []
    for at, name in enumerate(names):
        for other in names[at + 1 :]:
            if difflib.SequenceMatcher(None, name.lower(), other.lower()).ratio() >= 0.9:
                found.append(
                    Problem(
                        "people",
                        f"{name!r} and {other!r} look like one person spelled two ways",
                        "use one spelling in the sheet (plan.yaml lists both as written)",
                        False,
                    )
                )
    return found


@dataclass(frozen=True, slots=True)
class Revision:
    """What a re-imported row changes in an existing action (`import --update`)."""

    ref: str
    row: int
    changes: tuple[tuple[str, str, str], ...]  # (what, was, now), for the report
    note: str
    on: str
    rag: str | None
    revised_deadline: str | None
    explanation: str | None
    ignored: tuple[str, ...]  # fields that differ but an update cannot change


def revise(draft: Draft, status: ActionStatus, plan: Plan, source: str, on: str) -> Revision | None:
    """The update that brings an action in line with its edited row, or None when the row
    says nothing new. Ratings, progress and revised deadlines become an update; other
    fields that differ are listed, never rewritten (edit the file for those)."""
    values = dict(draft.values)
    action = status.action
    changes: list[tuple[str, str, str]] = []
    rag = values.get("rag") if values.get("rag") and values["rag"] != action.rag else None
    if rag is not None:
        changes.append(("rating", plan.level(action.rag).label, plan.level(rag).label))
    latest = (action.updates[-1].note or "").strip() if action.updates else ""
    progress = values.get("progress", "").strip()
    new_note = progress if progress and progress != latest else None
    if new_note is not None:
        changes.append(("progress", latest, progress))
    was = status.revised_deadline.isoformat() if status.revised_deadline else ""
    revised = values.get("revised_deadline") or None
    if revised is not None and revised == was:
        revised = None
    if revised is not None:
        changes.append(("revised deadline", was, revised))
    ignored = tuple(
        name
        for name, key, now in (
            ("action", "title", action.title),
            ("lead", "lead", ", ".join(action.leads)),
            ("deadline", "deadline", action.deadline.text),
        )
        if values.get(key) and values[key] != now
    )
    if not changes and not ignored:
        return None
    what = ", ".join(
        f"rating {old} -> {new}" if name == "rating" else f"{name} {new}"
        for name, old, new in changes
        if name != "progress"
    )
    note = new_note or (f"{what[:1].upper()}{what[1:]} (from {source})" if what else "")
    return Revision(
        action.ref,
        draft.row,
        tuple(changes),
        note,
        draft.progress_on if new_note is not None else on,  # the row's date is for its progress
        rag,
        revised,
        values.get("explanation") or None,
        ignored,
    )


# --- a risk register sheet (SPEC 8) -------------------------------------------------------

RISK_SYNONYMS = {
    "id": "id", "riskid": "id", "ref": "id", "no": "id", "riskno": "id",
    "category": "category", "riskcategory": "category",
    "statusdate": "status", "status": "status", "statusanddate": "status",
    "riskdescription": "title", "description": "title", "risk": "title",
    "existingcontrols": "controls", "controls": "controls",
    "l": "likelihood", "likelihood": "likelihood", "i": "impact", "impact": "impact",
    "1": "impact",  # a scanned 'I' often reads as '1'
    "riskscore": "score", "score": "score", "lxi": "score",
    "responseactions": "responses", "responses": "responses", "actions": "responses",
    "outcome": "outcome", "updated": "updated", "lastupdated": "updated",
    "riskowner": "owner", "owner": "owner",
}  # fmt: skip
_STATUS = re.compile(r"\s*(open|closed)\b[\s,:\-]*(.*)", re.I | re.S)
_REFS = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3})*[a-z]?(?![\w.])", re.I)


def _response_refs(text: str, refs: Collection[str]) -> tuple[str, ...]:
    """The refs of the plan's actions a register's response cell names: `3a, 3c`,
    `8.1, 8.2`, `actions 8.1 and 9`; each once, in the order written."""
    found: list[str] = []
    for word in _REFS.findall(text):
        match = next((ref for ref in refs if ref.lower() == word.lower()), None)
        if match is not None and match not in found:
            found.append(match)
    return tuple(found)


def risk_header(sheet: Sheet) -> int | None:
    """The row of a risk register's header: a description, L and I, and two more."""
    for index, row in enumerate(sheet.rows[:40]):
        found = {RISK_SYNONYMS.get(normalise(c.text)) for c in row if c.text}
        if {"title", "likelihood", "impact"} <= found and len(found - {None}) >= 5:
            return index
    return None


def convert_risks(sheet: Sheet, header_index: int, plan: Plan) -> tuple[list[Draft], list[Problem]]:
    """Risk files from a register sheet, and every cell that could not be used."""
    header = sheet.rows[header_index]
    columns: dict[int, str] = {}
    for index, cell in enumerate(header):
        name = RISK_SYNONYMS.get(normalise(cell.text))
        if name and name not in columns.values():
            columns[index] = name
    refs = {a.ref for a in plan.actions}
    drafts, problems = [], []
    for row in sheet.rows[header_index + 1 :]:
        cells = {f: row[i] for i, f in columns.items() if i < len(row)}
        values = {f: c.text.strip() for f, c in cells.items()}
        if not values.get("title") or values.get("id", "").lower() in ("id", ""):
            continue  # a page's repeated header, a note, or a continuation line
        number = int(re.sub(r"\D", "", row[0].address))
        row_problems: list[Problem] = []
        grades = []
        for name in ("likelihood", "impact"):
            text = values.get(name, "")
            if text in ("1", "2", "3", "4", "5"):
                grades.append(int(text))
            else:
                where = cells[name].address if name in cells else f"row {number}"
                row_problems.append(
                    Problem(
                        f'{where} "{text[:20]}"',
                        f"{name} is not a whole number from 1 to 5",
                        "write the likelihood and impact as 1 to 5",
                        True,
                    )
                )
        if (
            len(grades) == 2
            and values.get("score")
            and values["score"] != str(grades[0] * grades[1])
        ):
            row_problems.append(
                Problem(
                    f'{cells["score"].address} "{values["score"][:20]}"',
                    f"the score is L x I = {grades[0] * grades[1]}, not {values['score']}",
                    "the risk file keeps L and I; its score is computed",
                    False,
                )
            )
        status = _STATUS.match(values.get("status", ""))
        opened = closed = None
        if status:
            when = re.sub(r"(\d)\s+(st|nd|rd|th)\b", r"\1\2", status.group(2).strip())
            try:
                day = spreadsheet_date(when, None, allow_ongoing=False)
                closed = day if status.group(1).lower() == "closed" else None
                opened = day if closed is None else None
            except DateError:
                pass
        if opened is None and closed is None:
            where = cells["status"].address if "status" in cells else f"row {number}"
            row_problems.append(
                Problem(
                    f"{where}",
                    "no date the risk was opened",
                    "write e.g. Open, 5 July 2016 in Status & Date",
                    True,
                )
            )
        if not values.get("owner"):
            row_problems.append(Problem(f"row {number}", "no risk owner", "fill it in", True))
        problems += row_problems
        if any(p.is_blocking for p in row_problems):
            continue
        rid = values["id"] if values["id"][:1].isalpha() else f"R{values['id']}"
        responses = _response_refs(values.get("responses", ""), refs)
        controls = values.get("controls", "")
        if values.get("responses") and not responses:
            controls = f"{controls}\nResponse: {values['responses']}".strip()
        fields: list[tuple[str, yamlout.Value | None, bool]] = [
            ("id", rid, False),
            ("title", values["title"], False),
            ("category", values.get("category") or None, False),
            ("owner", values["owner"], False),
            ("opened", opened or closed, True),
            ("likelihood", grades[0], False),
            ("impact", grades[1], False),
            ("controls", controls or None, False),
            ("responses", responses or None, False),
            ("outcome", values.get("outcome") or None, False),
        ]
        text = yamlout.document(fields)
        text = text.replace(f'likelihood: "{grades[0]}"', f"likelihood: {grades[0]}")
        text = text.replace(f'impact: "{grades[1]}"', f"impact: {grades[1]}")
        updated = values.get("updated", "")
        if updated:  # the register's last review: without it every risk is due for one
            try:
                reviewed = parse_day(spreadsheet_date(updated, None, allow_ongoing=False))
                text += (
                    f"reviews:\n  - date: {reviewed.isoformat()}\n"
                    "    note: Reviewed (the register's Updated date)\n"
                )
            except DateError:
                where = cells["updated"].address if "updated" in cells else f"row {number}"
                problems.append(
                    Problem(
                        f'{where} "{updated[:40]}"', "not a date", "the risk has no review", False
                    )
                )
        if closed is not None:
            text += f"closed: {{date: {closed}, reason: Closed in the register}}\n"
        drafts.append(Draft(rid, number, file_stem(rid), text))
    return drafts, problems
