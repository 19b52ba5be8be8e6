"""`ragplan new` and `ragplan update`: change one action file, exactly as asked (SPEC 2)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..commands.common import cache_for
from ..commands.targets import choose_plan, read_plan, read_target, refuse_outside
from ..core.errors import InputError
from ..read.places import boundary_of
from .app import NoCacheOpt, TodayOpt, app, resolve_today

if TYPE_CHECKING:
    from ..core.model import Action, Plan

PlanOpt = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="PLAN",
        help="The plan folder, or its name under ./plans; needed only when ./plans holds "
        "more than one plan.",
    ),
]


@app.command()
def update(
    ref: Annotated[
        str, typer.Argument(metavar="REF", help="The action's ref, as in its file (e.g. 3b).")
    ],
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            help="What progress was made (asked for on a terminal when left out).",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="The date of the update (default: today)."
        ),
    ] = None,
    rag: Annotated[
        str | None, typer.Option("--rag", metavar="KEY", help="A new rating, e.g. red.")
    ] = None,
    evidence: Annotated[
        str | None,
        typer.Option("--evidence", metavar="TEXT", help="Evidence to add, in words."),
    ] = None,
    evidence_link: Annotated[
        str | None,
        typer.Option(
            "--evidence-link",
            metavar="PATH",
            help="A file in the repository (or an https:// address) the evidence is in.",
        ),
    ] = None,
    explanation: Annotated[
        str | None,
        typer.Option("--explanation", metavar="TEXT", help="Why the action is late."),
    ] = None,
    revised_deadline: Annotated[
        str | None,
        typer.Option(
            "--revised-deadline",
            metavar="DATE",
            help="A new deadline agreed (YYYY-MM-DD or YYYY-MM); needs --explanation.",
        ),
    ] = None,
    completed: Annotated[
        str | None,
        typer.Option(
            "--completed",
            metavar="DATE",
            help="When it was achieved; only with a complete rating (e.g. --rag blue).",
        ),
    ] = None,
    plan: PlanOpt = None,
    today: TodayOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Append an update to an action, and change its rating or add evidence if asked.

    Only the lines added or changed differ afterwards: comments, order, quoting and
    line ends stay as they were. The file is checked before it is replaced, and the
    write is atomic."""
    from ..read.refindex import locate
    from ..write.atomic import plan_lock, replace_file
    from ..write.authoring import UpdateRequest, edit_action
    from ..write.authoring import evidence_link as resolve_link

    folder = choose_plan(plan)
    plan_data, source = read_plan(folder)
    cache = cache_for(folder, no_cache)
    day = (on or resolve_today(today).isoformat()).strip()
    if note is None:
        if not sys.stdin.isatty():
            raise InputError(
                "missing option --note",
                "say what progress was made: --note 'Audit completed and shared'",
            )
        action, _ = read_target(plan_data, locate(folder, ref, source, cache), source)
        with _left_cleanly():
            asked = _questions(
                plan_data, action, day, rag, explanation, revised_deadline, completed
            )
        if asked is None:
            typer.echo("Nothing was written.")
            return
        note, rag, explanation, revised_deadline, completed, asked_evidence = asked
        evidence = evidence if asked_evidence is None else asked_evidence
    link = None
    if evidence_link is not None:
        link = resolve_link(evidence_link, folder, boundary_of(folder), Path.cwd())
    request = UpdateRequest(
        note=note,
        on=day,
        rag=rag,
        explanation=explanation,
        revised_deadline=revised_deadline,
        completed=completed,
        evidence=evidence,
        evidence_link=link,
    )
    with plan_lock(folder):
        path = locate(folder, ref, source, cache)
        action, data = read_target(plan_data, path, source)
        new = edit_action(plan_data, action, data, request)
        replace_file(path, new)
    changes = [f"update of {day} added"]
    if rag is not None and rag.lower() != action.rag:
        changes.append(f"rating {action.rag} -> {rag.lower()}")
    if evidence is not None or link is not None:
        changes.append("evidence added")
    if completed is not None:
        changes.append(f"completed {completed}")
    typer.echo(f"{action.ref} ({path}): {'; '.join(changes)}")


Answers = tuple[str, str | None, str | None, str | None, str | None, str | None]


@contextlib.contextmanager
def _left_cleanly() -> Iterator[None]:
    """Leaving the questions (end of input, Ctrl-C) or typing what is not UTF-8 stops
    the command (exit 2) before anything is written."""
    try:
        yield
    except (typer.Abort, EOFError, KeyboardInterrupt):
        raise InputError("stopped before the end: nothing was written") from None
    except UnicodeDecodeError:
        raise InputError(
            "the terminal sent text that is not UTF-8: nothing was written",
            "set the terminal to UTF-8, or give the update as options (--note ...)",
        ) from None


def _questions(
    plan: Plan,
    action: Action,
    day: str,
    rag: str | None,
    explanation: str | None,
    revised: str | None,
    completed: str | None,
) -> Answers | None:
    """On a terminal: show the action, then ask for the update, each answer checked as it
    is typed and asked again when it cannot be used. An overdue action rated better than
    the worst open rating needs an explanation and a revised deadline; a complete rating
    needs evidence and a date. The change is shown to confirm before anything is written
    (None: not confirmed)."""
    from ..core.dates import DateError, parse_day, show
    from ..core.status import assess_action, counts_as_explanation

    try:
        on = parse_day(day, allow_month=False)
    except DateError as error:
        raise InputError(f"--date: {error}", "for example --date 2015-01-30") from None
    status = assess_action(action, plan, on, None)
    typer.echo(f"{action.ref}  {action.title}")
    due = action.deadline.due
    deadline = action.deadline.text if due is None else show(due)
    typer.echo(f"  rated {plan.level(action.rag).label}; deadline {deadline}")
    if action.updates:
        latest = action.updates[-1]
        typer.echo(f"  latest update, {show(latest.on)}: {(latest.note or '').splitlines()[0]}")
    if status.is_overdue and due is not None:
        words = "an explanation is in force" if status.is_explained else "no explanation in force"
        typer.echo(f"  overdue since {show(due)} ({(on - due).days} days), {words}")

    def text(answer: str) -> str:
        if not answer.strip():
            raise typer.BadParameter("write a few words")
        return answer.strip()

    keys = [level.key for level in plan.rag_scale]

    def rating(answer: str) -> str:
        if answer.strip().lower() not in keys:
            raise typer.BadParameter(f"not a rating of this plan: use one of {', '.join(keys)}")
        return answer.strip().lower()

    def explained(answer: str) -> str:
        if not counts_as_explanation(answer):
            raise typer.BadParameter("say why it is late, in words")
        return answer.strip()

    def date_on_or_after(answer: str) -> str:
        try:
            chosen = parse_day(answer.strip())
        except DateError as error:
            raise typer.BadParameter(str(error)) from None
        if chosen < on:
            raise typer.BadParameter(f"it is before {show(on)}: give a date still to come")
        return answer.strip()

    def day_by_then(answer: str) -> str:
        try:
            chosen = parse_day(answer.strip(), allow_month=False)
        except DateError as error:
            raise typer.BadParameter(str(error)) from None
        if chosen > on:
            raise typer.BadParameter(f"it is after {show(on)}, the update's date")
        return answer.strip()

    note = typer.prompt("Note", value_proc=text)
    if rag is None:
        rag = typer.prompt(f"Rating ({'/'.join(keys)})", default=action.rag, value_proc=rating)
    level = plan.level(rag.lower())
    open_levels = [lv.key for lv in plan.rag_scale if not lv.is_complete]
    worst = open_levels[-1] if open_levels else None
    evidence = None
    if status.is_overdue and not status.is_explained and not level.is_complete:
        if rag.lower() != worst:
            typer.echo(
                f"  it is overdue: rated {level.label}, it needs an explanation and a "
                "revised deadline"
            )
            if explanation is None:
                explanation = typer.prompt("Explanation (why it is late)", value_proc=explained)
            if revised is None:
                revised = typer.prompt(
                    "Revised deadline (YYYY-MM-DD or YYYY-MM)", value_proc=date_on_or_after
                )
        elif explanation is None:
            given = typer.prompt(
                "Explanation, why it is late (Enter for none)", default="", show_default=False
            )
            explanation = given.strip() or None
    if level.is_complete:
        if not action.evidence:
            evidence = typer.prompt("Evidence (what shows it is achieved)", value_proc=text)
        if completed is None:
            completed = typer.prompt(
                "Completed on (YYYY-MM-DD)", default=day, value_proc=day_by_then
            )
    typer.echo("This will be written:")
    typer.echo(f"  update of {show(on)}: {note}")
    if rag.lower() != action.rag:
        typer.echo(f"  rating {plan.level(action.rag).label} -> {level.label}")
    for label, value in (
        ("explanation", explanation),
        ("revised deadline", revised),
        ("evidence", evidence),
        ("completed", completed),
    ):
        if value:
            typer.echo(f"  {label}: {value}")
    if not typer.confirm("Write it?", default=True):
        return None
    return (
        note,
        (None if rag.lower() == action.rag else rag),
        explanation,
        revised,
        completed,
        evidence,
    )


@app.command()
def new(
    ref: Annotated[str, typer.Option("--ref", help="The new action's ref, e.g. 4a.")],
    title: Annotated[str, typer.Option("--title", help="What will be done.")],
    lead: Annotated[
        list[str], typer.Option("--lead", help="The operational lead; repeat for several.")
    ],
    deadline: Annotated[
        str,
        typer.Option("--deadline", help="YYYY-MM-DD, YYYY-MM (end of that month) or ongoing."),
    ],
    rag: Annotated[str, typer.Option("--rag", metavar="KEY", help="The rating, e.g. green.")],
    theme: Annotated[str | None, typer.Option("--theme", help="Its theme or workstream.")] = None,
    strategic_lead: Annotated[
        str | None, typer.Option("--strategic-lead", help="The accountable board member.")
    ] = None,
    source_text: Annotated[
        str | None, typer.Option("--source", help="The finding or recommendation it answers.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", metavar="DATE", help="When work starts.")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="What success looks like.")
    ] = None,
    measure: Annotated[
        list[str] | None,
        typer.Option("--measure", help="A measure, milestone or target; repeat for several."),
    ] = None,
    plan: PlanOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Create an action file, actions/<ref>.yaml, in the documented key order.

    Refuses a ref the plan already has. The file starts with a line that points
    editors at ../action.schema.json (write it with `ragplan schema action`)."""
    from ..core.names import file_stem
    from ..read.refindex import RefIndex
    from ..write.atomic import create_file, plan_lock
    from ..write.authoring import NewAction, draft_action

    folder = choose_plan(plan)
    plan_data, source = read_plan(folder)
    cache = cache_for(folder, no_cache)
    request = NewAction(
        ref=ref,
        title=title,
        leads=tuple(lead),
        deadline=deadline,
        rag=rag,
        theme=theme,
        strategic_lead=strategic_lead,
        source=source_text,
        start=start,
        outcome=outcome,
        measures=tuple(measure or ()),
    )
    actions = folder / "actions"
    with plan_lock(folder):
        refuse_outside(actions / "new.yaml", folder)
        stated = RefIndex(folder, source, cache).build()
        data = draft_action(plan_data, request, {r for r in stated.values() if r is not None})
        stem = file_stem(ref.strip())
        path = actions / f"{stem}.yaml"
        number = 2
        while path.exists() or path.is_symlink() or (actions / f"{stem}.yml").exists():
            path = actions / f"{stem}-{number}.yaml"
            number += 1
        actions.mkdir(exist_ok=True)
        create_file(path, data)
    typer.echo(f"{ref.strip()}: created {path}")
    if not (folder / "action.schema.json").exists():
        typer.echo(
            f"  for help in your editor: ragplan schema action --plan {folder} > "
            f"{folder / 'action.schema.json'}"
        )
