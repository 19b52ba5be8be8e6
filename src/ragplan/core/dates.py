"""Strict dates from plan files, and the whole-day arithmetic of SPEC 3."""

from __future__ import annotations

import functools
import re
from datetime import date

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{2})\Z", re.ASCII)


class DateError(ValueError):
    """A date written in a form a plan file does not accept; str() says what to write."""


def _days_in(year: int, month: int) -> int:
    import calendar  # here: a month's length is rarely needed, and calendar loads locale

    return calendar.monthrange(year, month)[1]


def month_end(year: int, month: int) -> date:
    """The last day of that month."""
    return date(year, month, _days_in(year, month))


def parse_day(text: str, allow_month: bool = True) -> date:
    """A date from `YYYY-MM-DD`, or `YYYY-MM` meaning the month's last day."""
    # Dates are ASCII digits only (re.ASCII below): `٢٠٩٩-١٢` or `２０１５-０２` would
    # read as a year a reviewer does not see.
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:  # the common case, at C speed; anything odd falls through to the checks below
            return date.fromisoformat(text)
        except ValueError:
            pass
    match = _DAY.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if year < 1:
            raise DateError(f"{text!r} has no year 0: write YYYY-MM-DD, e.g. 2015-02-28")
        if not 1 <= month <= 12:
            raise DateError(f"{text!r} has no month {month}: write YYYY-MM-DD, e.g. 2015-02-28")
        last = _days_in(year, month)
        if not 1 <= day <= last:
            name = MONTH_NAMES[month - 1]
            raise DateError(f"{text!r} is not a real date: {name} {year} has {last} days")
        return date(year, month, day)
    match = _MONTH.match(text)
    if match and allow_month:
        year, month = (int(part) for part in match.groups())
        if year < 1:
            raise DateError(f"{text!r} has no year 0: write YYYY-MM, e.g. 2015-02")
        if not 1 <= month <= 12:
            raise DateError(f"{text!r} has no month {month}: write YYYY-MM, e.g. 2015-02")
        return month_end(year, month)
    forms = (
        "YYYY-MM-DD (e.g. 2015-02-28) or YYYY-MM (e.g. 2015-02)"
        if allow_month
        else ("YYYY-MM-DD (e.g. 2015-02-28)")
    )
    raise DateError(f"{text!r} is not a date: write {forms}")


def parse_today(text: str) -> date:
    """A `--today` value: strictly YYYY-MM-DD."""
    return parse_day(text, allow_month=False)


# English month names, whatever the machine's locale (calendar's follow LC_TIME).
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)


@functools.lru_cache(maxsize=4096)  # a plan's findings show the same dates again and again
def show(day: date) -> str:
    """A date as board papers write it: `30 Apr 2025`."""
    return f"{day.day} {_ABBREVIATIONS[day.month - 1]} {day.year}"


# --- Spreadsheet dates (SPEC 3.1, import only) ------------------------------------------

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        MONTH_NAMES[number - 1].lower(),
        _ABBREVIATIONS[number - 1].lower(),
    )
}
_MONTHS["sept"] = 9
_MONTH_YEAR = re.compile(r"([a-z]+)\.?[\s\-/']*(\d{2}|\d{4})\Z", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})[./\-](\d{1,2})[./\-](\d{2}|\d{4})\Z", re.ASCII)
_ISO = re.compile(r"\d{4}-\d{2}(?:-\d{2})?\Z", re.ASCII)
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?[\s\-,]+(\d{4})\Z", re.ASCII
)
_MONTHS_AHEAD = re.compile(r"(\d{1,2})\s*months?\Z", re.ASCII)
# `Q3 2016/17`, `Q3 2016-17`, `Q4 16/17`: a quarter of the financial year that starts then
_QUARTER = re.compile(r"q([1-4])\s*(?:of\s*)?(\d{4}|\d{2})\s*[/\-]\s*\d{2,4}\Z", re.ASCII)
STATUS_WORDS = frozenset(("completed", "complete", "done", "achieved", "closed"))
_ONGOING = re.compile(r"on\s*-?\s*going\Z", re.ASCII)


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it has fewer)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, _days_in(year, month)))


def spreadsheet_date(text: str, start: date | None, allow_ongoing: bool = True) -> str:
    """A date as a tracker spells it -> the plan-file spelling (`YYYY-MM-DD`, `YYYY-MM`,
    `ongoing`); DateError saying why it is not one. `Feb-15` is February 2015, day-first
    numbers are UK dates, `3 months` and `Immediately` count from `start`."""
    raw = " ".join(text.split())
    lowered = raw.lower()
    if not lowered:
        raise DateError("the cell is blank")
    if _ISO.match(lowered):
        parse_day(lowered)
        return lowered
    if _ONGOING.match(lowered):
        if allow_ongoing:
            return "ongoing"
        raise DateError(f"{raw!r} is not a date")
    found = _MONTH_YEAR.match(lowered)
    if found and found.group(1) in _MONTHS:
        year = _year(found.group(2))
        return f"{year:04d}-{_MONTHS[found.group(1)]:02d}"
    found = _DAY_MONTH_YEAR.match(lowered)
    if found and found.group(2) in _MONTHS:
        try:
            written = date(int(found.group(3)), _MONTHS[found.group(2)], int(found.group(1)))
        except ValueError:
            raise DateError(f"{raw!r} is not a real date") from None
        return written.isoformat()
    found = _DAY_FIRST.match(lowered)
    if found:
        day, month, year = int(found.group(1)), int(found.group(2)), _year(found.group(3))
        try:
            return parse_day(f"{year:04d}-{month:02d}-{day:02d}").isoformat()
        except DateError:
            raise DateError(f"{raw!r} is not a real date (read day first, as in the UK)") from None
    found = _QUARTER.match(lowered)
    if found:  # a quarter of the UK financial year, April to March: its last month
        quarter, year = int(found.group(1)), _year(found.group(2))
        month = (3 + 3 * quarter - 1) % 12 + 1
        return f"{year + (1 if quarter == 4 else 0):04d}-{month:02d}"
    if lowered in STATUS_WORDS:
        raise DateError(f"{raw!r} is a status, not a date")
    found = _MONTHS_AHEAD.match(lowered)
    if found or lowered in ("immediately", "immediate"):
        if start is None:
            raise DateError(
                f"{raw!r} counts from the plan's start, and there is none: "
                "give --start YYYY-MM-DD (or `start:` in plan.yaml)"
            )
        months = int(found.group(1)) if found else 0
        return add_months(start, months).isoformat()
    raise DateError(f"{raw!r} is not a date")
