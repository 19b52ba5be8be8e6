"""`ragplan status` in a terminal: rich tables; the only report module that uses rich."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..core.dates import show
from ..core.measures import describe, needs_attention
from ..core.status import ActionStatus, PlanStatus
from .words import arrow_text, baseline_text, change_summary, groups, one_line, reasons

# Colours carry no meaning alone: every rating is also written by name.
_STYLES = {
    "blue": "bold white on blue",
    "green": "bold black on green",
    "amber": "bold black on dark_orange",
    "red": "bold white on red",
}


def _deadline_lines(status: ActionStatus) -> str:
    """The deadline, and a revised one beneath it: both stay visible, as on a tracker."""
    due = status.action.deadline.due
    text = "ongoing" if due is None else show(due)
    if status.revised_deadline is not None:
        times = f" ({status.revisions}×)" if status.revisions > 1 else ""
        text += f"\n→ {show(status.revised_deadline)}{times}"
    return text


def rating(status_plan: PlanStatus, key: str) -> Text:
    label = status_plan.plan.level(key).label
    return Text(f" {one_line(label)} ", style=_STYLES.get(key, "bold"))


MAX_ROWS = 25  # per group: a terminal is for reading; --format markdown/json list them all


def terminal_console() -> Console:
    """The console a table is laid out for: this terminal's width and colours (none when
    not a terminal, or with NO_COLOR)."""
    # no emoji codes: `:x:` in a plan's text is shown as written
    return Console(highlight=False, soft_wrap=False, emoji=False)


def render_status(statuses: list[PlanStatus], group_by: str) -> str:
    """One plan in detail, several plans as one summary row each, as this terminal
    shows them."""
    console = terminal_console()
    if len(statuses) > 1:
        return _summary(console, statuses)
    return _printed(console, _plan(statuses[0], group_by))


def _printed(console: Console, parts: list[RenderableType]) -> str:
    with console.capture() as captured:
        for part in parts:
            console.print(part)
    return captured.get()


_NOTE = "Give one plan folder for its details, or use --format markdown or json."
_COUNTED = ("Overdue", "Unexplained", "Stale", "Due soon")


def _summary(console: Console, statuses: list[PlanStatus]) -> str:
    """One row a plan."""
    scale_keys: list[str] = []
    for status in statuses:
        scale_keys += [lv.key for lv in status.plan.rag_scale if lv.key not in scale_keys]
    headers = ["Plan", *(key.title() for key in scale_keys), *_COUNTED]
    rows = []
    for status in statuses:
        tally = status.tally()
        counts = dict(tally.counts)
        unexplained = tally.unexplained
        rows.append(
            (
                Text(one_line(f"{status.plan.title} ({status.plan.path})", 70)),
                *(Text(str(counts.get(key, ""))) for key in scale_keys),
                Text(str(tally.overdue)),
                Text(str(unexplained), style="bold red" if unexplained else ""),
                Text(str(tally.stale)),
                Text(str(tally.due_soon)),
            )
        )
    title = Text(f"{len(statuses)} plans", style="bold")
    note = Text(_NOTE, style="dim")
    return _printed(console, [Group(_summary_table(headers, rows, title), note)])


def _summary_table(headers: list[str], rows: list[tuple[Text, ...]], title: Text) -> Table:
    table = Table(title=title, title_justify="left")
    for index, header in enumerate(headers):
        table.add_column(header, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*row)
    return table


def _plan(status: PlanStatus, group_by: str) -> list[RenderableType]:
    plan = status.plan
    parts: list[RenderableType] = []
    title = Text(one_line(plan.title), style="bold")
    if plan.organisation:
        title.append(f" — {one_line(plan.organisation)}", style="")
    parts.append(title)
    parts.append(Text(f"Status on {show(status.today)}; {baseline_text(status)}.", style="dim"))

    tally = status.tally()
    counts = dict(tally.counts)
    summary = Table(show_edge=False, box=None, padding=(0, 2, 0, 0))
    summary.add_column("Rating")
    summary.add_column("Actions", justify="right")
    for level in plan.rag_scale:
        summary.add_row(rating(status, level.key), Text(str(counts[level.key])))
    parts += [Text(), summary, Text()]

    unexplained = tally.unexplained
    line = Text("Overdue: ")
    line.append(str(tally.overdue), style="bold")
    line.append(
        f" ({unexplained} with no explanation, {tally.overdue - unexplained} explained)",
        style="bold red" if unexplained else "",
    )
    line.append(f" · Stale: {tally.stale}")
    line.append(f" · Due soon: {tally.due_soon}")
    line.append(f" · Withdrawn: {tally.withdrawn}")
    parts.append(line)
    if status.baseline is not None:
        parts.append(Text(f"Since {one_line(status.baseline.name)}: {change_summary(status)}"))

    attention = list(groups(status, group_by))
    days = plan.settings.measure_reading_days
    measures = sorted(
        status.measures, key=lambda m: not needs_attention(m, status.today, days)
    )  # those off track, missed or stale first
    if not attention and not any(needs_attention(m, status.today, days) for m in measures):
        parts += [Text(), Text("No action needs attention.", style="green")]
    for name, members in attention:
        table = Table(
            title=Text(f"Needs attention: {one_line(name)}", style="bold"),
            title_justify="left",
            expand=True,
            show_lines=False,
        )
        table.add_column("Ref", no_wrap=True)
        table.add_column("Action", ratio=3)
        table.add_column("Rating", no_wrap=True)
        table.add_column("Lead", ratio=2)
        table.add_column("Deadline", no_wrap=True)
        table.add_column("Why", ratio=2)
        for s in members[:MAX_ROWS]:
            a = s.action
            why = Text(
                "; ".join(reasons(s, status.today)),
                style="red" if s.is_overdue and not s.is_explained else "",
            )
            table.add_row(
                Text(one_line(a.ref)),
                Text(one_line(a.title, 90)),
                Text.assemble(rating(status, a.rag), f" {arrow_text(s)}".rstrip()),
                Text(one_line(", ".join(a.leads))),
                Text(_deadline_lines(s)),
                why,
            )
        parts += [Text(), table]
        if len(members) > MAX_ROWS:
            parts.append(
                Text(
                    f"… and {len(members) - MAX_ROWS} more: narrow with --lead, "
                    "--theme or --rag, or use --format markdown or json for all.",
                    style="dim",
                )
            )
    if status.plan.risks:
        from .risk_report import heat_table
        from .status_data import risks_data

        data = risks_data(status)
        by_level = ", ".join(
            f"{data['counts'][level.key]} {level.label}" for level in plan.risk_levels
        )
        parts += [Text(), Text(f"Open risks: {data['open']} ({by_level})", style="bold")]
        parts.append(heat_table(status))
        moved = [
            f"{one_line(c['id'])} {c['arrow']} {c['from']} -> {c['to']}"
            for c in data["changes"]
            if c["arrow"] in ("↑", "↓")
        ]
        if moved and status.baseline is not None:
            parts.append(
                Text(f"Risk scores since {one_line(status.baseline.name)}: " + ", ".join(moved))
            )
        needing = [
            r
            for r in status.risks
            if r.is_open
            and (r.review_overdue or r.target_missed or r.risk.id in data["high_without_response"])
        ]
        for r in needing:
            reasons_now = [
                words
                for flag, words in (
                    (r.review_overdue, "review overdue"),
                    (r.target_missed, "target missed"),
                    (r.risk.id in data["high_without_response"], "no open response action"),
                )
                if flag
            ]
            parts.append(
                Text(
                    f"  {one_line(r.risk.id)} ({r.level.label}, score {r.risk.score}): "
                    f"{one_line(r.risk.title, 70)} — {', '.join(reasons_now)}",
                    style="red",
                )
            )
    if measures:
        table = Table(
            title=Text("Counted measures (off track, missed or stale first)", style="bold"),
            title_justify="left",
            expand=True,
        )
        table.add_column("Ref", no_wrap=True)
        table.add_column("Measure", ratio=3)
        table.add_column("Where it stands", ratio=3)
        for m in measures[:MAX_ROWS]:
            table.add_row(
                Text(one_line(m.action.ref)),
                Text(one_line(m.measure.name, 90)),
                Text(
                    describe(m, status.today, days),
                    style="red" if needs_attention(m, status.today, days) else "",
                ),
            )
        parts += [Text(), table]
        if len(measures) > MAX_ROWS:
            parts.append(
                Text(
                    f"… and {len(measures) - MAX_ROWS} more: --format json lists all.", style="dim"
                )
            )
    return parts
