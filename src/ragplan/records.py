"""Frozen records built at the cost of plain ones (SPEC 6).

A frozen dataclass sets each field through `object.__setattr__`, around its own
`__setattr__`, which refuses every change: an Action's 18 fields cost 1.4 µs, five times
a plain class's, and a run builds several records for each of 10,000 action files (the
Action, its updates, their dates and places, a status, findings). That was a sixth of
reading a plan (py-spy, make bench).

`built_fast` gives a frozen, slotted dataclass a constructor that fills a plain twin
with the same slots, at a plain class's speed, then makes the object the frozen class,
whose layout it shares. Everything else stays the dataclass's own: fields(), replace(),
==, hash, repr, and FrozenInstanceError on any change once built.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def built_fast(cls: type[T]) -> type[T]:
    """`cls` (a `@dataclass(frozen=True, slots=True)`), built as fast as a plain class."""
    params = getattr(cls, "__dataclass_params__", None)
    slots = cls.__dict__.get("__slots__")
    if params is None or not params.frozen or slots is None:
        raise TypeError(f"{cls.__name__}: built_fast needs @dataclass(frozen=True, slots=True)")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = [f.name for f in fields]
    if tuple(names) != tuple(slots):
        raise TypeError(f"{cls.__name__}: built_fast needs one slot per field, nothing more")
    defaults: dict[str, Any] = {}
    parameters = []
    for f in fields:
        if not f.init or f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: built_fast takes plain fields only")
        if f.default is dataclasses.MISSING:
            parameters.append(f.name)
        else:
            defaults[f"_default_{f.name}"] = f.default
            parameters.append(f"{f.name}=_default_{f.name}")
    listed = ", ".join(parameters)
    stores = "".join(f"    self.{name} = {name}\n" for name in names)
    source = (
        f"def __init__(self, {listed}):\n{stores}"
        f"def __new__(cls, {listed}):\n"
        f"    built = _Twin({', '.join(names)})\n"
        "    built.__class__ = cls\n"  # allowed: the same slots, in the same order
        "    return built\n"
    )
    namespace: dict[str, Any] = dict(defaults)
    exec(source, namespace)  # as dataclasses writes its methods: one call, no loop
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": slots, "__init__": namespace["__init__"]})
    namespace["_Twin"] = twin
    cls.__new__ = namespace["__new__"]  # type: ignore[method-assign]
    del cls.__init__  # object's: __new__ has built it

    def __reduce__(self: T) -> tuple[type[T], tuple[Any, ...]]:  # copy, pickle
        return (type(self), tuple([getattr(self, name) for name in names]))

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls
