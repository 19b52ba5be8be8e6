"""`ragplan new` and `ragplan update`: change one action file, exactly as asked (SPEC 2)."""

from __future__ import annotations

import sys
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
        note, rag, explanation = _ask(plan_data, action, rag, explanation)
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


def _ask(
    plan: Plan, action: Action, rag: str | None, explanation: str | None
) -> tuple[str, str | None, str | None]:
    """On a terminal: show the action, then ask for the note, rating and explanation."""
    from ..core.dates import show

    typer.echo(f"{action.ref}  {action.title}")
    deadline = action.deadline.text if action.deadline.due is None else show(action.deadline.due)
    label = next((r.label for r in plan.rag_scale if r.key == action.rag), action.rag)
    typer.echo(f"  rated {label}; deadline {deadline}")
    if action.updates:
        latest = action.updates[-1]
        typer.echo(f"  latest update, {show(latest.on)}: {(latest.note or '').splitlines()[0]}")
    note = typer.prompt("Note").strip()
    if rag is None:
        keys = "/".join(r.key for r in plan.rag_scale)
        chosen = typer.prompt(f"Rating ({keys})", default=action.rag).strip()
        rag = None if chosen.lower() == action.rag else chosen
    if explanation is None:
        given = typer.prompt(
            "Explanation, if it is late (Enter for none)", default="", show_default=False
        ).strip()
        explanation = given or None
    return note, rag, explanation


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
