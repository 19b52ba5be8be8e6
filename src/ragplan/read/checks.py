"""Check a parsed tree against a Spec: the values it holds, or findings with places and hints."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..core.dates import DateError, parse_day
from ..core.fields import SEVERITY_WORDS, Field, Kind, Spec
from ..core.model import Day, Deadline, Finding, Location, Severity
from ..core.names import MAX_NAME, name_problem
from .yamlnodes import NULL_WORDS, Mapping, Node, Scalar, Sequence

_KIND_WORDS = {
    Kind.TEXT: "text",
    Kind.REF: "a short reference such as 3b",
    Kind.DATE: "a date (YYYY-MM-DD or YYYY-MM)",
    Kind.DAY: "a date (YYYY-MM-DD)",
    Kind.DEADLINE: "a date (YYYY-MM-DD or YYYY-MM) or ongoing",
    Kind.RAG: "a rating",
    Kind.BOOL: "true or false",
    Kind.COUNT: "a whole number of days",
    Kind.TEXTS: "a name, or a list of names",
    Kind.TEXT_LIST: "a list",
    Kind.RECORDS: "a list",
    Kind.EVIDENCE: "a list",
    Kind.RECORD: "a set of `key: value` lines",
    Kind.TABLE: "a set of `key: value` lines",
    Kind.SEVERITY: "error, warning, info or off",
    Kind.NUMBER: "a number",
    Kind.DIRECTION: "higher or lower",
    Kind.MEASURES: "a text, or a list of texts and counted measures",
    Kind.GRADE: "a whole number from 1 to 5",
    Kind.GRADES: "[likelihood, impact], each a whole number from 1 to 5",
}


_TEXT, _DATE, _DAY = Kind.TEXT, Kind.DATE, Kind.DAY
_MEMO_LIMIT = 100_000
_DAYS: dict[tuple[str, Kind], Day] = {}  # dates already read, by text and kind


def remembered_day(text: str, kind: Kind) -> Day | None:
    """A date already read from this text as this kind, if any."""
    return _DAYS.get((text, kind))


def remember_day(text: str, kind: Kind, day: Day) -> None:
    if len(_DAYS) < _MEMO_LIMIT:
        _DAYS[(text, kind)] = day  # immutable: shared by every file that writes it


def _shape(node: Node) -> str:
    if type(node) is Mapping:
        return "a set of `key: value` lines"
    if type(node) is Sequence:
        return "a list"
    return f"'{_clip(node.text)}'" if type(node) is Scalar else "something else"


def _clip(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class Reader:
    """Reads one file's tree; collects findings instead of stopping at the first."""

    def __init__(self, path: Path, rag_keys: Collection[str] | None) -> None:
        self.path = path
        self.rag_keys = rag_keys  # None: ratings are not checked (plan.yaml unusable)
        self.findings: list[Finding] = []

    def problem(
        self, node: Node | Scalar, message: str, hint: str | None = None, rule: str = "schema"
    ) -> None:
        self.findings.append(
            Finding(
                rule, Severity.ERROR, message, Location(self.path, node.line, node.column), hint
            )
        )

    def record(self, node: Node, spec: Spec) -> dict[str, Any] | None:
        """The fields of a mapping node as Python values, keyed by name; positions under '@'."""
        if type(node) is not Mapping:
            what = "an action" if spec.name == "action" else f"a {spec.name}"
            self.problem(
                node,
                f"{what} should be a set of `key: value` lines, not {_shape(node)}",
                f"start with `{spec.fields[0].name}: ...`",
            )
            return None
        values: dict[str, Any] = {}
        positions: list[tuple[str, int, int]] = []
        fields = spec.by_name
        for key, value in node.pairs:
            name = key.text
            field = fields.get(name)
            if field is None:
                self._unknown_key(key, spec)
                continue
            positions.append((name, key.line, key.column))
            if type(value) is Scalar:  # the common case first, without a call per value
                text = value.text
                if not (value.is_plain and text in NULL_WORDS):
                    kind = field.kind
                    if kind is _TEXT:
                        stripped = text.strip()
                        if stripped:
                            values[name] = stripped
                            continue
                    elif kind is _DATE or kind is _DAY:
                        day = _DAYS.get((text, kind))
                        if day is not None:
                            values[name] = day
                            continue
                elif field.may_be_blank:  # a null word is no text: nothing is written
                    continue
                else:
                    if field.is_required:
                        self.problem(
                            value if value.line == key.line else key,
                            f"'{name}' is empty",
                            f"write {_KIND_WORDS[field.kind]} after '{name}:'",
                        )
                    continue
            converted = self.value(value, field)
            if converted is not None:
                values[name] = converted
        required = spec.required
        if not all(name in values for name in required):
            present = {name for name, _, _ in positions}
            for name in required:
                if name not in present:
                    field = fields[name]
                    self.problem(
                        node,
                        f"this {spec.name} has no '{name}'",
                        f"add `{name}: ...` ({_lower_first(field.description)})",
                    )
        values["@"] = tuple(positions)
        return values

    def _unknown_key(self, key: Scalar, spec: Spec) -> None:
        import difflib  # here: most runs meet no unknown key (SPEC 6 counts start-up)

        close = difflib.get_close_matches(key.text, spec.names, n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "the keys allowed here are " + ", ".join(spec.names)
        )
        if key.text.isdigit() and "value" in spec.names:  # {value: 1,200}: a comma splits it
            hint = "inside { } a comma starts the next entry: write the number without separators"
        for refused, message, instead in spec.refused:
            if key.text == refused:
                self.problem(key, message, instead)
                return
        self.problem(key, f"unknown key '{_clip(key.text)}' in this {spec.name}", hint)

    def value(self, node: Node, field: Field) -> Any:
        """One field's value, or None after recording why it cannot be used."""
        kind = field.kind
        if kind in (Kind.RECORDS, Kind.EVIDENCE, Kind.TEXT_LIST):
            if type(node) is not Sequence:
                self._wrong(node, field)
                return None
            kept = []
            for item in node.items:
                converted = self._item(item, field)
                if converted is not None:
                    kept.append(converted)
            return tuple(kept)
        if kind is Kind.RECORD:
            assert field.spec is not None
            return self.record(node, field.spec)
        if kind is Kind.TABLE:
            return self._table(node, field)
        if kind is Kind.MEASURES:
            if type(node) is Scalar:
                text = self.scalar(node, Kind.TEXT, field.name)
                return None if text is None else (text,)
            if type(node) is not Sequence or not node.items:
                self._wrong(node, field)
                return None
            assert field.spec is not None
            spec = field.spec
            items = tuple(
                self.scalar(item, Kind.TEXT, field.name)
                if type(item) is Scalar
                else self.record(item, spec)
                for item in node.items
            )
            return None if None in items else items
        if kind is Kind.TEXTS:
            if type(node) is Mapping:
                self._wrong(node, field)
                return None
            if type(node) is Sequence:
                items = tuple(self.scalar(item, Kind.TEXT, field.name) for item in node.items)
                if not items:
                    self.problem(
                        node,
                        f"'{field.name}' is an empty list",
                        f"give at least one, or remove '{field.name}'",
                    )
                    return None
                return None if None in items else items
            text = self.scalar(node, Kind.TEXT, field.name)
            return None if text is None else (text,)
        if field.may_be_blank and type(node) is Scalar:
            return node.text.strip()
        return self.scalar(node, kind, field.name)

    def _item(self, node: Node, field: Field) -> Any:
        if field.kind is Kind.TEXT_LIST:
            return self.scalar(node, Kind.TEXT, field.name)
        if field.kind is Kind.EVIDENCE and type(node) is Scalar:
            text = self.scalar(node, Kind.TEXT, field.name)
            return (
                None
                if text is None
                else {"description": text, "@": (("description", node.line, node.column),)}
            )
        assert field.spec is not None
        return self.record(node, field.spec)

    def _table(self, node: Node, field: Field) -> tuple[tuple[str, Any, Scalar], ...] | None:
        if type(node) is not Mapping:
            self._wrong(node, field)
            return None
        assert field.values is not None
        rows = []
        for key, value in node.pairs:
            if field.keys is Kind.REF and self._unsafe_ref(key, f"a ref in '{field.name}'"):
                continue
            if field.values is Kind.GRADES:
                converted = self._grades(value, key.text)
            else:
                converted = self.scalar(value, field.values, key.text)
            if converted is not None:
                rows.append((key.text, converted, key))
        return tuple(rows)

    def _unsafe_ref(self, node: Scalar, what: str, text: str | None = None) -> bool:
        """Record why a ref cannot be used (never echoing it); True when it cannot."""
        problem = name_problem(node.text.strip() if text is None else text, what)
        if problem is not None:
            self.problem(
                node,
                problem,
                f"refs are short codes such as 3b, 1.10 or 13/14, on one line, "
                f"at most {MAX_NAME} characters",
            )
        return problem is not None

    def _wrong(self, node: Node, field: Field) -> None:
        self.problem(
            node,
            f"'{field.name}' should be {_KIND_WORDS[field.kind]}, not {_shape(node)}",
            _example(field),
        )

    def scalar(self, node: Node, kind: Kind, name: str) -> Any:
        """A scalar of `kind`, or None after recording why it cannot be used."""
        if type(node) is not Scalar:
            self.problem(
                node,
                f"'{name}' should be {_KIND_WORDS[kind]}, not {_shape(node)}",
                "write it on one line after the key",
            )
            return None
        if node.is_null:
            self.problem(node, f"'{name}' has an empty entry", "fill it in or remove it")
            return None
        text = node.text
        if kind is Kind.TEXT:
            stripped = text.strip()
            if not stripped:
                self.problem(node, f"'{name}' is blank", f"write some text, or remove '{name}'")
                return None
            return stripped
        if kind is Kind.REF:
            ref = text.strip()
            if not ref:
                self.problem(node, f"'{name}' is blank", f"write a reference after '{name}:'")
                return None
            return None if self._unsafe_ref(node, f"'{name}'", ref) else ref
        if kind is Kind.DATE or kind is Kind.DAY:
            try:
                day = Day(parse_day(text, allow_month=kind is Kind.DATE), text)
            except DateError as error:
                self.problem(node, f"'{name}': {error}")
                return None
            remember_day(text, kind, day)
            return day
        if kind is Kind.DEADLINE:
            if text.lower() == "ongoing":
                return Deadline(None, "ongoing")
            try:
                return Deadline(parse_day(text), text)
            except DateError as error:
                self.problem(node, f"'{name}': {error}", "or write `ongoing` if it has no end")
                return None
        if kind is Kind.RAG:
            key = text.strip().lower()
            if self.rag_keys is not None and key not in self.rag_keys:
                self.problem(
                    node,
                    f"unknown rating '{_clip(text)}'",
                    "use one of " + ", ".join(self.rag_keys) + " (the plan's rag_scale)",
                )
                return None
            return key
        if kind is Kind.BOOL:
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
            self.problem(node, f"'{name}' should be true or false, not '{_clip(text)}'")
            return None
        if kind is Kind.COUNT:
            if text.isascii() and text.isdigit() and len(text) <= 5:
                return int(text)
            self.problem(
                node,
                f"'{name}' should be a whole number of days, not '{_clip(text)}'",
                f"e.g. `{name}: 31`",
            )
            return None
        if kind is Kind.NUMBER:
            return self._number(node, name)
        if kind is Kind.GRADE:
            if text.strip() in ("1", "2", "3", "4", "5"):
                return int(text.strip())
            self.problem(
                node,
                f"'{name}' should be a whole number from 1 to 5, not '{_clip(text)}'",
                "1 is rare or minor, 5 almost certain or severe (the 5x5 risk matrix)",
            )
            return None
        if kind is Kind.DIRECTION:
            if text.strip().lower() in ("higher", "lower"):
                return text.strip().lower()
            self.problem(
                node,
                f"'{name}' should be higher or lower, not '{_clip(text)}'",
                "higher: bigger values are better (the default); lower: smaller ones are",
            )
            return None
        if kind is Kind.SEVERITY:
            if text.lower() in SEVERITY_WORDS:
                return text.lower()
            self.problem(
                node, f"'{name}' should be one of {', '.join(SEVERITY_WORDS)}, not '{_clip(text)}'"
            )
            return None
        raise AssertionError(kind)

    def _grades(self, node: Node, name: str) -> tuple[int, int] | None:
        """[likelihood, impact] in a snapshot's `risks`."""
        if type(node) is not Sequence or len(node.items) != 2:
            self.problem(
                node,
                f"'{name}' should be [likelihood, impact], two whole numbers from 1 to 5",
                f"e.g. `{name}: [3, 4]`",
            )
            return None
        grades = [self.scalar(item, Kind.GRADE, name) for item in node.items]
        if None in grades:
            return None
        return (grades[0], grades[1])

    def _number(self, node: Scalar, name: str) -> float | None:
        """A value written as a number: 72, 79.5, -3 (SPEC 9); quotes are tolerated, as
        for every number in a plan file."""
        text = node.text.strip()
        if _NUMBER.match(text):
            value = float(text)
            return int(value) if value.is_integer() and "." not in text else value
        if _NUMBER.match(text.replace(",", "")) and "," in text:
            hint = f"write it without separators: {text.replace(',', '')}"
        elif text.endswith("%") and _NUMBER.match(text[:-1].strip()):
            hint = f'write the number alone ({text[:-1].strip()}) and `unit: "%"` on the measure'
        else:
            hint = f"e.g. `{name}: 79.5`"
        self.problem(node, f"'{name}' should be a number, not '{_clip(node.text)}'", hint)
        return None


_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _example(field: Field) -> str | None:
    if field.kind in (Kind.RECORDS, Kind.EVIDENCE, Kind.MEASURES):
        assert field.spec is not None
        first = field.spec.fields[0].name
        return f"write each entry on its own line starting with '- ', e.g. `- {first}: ...`"
    if field.kind is Kind.TEXT_LIST:
        return "write each entry on its own line starting with '- '"
    return None
