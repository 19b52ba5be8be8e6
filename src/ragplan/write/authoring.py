"""What `ragplan new` and `ragplan update` write, checked before anything is written.

Pure: plan, action, the file's bytes and the request in; the new bytes out, or an
InputError saying in the user's words what is wrong. The new bytes are read back by
the same loader as `validate` and compared with what was asked for, so an edit that
would change anything else is never written.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.dates import DateError, parse_day
from ..core.errors import InputError, RagplanError
from ..core.links import is_web, local_target
from ..core.model import Action, Finding, Plan, RagLevel, Update
from ..core.names import name_problem
from ..read.loader import read_action
from . import yamlout

if TYPE_CHECKING:
    from . import editing

SCHEMA_LINE = "# yaml-language-server: $schema=../action.schema.json"


class EditBug(RagplanError):
    """The edited file would not read back as asked: a bug, and nothing was written."""

    exit_code = 3


@dataclass(frozen=True, slots=True)
class UpdateRequest:
    """One `ragplan update`: the texts as typed, checked by `edit_action`."""

    note: str
    on: str  # YYYY-MM-DD
    rag: str | None = None
    explanation: str | None = None
    revised_deadline: str | None = None
    completed: str | None = None
    evidence: str | None = None
    evidence_link: str | None = None  # relative to the plan folder, or an http(s) address


@dataclass(frozen=True, slots=True)
class NewAction:
    """One `ragplan new`: the texts as typed, checked by `draft_action`."""

    ref: str
    title: str
    leads: tuple[str, ...]
    deadline: str
    rag: str
    theme: str | None = None
    strategic_lead: str | None = None
    source: str | None = None
    start: str | None = None
    outcome: str | None = None
    measures: tuple[str, ...] = ()


def rating(plan: Plan, text: str) -> RagLevel:
    """The plan's rating a user typed (any case), or an InputError listing them."""
    for level in plan.rag_scale:
        if level.key.lower() == text.strip().lower():
            return level
    keys = ", ".join(level.key for level in plan.rag_scale)
    raise InputError(f"'{text}' is not a rating in this plan", f"use one of: {keys}")


def _date(option: str, text: str, allow_month: bool = True) -> date:
    try:
        return parse_day(text.strip(), allow_month=allow_month)
    except DateError as error:
        raise InputError(f"{option}: {error}", None) from None


def _text(option: str, text: str | None) -> str | None:
    if text is None:
        return None
    if not any(c.isalnum() for c in text):
        raise InputError(f"{option} is empty", f"write some words after {option}")
    return text.strip()


def edit_action(plan: Plan, action: Action, data: bytes, request: UpdateRequest) -> bytes:
    """The action file with one update appended (and the rating, completion date and
    evidence changed as asked); InputError when the request cannot be used."""
    note = _text("--note", request.note)
    assert note is not None
    on = _date("--date", request.on, allow_month=False)
    explanation = _text("--explanation", request.explanation)
    level = rating(plan, request.rag) if request.rag is not None else None
    revised = request.revised_deadline
    if revised is not None:
        _date("--revised-deadline", revised)
        if explanation is None:
            raise InputError(
                "a revised deadline needs an explanation",
                "say why it moved: add --explanation 'what happened'",
            )
    final = level or next(r for r in plan.rag_scale if r.key == action.rag)
    if request.completed is not None:
        _date("--completed", request.completed)
        if not final.is_complete:
            complete = [r.key for r in plan.rag_scale if r.is_complete]
            raise InputError(
                f"--completed is for a complete rating, and {action.ref} is rated {final.label}",
                f"add --rag {complete[0]} as well, or leave out --completed"
                if complete
                else "leave out --completed: this plan has no complete rating",
            )
    from . import editing  # here: `new` never needs it (SPEC 6 counts start-up)

    pairs = [("date", on.isoformat(), True), ("note", note, False)]
    if explanation is not None:
        pairs.append(("explanation", explanation, False))
    if revised is not None:
        pairs.append(("revised_deadline", revised.strip(), True))
    evidence: tuple[editing.Item, ...] = ()
    description = _text("--evidence", request.evidence)
    if request.evidence_link is not None:
        link = request.evidence_link
        evidence = (
            editing.Item(
                pairs=(
                    ("description", description or link.rsplit("/", 1)[-1], False),
                    ("link", link, False),
                    ("date", on.isoformat(), True),
                )
            ),
        )
    elif description is not None:
        evidence = (editing.Item(description),)
    edit = editing.Edit(
        rag=None if level is None else level.key,
        completed=None if request.completed is None else request.completed.strip(),
        evidence=evidence,
        updates=(editing.Item(pairs=tuple(pairs)),),
    )
    try:
        new = editing.apply(data, edit)
    except editing.EditError as error:
        raise InputError(f"{action.path}: {error}", None) from None
    _expect(new, plan, action, edit)
    return new


def _expect(new: bytes, plan: Plan, old: Action, edit: editing.Edit) -> None:
    """Read the new bytes back; they must hold the old action plus exactly the edit."""
    action, findings = read_action(new, old.path, tuple(r.key for r in plan.rag_scale))
    if action is None:
        _bug(old.path, findings)
        return
    added = [dict((k, v) for k, v, _ in item.pairs) for item in edit.updates]
    updates = [(u.on.isoformat(), u.note, u.explanation, _text_of(u)) for u in action.updates]
    wanted = [(u.on.isoformat(), u.note, u.explanation, _text_of(u)) for u in old.updates] + [
        (a["date"], a["note"], a.get("explanation"), a.get("revised_deadline")) for a in added
    ]
    evidence = [(e.description, e.link) for e in action.evidence]
    wanted_evidence = [(e.description, e.link) for e in old.evidence] + [
        (i.text, None) if not i.pairs else (i.pairs[0][1], i.pairs[1][1]) for i in edit.evidence
    ]
    same = (
        updates == wanted
        and evidence == wanted_evidence
        and action.rag == (edit.rag or old.rag)
        and (action.completed or None)
        == (old.completed if edit.completed is None else parse_day(edit.completed))
        and _fixed(action) == _fixed(old)
    )
    if not same:
        _bug(old.path, ())


def _text_of(update: Update) -> str | None:
    """The revised deadline as written, if the update gives one."""
    return None if update.revised_deadline is None else update.revised_deadline.text


def _fixed(action: Action) -> tuple[object, ...]:
    """What an update never changes."""
    return (
        action.ref,
        action.title,
        action.leads,
        action.deadline,
        action.theme,
        action.source,
        action.strategic_lead,
        action.start,
        action.outcome,
        action.measures,
        action.withdrawn,
    )


def _bug(path: Path, findings: tuple[Finding, ...] | list[Finding]) -> None:
    detail = "; ".join(f"line {f.where.line}: {f.message}" for f in findings)
    raise EditBug(
        f"{path}: the change would not read back as asked{': ' + detail if detail else ''}. "
        "Nothing was written. This is a bug: please report it with the file attached",
        "meanwhile, add the update by hand",
    )


def draft_action(plan: Plan, request: NewAction, existing_refs: set[str]) -> bytes:
    """The text of a new action file, in the documented key order; InputError when the
    request cannot be used."""
    ref = request.ref.strip()
    problem = name_problem(ref)
    if problem is not None or not ref:
        raise InputError(
            f"--ref: {problem or 'the ref is empty'}",
            "a ref is short: a number and a letter, such as 3b or 13/14",
        )
    if ref in existing_refs:
        raise InputError(
            f"this plan already has an action {ref}",
            f"choose another ref, or add an update to it: ragplan update {ref} --note ...",
        )
    title = _text("--title", request.title)
    leads = tuple(_text("--lead", lead) or "" for lead in request.leads)
    if not leads:
        raise InputError("--lead is missing", "name the operational lead: --lead 'Kerry Mehta'")
    deadline = request.deadline.strip()
    if deadline.lower() == "ongoing":
        deadline = "ongoing"
    else:
        _date("--deadline", deadline)
    level = rating(plan, request.rag)
    theme = _text("--theme", request.theme)
    if theme is not None and plan.themes and theme not in plan.themes:
        raise InputError(f"'{theme}' is not one of this plan's themes", _choose(theme, plan.themes))
    strategic = _text("--strategic-lead", request.strategic_lead)
    for name in (*leads, *([strategic] if strategic else [])):
        if plan.people and name not in plan.people:
            raise InputError(
                f"{name} is not in this plan's people list", _choose(name, plan.people)
            )
    if request.start is not None:
        _date("--start", request.start)
    fields: list[tuple[str, yamlout.Value | None, bool]] = [
        ("ref", ref, False),
        ("title", title, False),
        ("theme", theme, False),
        ("source", _text("--source", request.source), False),
        ("lead", leads[0] if len(leads) == 1 else leads, False),
        ("strategic_lead", strategic, False),
        ("start", None if request.start is None else request.start.strip(), True),
        ("deadline", deadline, True),
        ("rag", level.key, False),
        ("outcome", _text("--outcome", request.outcome), False),
        ("measures", tuple(_text("--measure", m) or "" for m in request.measures) or None, False),
    ]
    data = yamlout.document(fields, SCHEMA_LINE).encode("utf-8")
    action, findings = read_action(data, Path(ref), tuple(r.key for r in plan.rag_scale))
    if action is None or action.ref != ref or action.title != title or action.leads != leads:
        _bug(Path(ref), findings)
    return data


def _choose(name: str, names: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'? (the list is in plan.yaml)"
    if len(names) <= 10:
        return "use one of: " + "; ".join(names) + " (or add it to plan.yaml first)"
    return "use a name from the list in plan.yaml, or add it there first"


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def evidence_link(text: str, plan_folder: Path, boundary: Path, cwd: Path) -> str:
    """An --evidence-link as the file records it: an http(s) address as typed, or the
    path of an existing file inside the repository, relative to the plan folder."""
    link = text.strip()
    if is_web(link):
        return link
    if _SCHEME.match(link) and not re.match(r"[A-Za-z]:[\\/]", link):
        raise InputError(
            f"--evidence-link: '{link}' is not a file path or an http(s) address",
            "give a path such as evidence/report.pdf, or an https:// address",
        )
    for base in (cwd, plan_folder):
        target = local_target(link, base)
        if target is not None and target.is_file():
            real = Path(os.path.realpath(target))
            if not real.is_relative_to(Path(os.path.realpath(boundary))):
                raise InputError(
                    f"--evidence-link: {link} is outside the repository",
                    "copy the file into the plan's evidence/ folder and link to that",
                )
            relative = os.path.relpath(os.path.abspath(target), os.path.abspath(plan_folder))
            return relative.replace(os.sep, "/")
    raise InputError(
        f"--evidence-link: there is no file {link} (looked in {cwd} and {plan_folder})",
        "add the file to the plan's evidence/ folder first, or give an https:// address",
    )
