"""Two states of a plan -> what changed, by kind, in a board's terms (`ragplan diff`).

Pure: the plans at BASE and HEAD and the day each is judged on in; a PlanDiff out.
Unchanged actions are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from .dates import show
from .measures import assess_measure, show_value
from .model import Action, Arrow, Deadline, Measure, Plan, Risk, Snapshot, Update
from .risks import level_of
from .status import ActionStatus, State, assess, change_of, ref_key

# Each kind of change, in the order a reader wants them, with its heading.
KINDS: tuple[tuple[str, str], ...] = (
    ("rating_changes", "Ratings changed"),
    ("deadlines_moved", "Deadlines moved"),
    ("revised_deadlines", "Revised deadlines added"),
    ("explanations", "Explanations added"),
    ("updates", "Updates added"),
    ("evidence", "Evidence added"),
    ("added", "Actions added"),
    ("completed", "Completed"),
    ("withdrawn", "Withdrawn"),
    ("removed", "Removed"),
    ("newly_overdue", "Newly overdue"),
    ("no_longer_overdue", "No longer overdue"),
    ("risks", "Risks changed"),
    ("measure_states", "Measures changed state"),
    ("readings", "Measure readings added"),
)


@dataclass(frozen=True, slots=True)
class Side:
    """One end of the comparison: what it is, and the day its actions are judged on."""

    name: str  # "working tree", "snapshot 2014-12", "v1 (git 1a2b3c4d5e)"
    on: date
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """One change to one action: `kind` is a key of KINDS; `values` its details."""

    kind: str
    ref: str
    title: str
    values: tuple[tuple[str, str | None], ...] = ()

    def get(self, key: str) -> str | None:
        return dict(self.values).get(key)


@dataclass(frozen=True, slots=True)
class PlanDiff:
    title: str
    path: str
    base: Side
    head: Side
    items: tuple[Item, ...]
    is_new: bool = False  # the plan did not exist at BASE
    notes: tuple[str, ...] = ()  # what the comparison could not settle, in words

    def of(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    @property
    def headline(self) -> str:
        """`3 ratings changed: 1 up, 2 down · 1 deadline moved later · 2 newly overdue`."""
        parts = [_headline_part(kind, self.of(kind)) for kind, _ in KINDS if self.of(kind)]
        return " · ".join(parts) if parts else "no changes"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _tally(items: list[Item], words: tuple[str, ...]) -> list[str]:
    """`1 up`, `2 down`: how many items go each way, the ways that occur."""
    counts = [(sum(1 for i in items if i.get("direction") == w), w) for w in words]
    return [f"{n} {word}" for n, word in counts if n]


def _headline_part(kind: str, items: list[Item]) -> str:
    n = len(items)
    if kind == "rating_changes":
        return f"{_plural(n, 'rating')} changed: {', '.join(_tally(items, ('up', 'down')))}"
    if kind == "deadlines_moved":
        ways = _tally(items, ("later", "earlier"))
        if len(ways) == 1:
            return f"{_plural(n, 'deadline')} moved {ways[0].split()[1]}"
        return f"{_plural(n, 'deadline')} moved: {', '.join(ways)}"
    words = {
        "revised_deadlines": ("revised deadline", "revised deadlines", "added"),
        "explanations": ("explanation", "explanations", "added"),
        "updates": ("update", "updates", "added"),
        "evidence": ("piece of evidence", "pieces of evidence", "added"),
        "added": ("action", "actions", "added"),
        "completed": ("action", "actions", "completed"),
        "withdrawn": ("action", "actions", "withdrawn"),
        "removed": ("action", "actions", "removed"),
        "newly_overdue": ("action", "actions", "newly overdue"),
        "no_longer_overdue": ("action", "actions", "no longer overdue"),
        "risks": ("risk", "risks", "changed"),
        "measure_states": ("measure", "measures", "changed state"),
        "readings": ("reading", "readings", "added"),
    }[kind]
    return f"{_plural(n, words[0], words[1])} {words[2]}"


def compare(
    base: Plan | None,
    head: Plan,
    base_side: Side,
    head_side: Side,
) -> PlanDiff:
    """What changed in `head` since `base` (None: the plan is new since then).

    BASE is judged on its own day, or on HEAD's when that is earlier (a `--today` in the
    past), so that only what the plan's files changed shows, never a clock running
    backwards."""
    every = {a.ref for a in head.actions}
    if base is not None:
        every |= {a.ref for a in base.actions}
    refs = sorted(every, key=ref_key)
    items = _items(base, head, base_side, head_side, refs)
    base_day = min(base_side.on, head_side.on)
    items += _risk_items(base, head, base_day, head_side.on)
    items += _measure_items(base, head, base_day, head_side.on)
    order = {kind: i for i, (kind, _) in enumerate(KINDS)}
    items.sort(key=lambda item: order[item.kind])  # stable: refs stay in order within a kind
    notes = [*_duplicates(base, base_side), *_duplicates(head, head_side)]
    return PlanDiff(
        head.title,
        str(head.path),
        base_side,
        head_side,
        tuple(items),
        is_new=base is None,
        notes=tuple(notes),
    )


def _items(
    base: Plan | None, head: Plan, base_side: Side, head_side: Side, refs: list[str]
) -> list[Item]:
    """The items of `refs` (in ref order), each side's actions with those refs assessed
    in its plan's order."""
    base_day = min(base_side.on, head_side.on)
    wanted = set(refs)

    def only(plan: Plan) -> Plan:
        if len(wanted) >= len(plan.actions):
            return plan
        return replace(plan, actions=tuple(a for a in plan.actions if a.ref in wanted))

    before = (
        {}
        if base is None
        else {s.ref: s for s in assess(only(base), base_day, in_order=False).actions}
    )
    after = {
        s.ref: s
        for s in assess(
            only(head), head_side.on, use_default_baseline=False, in_order=False
        ).actions
    }
    items: list[Item] = []
    for ref in refs:
        old, new = before.get(ref), after.get(ref)
        if new is None:
            if old is not None:
                items.append(Item("removed", ref, old.action.title))
        elif old is None:
            items.append(_added(new, head))
        else:
            items += _changes(old, new, base, head)
    return items


def _duplicates(plan: Plan | None, side: Side) -> list[str]:
    """Refs that several files claim: said, not guessed at."""
    if plan is None:
        return []
    files: dict[str, list[str]] = {}
    for action in plan.actions:
        files.setdefault(action.ref, []).append(action.path.name)
    claimed = [(ref, names) for ref, names in files.items() if len(names) > 1]  # few
    return [
        f"at {side.name}, {len(names)} files claim ref {ref} ({', '.join(sorted(names))}): "
        "only one of them is compared"
        for ref, names in sorted(claimed, key=lambda item: ref_key(item[0]))
    ]


def _added(status: ActionStatus, plan: Plan) -> Item:
    action = status.action
    values = (("rating", plan.level(action.rag).label), ("deadline", _deadline(action.deadline)))
    return Item("added", action.ref, action.title, values)


def _deadline(deadline: Deadline) -> str:
    return deadline.text if deadline.due is None else show(deadline.due)


def _changes(old: ActionStatus, new: ActionStatus, base: Plan | None, head: Plan) -> list[Item]:
    a, b = old.action, new.action
    ref, title = b.ref, b.title
    found: list[Item] = []
    if a.rag != b.rag and base is not None:
        snapshot = Snapshot("base", date.min, None, ((a.ref, a.rag),), (), head.path)
        change = change_of(b, head, snapshot)
        direction = {Arrow.UP: "up", Arrow.DOWN: "down"}.get(change.arrow, "changed")
        was = base.level(a.rag).label if a.rag in _keys(base) else a.rag
        found.append(
            Item(
                "rating_changes",
                ref,
                title,
                (
                    ("from", was),
                    ("to", head.level(b.rag).label),
                    ("arrow", change.arrow.value),
                    ("direction", direction),
                ),
            )
        )
    added = new_updates(a, b)
    explanation = next((u.explanation for u in reversed(added) if u.explanation), None)
    if a.deadline != b.deadline:
        later = _later(a.deadline, b.deadline)
        found.append(
            Item(
                "deadlines_moved",
                ref,
                title,
                (
                    ("from", _deadline(a.deadline)),
                    ("to", _deadline(b.deadline)),
                    ("direction", later),
                    ("explanation", explanation),
                    # this move, and each revised deadline its updates agreed
                    ("moves", str(new.revisions + 1)),
                ),
            )
        )
    effective = old.revised_deadline or a.deadline.due
    for update in added:
        if update.revised_deadline is not None:
            found.append(
                Item(
                    "revised_deadlines",
                    ref,
                    title,
                    (
                        ("from", show(effective) if effective else _deadline(a.deadline)),
                        ("to", show(update.revised_deadline.value)),
                        ("explanation", update.explanation),
                        ("revisions", str(new.revisions)),  # the action's, so far
                    ),
                )
            )
            effective = update.revised_deadline.value
        elif update.explanation:
            found.append(
                Item(
                    "explanations",
                    ref,
                    title,
                    (("date", show(update.on)), ("explanation", update.explanation)),
                )
            )
    found += [
        Item("updates", ref, title, (("date", show(u.on)), ("note", _first_line(u.note))))
        for u in added
    ]
    old_evidence = {(e.description, e.link) for e in a.evidence}
    found += [
        Item("evidence", ref, title, (("description", e.description), ("link", e.link)))
        for e in b.evidence
        if (e.description, e.link) not in old_evidence
    ]
    if new.state is State.DONE and old.state is not State.DONE:
        when = show(b.completed) if b.completed else None
        rating = head.level(b.rag).label
        found.append(Item("completed", ref, title, (("rating", rating), ("completed", when))))
    if new.state is State.WITHDRAWN and old.state is not State.WITHDRAWN:
        assert b.withdrawn is not None
        found.append(
            Item(
                "withdrawn",
                ref,
                title,
                (("date", show(b.withdrawn.on)), ("reason", b.withdrawn.reason)),
            )
        )
    if new.is_overdue and not old.is_overdue:
        due = b.deadline.due
        found.append(
            Item(
                "newly_overdue",
                ref,
                title,
                (
                    ("due", show(due) if due else None),
                    ("explained", "yes" if new.is_explained else "no"),
                ),
            )
        )
    elif old.is_overdue and not new.is_overdue:
        why = {State.DONE: "completed", State.WITHDRAWN: "withdrawn"}.get(new.state)
        if why is None:
            why = "deadline moved" if a.deadline != b.deadline else "rating changed"
        found.append(Item("no_longer_overdue", ref, title, (("why", why),)))
    return found


def new_updates(old: Action, new: Action) -> tuple[Update, ...]:
    """The updates `new` adds to `old`: those after the ones they share, or all of them
    when earlier updates were edited (updates are append-only in practice)."""
    known = [u.content for u in old.updates]
    if [u.content for u in new.updates[: len(known)]] == known:
        return new.updates[len(known) :]
    seen = set(known)
    return tuple(u for u in new.updates if u.content not in seen)


def _keys(plan: Plan) -> set[str]:
    return {level.key for level in plan.rag_scale}


def _later(old: Deadline, new: Deadline) -> str:
    if old.due is None:
        return "earlier"  # from ongoing to a date
    if new.due is None:
        return "later"  # from a date to ongoing
    return "later" if new.due > old.due else "earlier"


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    return text.strip().splitlines()[0]


def note_moves(diffs: list[PlanDiff]) -> list[PlanDiff]:
    """A ref removed from one plan and added to another is named in both, not taken for
    two unrelated actions (refs are unique within a plan, not across plans)."""
    removed = {(i.ref, d.path) for d in diffs for i in d.of("removed")}
    added = {(i.ref, d.path) for d in diffs for i in d.of("added")}
    notes: dict[str, list[str]] = {}
    for ref, source in sorted(removed):
        for target in sorted(path for r, path in added if r == ref and path != source):
            text = f"{ref} is removed from {source} and added to {target}: perhaps it moved"
            notes.setdefault(source, []).append(text)
            notes.setdefault(target, []).append(text)
    return [replace(d, notes=d.notes + tuple(notes.get(d.path, ()))) for d in diffs]


def _risk_words(risk: Risk, plan: Plan) -> str:
    """`4 x 3 = 12 (Medium)`: likelihood x impact, the score and its level."""
    level = level_of(risk.score, plan.risk_levels).label
    return f"{risk.likelihood} x {risk.impact} = {risk.score} ({level})"


def _risk_items(base: Plan | None, head: Plan, base_day: date, head_day: date) -> list[Item]:
    """Risks added, removed, closed, scored higher or lower, or past their target date
    above the target's score since BASE (a risk by its id)."""
    before = {} if base is None else {r.id: r for r in base.risks}
    after = {r.id: r for r in head.risks}
    items: list[Item] = []
    for risk_id in sorted({*before, *after}, key=ref_key):
        old, new = before.get(risk_id), after.get(risk_id)
        if new is None:
            assert old is not None and base is not None
            items.append(_risk_item(old, "removed", "removed", _risk_words(old, base), None))
            continue
        if old is None:
            if base is not None:
                items.append(_risk_item(new, "added", "added", None, _risk_words(new, head)))
            continue
        assert base is not None
        if new.closed is not None and old.closed is None:
            items.append(_risk_item(new, "closed", "closed", _risk_words(old, base), new.closed[1]))
            continue
        if new.score != old.score or (new.likelihood, new.impact) != (old.likelihood, old.impact):
            way = "up" if new.score > old.score else "down" if new.score < old.score else "changed"
            what = f"score {way}"
            items.append(_risk_item(new, what, way, _risk_words(old, base), _risk_words(new, head)))
        target = new.target
        if (
            new.closed is None
            and target is not None
            and base_day <= target[2] < head_day
            and new.score > target[0] * target[1]
        ):
            aimed = f"{target[0]} x {target[1]} = {target[0] * target[1]} by {show(target[2])}"
            items.append(
                _risk_item(new, "target date passed", "missed", aimed, _risk_words(new, head))
            )
    return items


def _risk_item(risk: Risk, what: str, direction: str, was: str | None, now: str | None) -> Item:
    return Item(
        "risks",
        risk.id,
        risk.title,
        (("change", what), ("from", was), ("to", now), ("direction", direction)),
    )


def _measure_items(base: Plan | None, head: Plan, base_day: date, head_day: date) -> list[Item]:
    """Each counted measure's new readings, and its state when that changed, by action
    (a measure by its id, else its name)."""
    if base is None:
        return []
    before = {a.ref: a for a in base.actions}
    states: list[Item] = []
    readings: list[Item] = []
    for action in sorted(head.actions, key=lambda a: ref_key(a.ref)):
        old_action = before.get(action.ref)
        if old_action is None or action.withdrawn is not None:
            continue
        old_measures = {_measure_key(m): m for m in old_action.counted}
        for measure in action.counted:
            old = old_measures.get(_measure_key(measure))
            if old is None:
                continue
            known = {(r.on, r.value) for r in old.readings}
            for reading in measure.readings:
                if (reading.on, reading.value) not in known and reading.on <= head_day:
                    value = show_value(reading.value, measure.unit)
                    readings.append(
                        Item(
                            "readings",
                            action.ref,
                            action.title,
                            (
                                ("measure", measure.name),
                                ("date", show(reading.on)),
                                ("value", value),
                            ),
                        )
                    )
            was = assess_measure(old_action, old, base_day).state
            now = assess_measure(action, measure, head_day).state
            if was is not now:
                states.append(
                    Item(
                        "measure_states",
                        action.ref,
                        action.title,
                        (("measure", measure.name), ("from", was.value), ("to", now.value)),
                    )
                )
    return [*states, *readings]


def _measure_key(measure: Measure) -> str:
    return measure.id or measure.name
