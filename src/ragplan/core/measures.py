"""SPEC 9 as pure functions: a counted measure's trajectory and state on a day.

The trajectory is the straight line from the baseline to the target. In order:
- `met`: a reading (dated by `today`) reaches the target;
- `missed`: the target date has passed without that;
- `no data`: no reading yet;
- from the latest reading: `on track` at or beyond the trajectory at its date,
  `behind` short of it but better than the baseline, `off track` no better than the
  baseline.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from .model import Action, Measure, Point


class MeasureState(enum.Enum):
    MET = "met"
    ON_TRACK = "on track"
    BEHIND = "behind"
    OFF_TRACK = "off track"
    MISSED = "missed"
    NO_DATA = "no data"


# States a board needs to hear about (rules, the terminal's attention list).
BAD = frozenset((MeasureState.OFF_TRACK, MeasureState.MISSED))


@dataclass(frozen=True, slots=True)
class MeasureStatus:
    """Where a counted measure stands on a date."""

    action: Action
    measure: Measure
    state: MeasureState
    latest: Point | None  # the latest reading dated by today
    expected: float | None  # the trajectory's value at the latest reading's date
    last_reading: date  # the latest reading's date, else the baseline's (for staleness)


def trajectory(measure: Measure, on: date) -> float:
    """Where the straight line from baseline to target stands on a day (held flat
    before the baseline and after the target)."""
    start, end = measure.baseline, measure.target
    if end.on <= start.on or on >= end.on:
        return end.value if on >= start.on else start.value
    if on <= start.on:
        return start.value
    share = (on - start.on).days / (end.on - start.on).days
    return start.value + (end.value - start.value) * share


def _at_least(measure: Measure, value: float, mark: float) -> bool:
    """`value` is at or beyond `mark` in the measure's better direction."""
    return value >= mark if measure.higher_is_better else value <= mark


def assess_measure(action: Action, measure: Measure, today: date) -> MeasureStatus:
    readings = sorted((r for r in measure.readings if r.on <= today), key=lambda r: r.on)
    latest = readings[-1] if readings else None
    last = latest.on if latest else measure.baseline.on
    if any(_at_least(measure, r.value, measure.target.value) for r in readings):
        return MeasureStatus(action, measure, MeasureState.MET, latest, None, last)
    if today > measure.target.on:
        return MeasureStatus(action, measure, MeasureState.MISSED, latest, None, last)
    if latest is None:
        return MeasureStatus(action, measure, MeasureState.NO_DATA, None, None, last)
    expected = trajectory(measure, latest.on)
    if _at_least(measure, latest.value, expected):
        state = MeasureState.ON_TRACK
    elif latest.value != measure.baseline.value and _at_least(
        measure, latest.value, measure.baseline.value
    ):
        state = MeasureState.BEHIND
    else:
        state = MeasureState.OFF_TRACK
    return MeasureStatus(action, measure, state, latest, expected, last)


def assess_measures(actions: tuple[Action, ...], today: date) -> list[MeasureStatus]:
    """Every counted measure of these actions, in the actions' order."""
    return [assess_measure(a, m, today) for a in actions for m in a.counted]


def show_value(value: float | None, unit: str | None) -> str:
    """`79.5%`, `12 days`, `1200`: a value as a board reads it."""
    if value is None:
        return "none yet"
    number = f"{value:g}" if isinstance(value, float) else str(value)
    if not unit:
        return number
    return f"{number}{unit}" if unit in ("%", "‰") else f"{number} {unit}"


def is_stale(status: MeasureStatus, today: date, reading_days: int) -> bool:
    """No reading for longer than `reading_days` (a met measure needs no more)."""
    return (
        status.state is not MeasureState.MET and (today - status.last_reading).days > reading_days
    )


def needs_attention(status: MeasureStatus, today: date, reading_days: int) -> bool:
    return status.state in BAD or is_stale(status, today, reading_days)


def state_words(status: MeasureStatus, today: date, reading_days: int) -> str:
    """`off track`, or `behind; no reading for 107 days`."""
    if is_stale(status, today, reading_days):
        return f"{status.state.value}; no reading for {(today - status.last_reading).days} days"
    return status.state.value


def describe(status: MeasureStatus, today: date, reading_days: int) -> str:
    """`off track: 71.5% on 30 Sep 2015; target 90% by 31 Mar 2016; no reading for 107
    days`: a measure's state in a board's words."""
    from .dates import show

    m = status.measure
    parts = [status.state.value]
    if status.latest is not None:
        parts[0] += f": {show_value(status.latest.value, m.unit)} on {show(status.latest.on)}"
    parts.append(f"target {show_value(m.target.value, m.unit)} by {show(m.target.on)}")
    if is_stale(status, today, reading_days):
        parts.append(f"no reading for {(today - status.last_reading).days} days")
    return "; ".join(parts)
