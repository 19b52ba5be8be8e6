"""records.built_fast: a frozen dataclass built faster stays a frozen dataclass."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import date
from pathlib import Path

import pytest

from ragplan.model import Action, Day, Deadline, Location, Update
from ragplan.records import built_fast

WHERE = Location(Path("plan/actions/a.yaml"), 3, 1)


def _action(**changes: object) -> Action:
    values: dict[str, object] = {
        "ref": "A1",
        "title": "Do it",
        "leads": ("Kim",),
        "deadline": Deadline(date(2025, 3, 31), "2025-03-31"),
        "rag": "red",
        "path": WHERE.path,
        "positions": (("ref", 1, 1),),
    }
    values.update(changes)
    return Action(**values)  # type: ignore[arg-type]


def test_a_record_built_fast_keeps_its_values_defaults_and_keywords() -> None:
    action = _action(theme="Leadership")
    assert (action.ref, action.leads, action.theme, action.source, action.updates) == (
        "A1",
        ("Kim",),
        "Leadership",
        None,
        (),
    )
    assert type(action) is Action
    assert Location(WHERE.path, line=3, column=1) == WHERE
    assert [f.name for f in dataclasses.fields(Location)] == ["path", "line", "column"]


def test_it_refuses_every_change_once_built() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        WHERE.line = 4  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del WHERE.line  # type: ignore[misc]
    with pytest.raises((TypeError, AttributeError)):  # as a plain frozen, slotted dataclass
        WHERE.other = 1  # type: ignore[attr-defined]


def test_equality_hash_repr_replace_copy_and_pickle_are_the_dataclass_s() -> None:
    update = Update(date(2025, 1, 2), "note", None, Day(date(2025, 4, 30), "2025-04"), WHERE)
    same = Update(date(2025, 1, 2), "note", None, Day(date(2025, 4, 30), "2025-04"), WHERE)
    assert update == same and hash(update) == hash(same) and update is not same
    assert update != dataclasses.replace(update, note="other")
    assert dataclasses.replace(update, note="other").note == "other"
    assert repr(WHERE) == "Location(path=PosixPath('plan/actions/a.yaml'), line=3, column=1)"
    for twin in (copy.copy(update), copy.deepcopy(update), pickle.loads(pickle.dumps(update))):
        assert twin == update and type(twin) is Update
    assert {_action(), _action()} == {_action()}


def test_a_wrong_call_fails_as_a_dataclass_s_would() -> None:
    with pytest.raises(TypeError):
        Location(WHERE.path, 3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Location(WHERE.path, 3, 1, 2)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Location(WHERE.path, 3, colum=1)  # type: ignore[call-arg]


def test_only_a_frozen_slotted_dataclass_of_plain_fields_is_taken() -> None:
    @dataclasses.dataclass(slots=True)
    class Mutable:
        a: int

    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Factory:
        a: list[int] = dataclasses.field(default_factory=list)

    for cls in (Mutable, Unslotted, Factory):
        with pytest.raises(TypeError):
            built_fast(cls)
