"""One action over time: each version of its file from git, and each board snapshot
that rated it, as events in date order (`ragplan history`).

Pure: the file's versions (already read from git) and the plan in; events out. A
version that cannot be read is shown with the reason, and the history goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.dates import show
from ..core.diff import new_updates
from ..core.model import Action, Plan, Update
from .loader import read_action


@dataclass(frozen=True, slots=True)
class Version:
    """The file as one commit left it: None when git held no readable file there."""

    sha: str
    author: str
    on: date
    name: str
    data: bytes | None


@dataclass(frozen=True, slots=True)
class Event:
    on: date
    kind: str  # "commit" or "snapshot"
    source: str  # a short commit hash, or the snapshot's name
    author: str | None
    label: str | None  # a snapshot's label
    rating: str | None  # the rating then (a label), when known
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    ref: str
    title: str
    path: Path
    events: tuple[Event, ...]
    stopped: str | None = None  # why the history goes back no further, if it stops


def build(ref: str, action: Action, plan: Plan, versions: Sequence[Version]) -> Timeline:
    """`versions` newest first, as git log gives them."""
    events: list[Event] = []
    oldest_first = list(reversed(versions))
    readings = [_read(version, plan) for version in oldest_first]
    start = 0
    stopped: str | None = None
    for index in range(len(readings) - 1, -1, -1):  # back from the newest, while it is `ref`
        found = readings[index]
        if isinstance(found, Action) and found.ref != ref:
            version = oldest_first[index]
            start = index + 1
            stopped = (
                f"before commit {version.sha[:10]} ({show(version.on)}) the file "
                f"{version.name} held action {found.ref}, not {ref}: git followed a "
                "rename from another action, so the history stops there"
            )
            break
    previous: Action | None = None
    previous_name: str | None = None
    was_unreadable = False
    for version, found in zip(oldest_first[start:], readings[start:], strict=True):
        if not isinstance(found, Action):
            events.append(_event(version, None, (f"could not be read: {found}",)))
            was_unreadable = True
            continue
        changes = _changes(previous, found, plan)
        if was_unreadable and previous is not None:
            changes = ("readable again", *changes)
        was_unreadable = False
        if previous_name is not None and version.name != previous_name:
            changes = (f"file renamed from {previous_name} to {version.name}", *changes)
        then = _label(plan, found.rag)
        events.append(_event(version, then, changes or ("no change to the plan",)))
        previous, previous_name = found, version.name
    for snapshot in plan.snapshots:
        rating = snapshot.rating_of(ref)
        if rating is not None:
            events.append(
                Event(
                    snapshot.on,
                    "snapshot",
                    snapshot.name,
                    None,
                    snapshot.label,
                    _label(plan, rating),
                    (f"reported to the board as {_label(plan, rating)}",),
                )
            )
    events.sort(key=lambda e: (e.on, e.kind == "snapshot"))
    return Timeline(ref, action.title, action.path, tuple(events), stopped)


def _read(version: Version, plan: Plan) -> Action | str:
    """The action in a version, or why it cannot be read."""
    if version.data is None:
        return "the file was a symbolic link out of the repository, so it is not read"
    path = plan.path / "actions" / Path(version.name).name
    action, findings = read_action(version.data, path, None)
    if action is None:
        first = findings[0] if findings else None
        where = f"line {first.where.line}: " if first and first.has_line else ""
        return f"{where}{first.message}" if first else "the file is not a valid action"
    return action


def _event(version: Version, rating: str | None, changes: tuple[str, ...]) -> Event:
    return Event(version.on, "commit", version.sha[:10], version.author, None, rating, changes)


def _label(plan: Plan, key: str) -> str:
    return next((level.label for level in plan.rag_scale if level.key == key), key)


def _deadline_text(action: Action) -> str:
    due = action.deadline.due
    return action.deadline.text if due is None else show(due)


def _changes(old: Action | None, new: Action, plan: Plan) -> tuple[str, ...]:
    if old is None:
        return (
            f"created: rated {_label(plan, new.rag)}, deadline {_deadline_text(new)}",
            *_update_lines(new.updates),
        )
    found: list[str] = []
    if old.rag != new.rag:
        found.append(f"rating {_label(plan, old.rag)} -> {_label(plan, new.rag)}")
    if old.deadline != new.deadline:
        found.append(f"deadline {_deadline_text(old)} -> {_deadline_text(new)}")
    found += _update_lines(new_updates(old, new))
    described = {(e.description, e.link) for e in old.evidence}
    found += [
        f"evidence added: {e.description}"
        for e in new.evidence
        if (e.description, e.link) not in described
    ]
    if new.completed and new.completed != old.completed:
        found.append(f"completed {show(new.completed)}")
    if new.withdrawn and not old.withdrawn:
        found.append(f"withdrawn: {new.withdrawn.reason}")
    return tuple(found)


def _update_lines(added: Sequence[Update]) -> list[str]:
    found = []
    for update in added:
        if update.revised_deadline is not None:
            found.append(f"revised deadline {show(update.revised_deadline.value)}")
        note = (update.note or "").strip().splitlines()
        found.append(f"update of {show(update.on)}" + (f": {note[0]}" if note else ""))
    return found
