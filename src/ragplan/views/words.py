"""The words every report uses: why an action needs attention, groups, safe text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date

from ..core.dates import show
from ..core.model import Arrow
from ..core.status import ActionStatus, PlanStatus

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text from a file made safe for a terminal: control characters become visible marks.

    Escape sequences in a title must not clear the screen, recolour it or forge a link,
    and bidirectional overrides must not reorder what a reader sees.
    """
    if text.isascii() and text.isprintable():  # the common case: nothing to mark
        return text
    return _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def one_line(text: str, width: int | None = None) -> str:
    if text.isascii() and text.isprintable() and "  " not in text and text.strip(" ") == text:
        flat = text  # the common case: one line already, nothing to mark
    else:
        flat = " ".join(clean(text).split())
    if width is not None and len(flat) > width:
        return flat[: width - 1].rstrip() + "…"
    return flat


def reasons(status: ActionStatus, today: date) -> list[str]:
    """Why an action needs attention, in a board's words; the deadline stands beside it."""
    found: list[str] = []
    due = status.action.deadline.due
    if status.is_overdue and due is not None:
        days = _days((today - due).days)
        found.append(
            f"overdue {days}, " + ("explained" if status.is_explained else "no explanation")
        )
    if status.is_due_soon and due is not None:
        left = (due - today).days
        found.append("due today" if left == 0 else f"due in {_days(left)}")
    if status.is_stale:
        if status.last_activity is None:
            found.append("stale: never updated")
        else:
            found.append(f"stale: no update for {_days((today - status.last_activity).days)}")
    change = status.change
    if change is not None and change.arrow is Arrow.DOWN:
        found.append(f"rating fell from {change.before}")
    return found


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def arrow_text(status: ActionStatus) -> str:
    return "" if status.change is None else status.change.arrow.value


def deadline_text(status: ActionStatus) -> str:
    action = status.action
    due = action.deadline.due
    text = "ongoing" if due is None else show(due)
    if status.revised_deadline is not None:
        times = "once" if status.revisions == 1 else f"{status.revisions} times"
        text += f" (revised to {show(status.revised_deadline)}, {times})"
    return text


def groups(
    plan_status: PlanStatus, by: str, only_attention: bool = True
) -> Iterator[tuple[str, list[ActionStatus]]]:
    """Actions grouped by theme (plan order) or by lead (name order)."""
    chosen = [s for s in plan_status.actions if s.needs_attention or not only_attention]
    if by == "lead":
        by_lead: dict[str, list[ActionStatus]] = {}
        for status in chosen:
            for lead in status.action.leads:
                by_lead.setdefault(lead, []).append(status)
        for lead in sorted(by_lead, key=lambda name: unicodedata.normalize("NFKD", name).lower()):
            yield lead, by_lead[lead]
        return
    by_theme: dict[str, list[ActionStatus]] = {}
    for status in chosen:
        by_theme.setdefault(status.action.theme or "No theme", []).append(status)
    yield from by_theme.items()


def baseline_text(plan_status: PlanStatus) -> str:
    baseline = plan_status.baseline
    if baseline is None:
        return "no baseline snapshot before this date, so no rating changes are shown"
    label = f", {baseline.label}" if baseline.label else ""
    return f"rating changes since snapshot {baseline.name} ({show(baseline.on)}{label})"


def change_summary(plan_status: PlanStatus) -> str:
    tally = {arrow: 0 for arrow in Arrow}
    for change in plan_status.changes:
        tally[change.arrow] += 1
    return (
        f"↑ {tally[Arrow.UP]} better · ↓ {tally[Arrow.DOWN]} worse · "
        f"↔ {tally[Arrow.SAME]} unchanged · {tally[Arrow.NEW]} new"
    )
