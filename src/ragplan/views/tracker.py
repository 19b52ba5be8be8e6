"""Plan statuses -> the tracker a board reads, as ready values for the templates (SPEC 5).

Everything a template shows is prepared here: words, dates as board papers write them,
counts, chart geometry. Templates do no arithmetic and no date handling. Text stays as
written; the HTML environment escapes it, and notes arrive as sanitised HTML.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.colours import level_colours, rating_colours
from ..core.dates import show
from ..core.measures import MeasureStatus, needs_attention, show_value, state_words
from ..core.model import Action, Arrow, Plan, RagLevel, Snapshot
from ..core.risks import RiskStatus, movement_words, response_ratings
from ..core.status import ActionStatus, PlanStatus, State, counts_as_explanation, theme_order
from .richtext import note_html, safe_href

CHART_HEIGHT = 160  # px of the tallest bar
CHART_BAR = 56
CHART_GAP = 44


@dataclass(frozen=True, slots=True)
class Rating:
    key: str
    label: str
    meaning: str
    is_complete: bool
    css: str  # a class name made from the position: r0, r1, ...
    background: str  # RRGGBB
    text: str  # RRGGBB, AA contrast on the background


@dataclass(frozen=True, slots=True)
class Count:
    rating: Rating
    n: int


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str | None  # None: shown as text (no safe address)


@dataclass(frozen=True, slots=True)
class Row:
    ref: str
    title: str
    rating: Rating
    arrow: str  # ↑ ↓ ↔, "new", or "" with no baseline
    arrow_words: str  # "up from Amber", for screen readers and greyscale print
    strategic_lead: str
    leads: str
    progress_date: str
    progress_note: str  # as written
    progress_html: str  # sanitised HTML of the note
    deadline: str
    revised_deadline: str
    revisions: int
    # "moved from 30 Nov 2014 since the board of 12 Dec 2014, explained", or ""
    deadline_moved: str
    evidence: tuple[Link, ...]
    outcome: str
    flags: tuple[str, ...]  # "Overdue since 30 Apr 2025, not explained", "Stale: ..."
    withdrawn: str  # "Withdrawn 1 Feb 2015: Duplicate of 15." or ""


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    rollup: str  # "12 actions: 3 Red, 5 Amber, 4 Green"
    counts: tuple[Count, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Segment:
    rating: Rating
    n: int
    y: int
    height: int


@dataclass(frozen=True, slots=True)
class Bar:
    board: str  # the snapshot's name
    label: str  # "12 Dec 2014"
    title: str  # the snapshot's label, or its name
    x: int
    middle: int  # x of the bar's centre, for its labels
    total: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bar_width: int
    label_y: int  # where each bar's date goes
    total_y: int  # where each bar's count goes
    bars: tuple[Bar, ...]
    ratings: tuple[Rating, ...]
    description: str  # the text alternative


@dataclass(frozen=True, slots=True)
class Dot:
    x: int
    y: int
    text: str  # "30 Jun 2015: 75%"


@dataclass(frozen=True, slots=True)
class Sparkline:
    """A small chart of one counted measure: the trajectory from baseline to target
    (a line), the readings (dots joined by a line) and the target (a square)."""

    width: int
    height: int
    trajectory: tuple[Dot, Dot]  # baseline, target
    marker: tuple[int, int]  # the corner of the target's square
    readings: tuple[Dot, ...]
    path: str  # the readings' polyline points: "x,y x,y ..."
    description: str  # the text alternative


@dataclass(frozen=True, slots=True)
class MeasureRow:
    ref: str
    name: str
    id: str
    latest: str  # "79.5% on 30 Sep 2015", or "none yet"
    target: str  # "90% by 31 Mar 2016"
    baseline: str  # "72% on 31 Mar 2015"
    state: str  # "on track", "behind", ...
    needs_attention: bool
    chart: Sparkline


@dataclass(frozen=True, slots=True)
class HeatSquare:
    count: int
    level: str  # the level's label
    words: str  # "2 High"
    background: str
    text: str


@dataclass(frozen=True, slots=True)
class HeatRow:
    likelihood: int
    cells: tuple[HeatSquare, ...]  # impact 1 to 5


@dataclass(frozen=True, slots=True)
class RiskRow:
    id: str
    title: str
    score: str  # "4 x 5 = 20"
    level: str
    background: str
    text: str
    movement: str  # "↑ from 20", "new", ""
    owner: str
    last_review: str
    responses: str  # "3a (Red), 3b (Amber)"
    notes: tuple[str, ...]  # "review overdue", "target missed", "closed 10 Jan 2017"
    is_open: bool


@dataclass(frozen=True, slots=True)
class Summary:
    counts: tuple[Count, ...]
    total: int
    overdue_unexplained: int
    overdue_explained: int
    stale: int
    due_soon: int
    withdrawn: int


@dataclass(frozen=True, slots=True)
class PlanTracker:
    title: str
    organisation: str
    path: str
    report_date: str
    baseline: str  # "compared with Improvement Board, December 2014 (12 Dec 2014)", or
    # "no earlier board to compare with"
    legend: tuple[Rating, ...]
    summary: Summary
    themes: tuple[Theme, ...]
    withdrawn: tuple[Row, ...]
    chart: Chart | None
    measures: tuple[MeasureRow, ...]
    heat_map: tuple[HeatRow, ...]  # empty without risks
    risks: tuple[RiskRow, ...]


@dataclass(frozen=True, slots=True)
class Tracker:
    title: str
    report_date: str
    plans: tuple[PlanTracker, ...]
    generator: str


def build(statuses: list[PlanStatus], today: date, links_from: Path, version: str) -> Tracker:
    """The tracker of these plans; evidence links are made relative to `links_from` (the
    folder the document is written to)."""
    plans = tuple(_plan(status, links_from) for status in statuses)
    title = plans[0].title if len(plans) == 1 else "Improvement plans"
    return Tracker(title, show(today), plans, f"ragplan {version}")


def ratings_of(plan: Plan) -> tuple[Rating, ...]:
    return tuple(_rating(level, i) for i, level in enumerate(plan.rag_scale))


def _rating(level: RagLevel, position: int) -> Rating:
    background, text = rating_colours(level.key, position)
    return Rating(
        level.key, level.label, level.meaning, level.is_complete, f"r{position}", background, text
    )


def _counts(ratings: tuple[Rating, ...], keys: list[str]) -> tuple[Count, ...]:
    return tuple(Count(r, keys.count(r.key)) for r in ratings)


def _rollup(counts: tuple[Count, ...]) -> str:
    total = sum(c.n for c in counts)
    parts = [f"{c.n} {c.rating.label}" for c in counts if c.n]
    noun = "action" if total == 1 else "actions"
    return f"{total} {noun}" + (": " + ", ".join(parts) if parts else "")


def _plan(status: PlanStatus, links_from: Path) -> PlanTracker:
    plan = status.plan
    ratings = ratings_of(plan)
    by_key = {r.key: r for r in ratings}
    live = [s for s in status.actions if s.state is not State.WITHDRAWN]
    gone = [s for s in status.actions if s.state is State.WITHDRAWN]
    order = theme_order(plan, (s.action for s in live))
    themes = []
    for theme in sorted({s.action.theme for s in live}, key=lambda t: order[t]):
        rows = [s for s in live if s.action.theme == theme]
        counts = _counts(ratings, [s.action.rag for s in rows])
        themes.append(
            Theme(
                theme or "No theme",
                _rollup(counts),
                counts,
                tuple(
                    _row(s, plan, by_key, status.today, links_from, status.baseline) for s in rows
                ),
            )
        )
    baseline = status.baseline
    summary = Summary(
        _counts(ratings, [s.action.rag for s in live]),
        len(live),
        sum(1 for s in live if s.is_overdue and not s.is_explained),
        sum(1 for s in live if s.is_overdue and s.is_explained),
        sum(1 for s in live if s.is_stale),
        sum(1 for s in live if s.is_due_soon),
        len(gone),
    )
    return PlanTracker(
        title=plan.title,
        organisation=plan.organisation or "",
        path=str(plan.path),
        report_date=show(status.today),
        baseline=(
            f"compared with {baseline.label or baseline.name} ({show(baseline.on)})"
            if baseline
            else "no earlier board to compare with"
        ),
        legend=ratings,
        summary=summary,
        themes=tuple(themes),
        withdrawn=tuple(
            _row(s, plan, by_key, status.today, links_from, status.baseline) for s in gone
        ),
        chart=_chart(plan, ratings),
        measures=tuple(_measure_row(m, status.today, plan) for m in status.measures),
        heat_map=heat_rows(status) if plan.risks else (),
        risks=tuple(risk_row(r, plan) for r in status.risks),
    )


def heat_rows(status: PlanStatus) -> tuple[HeatRow, ...]:
    """The 5x5 heat map of the open risks, likelihood 5 first, in words and colours."""
    from ..core.risks import heat_map

    levels = status.plan.risk_levels
    rows = []
    for row in heat_map(list(status.risks), levels):
        squares = []
        for c in row:
            background, text = level_colours(levels.index(c.level), len(levels))
            squares.append(
                HeatSquare(c.count, c.level.label, f"{c.count} {c.level.label}", background, text)
            )
        rows.append(HeatRow(row[0].likelihood, tuple(squares)))
    return tuple(rows)


def risk_row(status: RiskStatus, plan: Plan) -> RiskRow:
    """One line of the register, as every view shows it."""
    risk = status.risk
    responses = ", ".join(f"{ref} ({label})" for ref, label in response_ratings(risk, plan))
    levels = plan.risk_levels
    background, text = level_colours(levels.index(status.level), len(levels))
    notes = []
    if risk.closed is not None:
        notes.append(f"closed {show(risk.closed[0])}: {risk.closed[1]}")
    if status.review_overdue:
        notes.append("review overdue")
    if status.target_missed:
        notes.append("target missed")
    return RiskRow(
        risk.id,
        risk.title,
        f"{risk.likelihood} x {risk.impact} = {risk.score}",
        status.level.label,
        background,
        text,
        movement_words(status),
        ", ".join(risk.owners),
        show(status.last_reviewed),
        responses or "none",
        tuple(notes),
        status.is_open,
    )


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 160, 48, 6


def _measure_row(status: MeasureStatus, today: date, plan: Plan) -> MeasureRow:
    m = status.measure
    days = plan.settings.measure_reading_days
    latest = status.latest
    return MeasureRow(
        ref=status.action.ref,
        name=m.name,
        id=m.id or "",
        latest=f"{show_value(latest.value, m.unit)} on {show(latest.on)}" if latest else "none yet",
        target=f"{show_value(m.target.value, m.unit)} by {show(m.target.on)}",
        baseline=f"{show_value(m.baseline.value, m.unit)} on {show(m.baseline.on)}",
        state=state_words(status, today, days),
        needs_attention=needs_attention(status, today, days),
        chart=_sparkline(status),
    )


def _sparkline(status: MeasureStatus) -> Sparkline:
    m = status.measure
    points = [m.baseline, m.target, *m.readings]
    first = min(p.on for p in points)
    last = max(p.on for p in points)
    low = min(p.value for p in points)
    high = max(p.value for p in points)
    span_days = max((last - first).days, 1)
    span = (high - low) or 1

    def dot(on: date, value: float, text: str) -> Dot:
        x = SPARK_PAD + round((on - first).days * (SPARK_WIDTH - 2 * SPARK_PAD) / span_days)
        y = SPARK_HEIGHT - SPARK_PAD - round((value - low) * (SPARK_HEIGHT - 2 * SPARK_PAD) / span)
        return Dot(x, y, text)

    readings = tuple(
        dot(r.on, r.value, f"{show(r.on)}: {show_value(r.value, m.unit)}")
        for r in sorted(m.readings, key=lambda r: r.on)
    )
    baseline = dot(
        m.baseline.on, m.baseline.value, f"baseline {show_value(m.baseline.value, m.unit)}"
    )
    target = dot(m.target.on, m.target.value, f"target {show_value(m.target.value, m.unit)}")
    said = "; ".join(d.text for d in readings) or "no readings yet"
    description = (
        f"{m.name}: baseline {show_value(m.baseline.value, m.unit)} on {show(m.baseline.on)}, "
        f"target {show_value(m.target.value, m.unit)} by {show(m.target.on)}; readings: {said}; "
        f"{status.state.value}"
    )
    return Sparkline(
        SPARK_WIDTH,
        SPARK_HEIGHT,
        (baseline, target),
        (target.x - 4, target.y - 4),
        readings,
        " ".join(f"{d.x},{d.y}" for d in readings),
        description,
    )


_ARROW_WORDS = {Arrow.UP: "up from", Arrow.DOWN: "down from", Arrow.SAME: "unchanged from"}


def _row(
    status: ActionStatus,
    plan: Plan,
    by_key: dict[str, Rating],
    today: date,
    links_from: Path,
    baseline: Snapshot | None = None,
) -> Row:
    action = status.action
    change = status.change
    arrow, words = "", "no earlier board"
    if change is not None:
        arrow = "" if change.arrow is Arrow.NEW else change.arrow.value
        before = by_key.get(change.before or "")
        words = (
            "new since the last board"
            if change.arrow is Arrow.NEW
            else f"{_ARROW_WORDS[change.arrow]} {before.label if before else change.before}"
        )
    latest = action.updates[-1] if action.updates else None
    note = (latest.note or "") if latest else ""
    due = action.deadline.due
    flags: list[str] = []
    if status.is_overdue and due is not None:
        explained = "explained" if status.is_explained else "not explained"
        flags.append(f"Overdue since {show(due)}, {explained}")
    if status.is_stale:
        last = status.last_activity
        flags.append(f"Stale: no update since {show(last)}" if last else "Stale: no update yet")
    if status.is_due_soon and due is not None:
        flags.append(f"Due soon: {show(due)}")
    withdrawn = ""
    if action.withdrawn is not None:
        withdrawn = f"Withdrawn {show(action.withdrawn.on)}: {action.withdrawn.reason}"
    return Row(
        ref=action.ref,
        title=action.title,
        rating=by_key[action.rag],
        arrow=arrow,
        arrow_words=words,
        strategic_lead=action.strategic_lead or "",
        leads=", ".join(action.leads),
        progress_date=show(latest.on) if latest else "",
        progress_note=note,
        progress_html=note_html(note) if note else "",
        deadline=action.deadline.text if due is None else show(due),
        revised_deadline=show(status.revised_deadline) if status.revised_deadline else "",
        revisions=status.revisions,
        deadline_moved=_moved(action, baseline, today),
        evidence=tuple(
            Link(e.description, _evidence_href(e.link, plan.path, links_from))
            for e in action.evidence
        ),
        outcome=action.outcome or "",
        flags=tuple(flags),
        withdrawn=withdrawn,
    )


def _moved(action: Action, baseline: Snapshot | None, today: date) -> str:
    """Whether the deadline differs from the one the baseline board was told, and whether
    an update since then explains it, in words."""
    if baseline is None:
        return ""
    was = dict(baseline.deadlines).get(action.ref)
    if was is None or was.due == action.deadline.due:
        return ""
    explained = any(
        baseline.on < u.on <= today and counts_as_explanation(u.explanation) for u in action.updates
    )
    before = was.text if was.due is None else show(was.due)
    return f"moved from {before} since the board of {show(baseline.on)}, " + (
        "explained" if explained else "not explained"
    )


def _evidence_href(link: str | None, plan_folder: Path, links_from: Path) -> str | None:
    if link is None:
        return None
    href = safe_href(link)
    if href is None or ":" in href.split("/", 1)[0]:
        return href
    target = os.path.normpath(os.path.join(os.path.abspath(plan_folder), href))
    return os.path.relpath(target, os.path.abspath(links_from)).replace(os.sep, "/")


def _chart(plan: Plan, ratings: tuple[Rating, ...]) -> Chart | None:
    """Stacked bars of the ratings at each board snapshot, oldest first."""
    snapshots = sorted(plan.snapshots, key=lambda s: (s.on, s.name))
    if not snapshots:
        return None
    counted = [(s, _counts(ratings, [rag for _, rag in s.ratings])) for s in snapshots]
    most = max((sum(c.n for c in counts) for _, counts in counted), default=0) or 1
    bars = []
    for index, (snapshot, counts) in enumerate(counted):
        y = CHART_HEIGHT + 10
        segments = []
        for count in reversed(counts):  # the best rating on top
            height = round(count.n * CHART_HEIGHT / most)
            y -= height
            segments.append(Segment(count.rating, count.n, y, height))
        x = 40 + index * (CHART_BAR + CHART_GAP)
        bars.append(
            Bar(
                snapshot.name,
                show(snapshot.on),
                snapshot.label or snapshot.name,
                x,
                x + CHART_BAR // 2,
                sum(c.n for c in counts),
                tuple(reversed(segments)),
            )
        )
    description = "; ".join(
        f"{bar.label}: " + ", ".join(f"{s.n} {s.rating.label}" for s in bar.segments if s.n)
        for bar in bars
    )
    width = 40 + len(bars) * (CHART_BAR + CHART_GAP)
    return Chart(
        width,
        CHART_HEIGHT + 50,
        CHART_BAR,
        CHART_HEIGHT + 28,
        CHART_HEIGHT + 42,
        tuple(bars),
        ratings,
        f"Ratings at each board: {description}",
    )
