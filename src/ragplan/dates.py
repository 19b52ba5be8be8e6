"""Strict dates from plan files, and the whole-day arithmetic of SPEC 3."""

from __future__ import annotations

import calendar
import re
from datetime import date

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")


class DateError(ValueError):
    """A date written in a form a plan file does not accept; str() says what to write."""


def month_end(year: int, month: int) -> date:
    """The last day of that month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_day(text: str, allow_month: bool = True) -> date:
    """A date from `YYYY-MM-DD`, or `YYYY-MM` meaning the month's last day."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
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
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = calendar.month_name[month]
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


def show(day: date) -> str:
    """A date as board papers write it: `30 Apr 2025`."""
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"
