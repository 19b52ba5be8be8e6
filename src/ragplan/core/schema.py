"""JSON Schema (draft-07, which yaml-language-server reads) generated from fields.py.

It describes files as editors and generic YAML loaders see them: a scalar may
arrive as a string, a number or a boolean, and an empty value as null or "".
Dates are checked by pattern, impossible days and leap years included, so that
the schema and `ragplan validate` agree on every file.
"""

from __future__ import annotations

from typing import Any

from .fields import SEVERITY_WORDS, SPECS, Field, Kind, Spec
from .model import DEFAULT_SCALE, RagLevel
from .names import MAX_NAME, unsafe_class

_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_DAY = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29"
_YEAR = "(?!0000)[0-9]{4}"
DAY_PATTERN = f"^(?:{_YEAR}-{_MONTH_DAY}|(?!0000){_LEAP_DAY})$"
DATE_PATTERN = f"^(?:{_YEAR}-{_MONTH_DAY}|(?!0000){_LEAP_DAY}|{_YEAR}-(?:0[1-9]|1[0-2]))$"
_NULLS = ["", "~", "null", "Null", "NULL"]
_SCALAR_TYPES = ["string", "number", "boolean"]


def _ref_string() -> dict[str, Any]:
    """A ref as a string: no unsafe character, at most MAX_NAME once trimmed (SPEC 1)."""
    return {
        "pattern": f"^\\s*[^{unsafe_class()}]{{0,{MAX_NAME}}}?\\s*$",
    }


def any_case(word: str) -> str:
    """A regex matching the word in any case (draft-07 patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else _escape(c) for c in word)


def _escape(char: str) -> str:
    return "\\" + char if char in r"\^$.|?*+()[]{}/-" else char


def _words(words: list[str]) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": "^\\s*(?:" + "|".join(any_case(w) for w in words) + ")\\s*$",
    }


def _kind(kind: Kind, field: Field | None, scale: tuple[RagLevel, ...]) -> dict[str, Any]:
    text = {"type": _SCALAR_TYPES, "pattern": "\\S", "not": {"enum": _NULLS}}
    if kind is Kind.TEXT:
        return text
    if kind is Kind.REF:
        return {**text, **_ref_string()}
    if kind is Kind.DATE:
        return {"type": "string", "pattern": DATE_PATTERN}
    if kind is Kind.DAY:
        return {"type": "string", "pattern": DAY_PATTERN}
    if kind is Kind.DEADLINE:
        return {
            "anyOf": [
                {"type": "string", "pattern": DATE_PATTERN},
                {"type": "string", "pattern": f"^{any_case('ongoing')}$"},
            ]
        }
    if kind is Kind.RAG:
        return _words([level.key for level in scale])
    if kind is Kind.BOOL:
        return {"anyOf": [{"type": "boolean"}, _words(["true", "false"])]}
    if kind is Kind.COUNT:
        return {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": 99999},
                {"type": "string", "pattern": "^[0-9]{1,5}$"},
            ]
        }
    if kind is Kind.SEVERITY:
        return _words(list(SEVERITY_WORDS))
    if kind is Kind.GRADE:
        return {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 5},
                {"type": "string", "pattern": "^\\s*[1-5]\\s*$"},
            ]
        }
    if kind is Kind.GRADES:
        grade = _kind(Kind.GRADE, None, scale)
        return {"type": "array", "minItems": 2, "maxItems": 2, "items": grade}
    if kind is Kind.NUMBER:
        return {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": "^\\s*[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*$"},
            ]
        }
    if kind is Kind.DIRECTION:
        return _words(["higher", "lower"])
    if kind is Kind.TEXTS:
        return {"anyOf": [text, {"type": "array", "minItems": 1, "items": text}]}
    if kind is Kind.TEXT_LIST:
        return {"type": "array", "items": text}
    assert field is not None
    if kind is Kind.RECORDS:
        assert field.spec is not None
        return {"type": "array", "items": _record(field.spec, scale)}
    if kind is Kind.EVIDENCE:
        assert field.spec is not None
        return {"type": "array", "items": {"anyOf": [text, _record(field.spec, scale)]}}
    if kind is Kind.RECORD:
        assert field.spec is not None
        return _record(field.spec, scale)
    if kind is Kind.MEASURES:
        assert field.spec is not None
        item = {"anyOf": [text, _record(field.spec, scale)]}
        return {"anyOf": [text, {"type": "array", "minItems": 1, "items": item}]}
    if kind is Kind.TABLE:
        assert field.values is not None
        table = {"type": "object", "additionalProperties": _kind(field.values, None, scale)}
        return {**table, "propertyNames": _ref_string()} if field.keys is Kind.REF else table
    raise AssertionError(kind)


def _field(field: Field, scale: tuple[RagLevel, ...]) -> dict[str, Any]:
    schema = _kind(field.kind, field, scale)
    if field.may_be_blank:
        schema = {"type": [*_SCALAR_TYPES, "null"]}
    elif not field.is_required:
        schema = {"anyOf": [schema, {"type": "null"}, {"enum": _NULLS}]}
    return {"description": field.description, **schema}


def _record(spec: Spec, scale: tuple[RagLevel, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: _field(f, scale) for f in spec.fields},
        "required": [f.name for f in spec.fields if f.is_required],
        "additionalProperties": False,
    }


def json_schema(kind: str, scale: tuple[RagLevel, ...] = DEFAULT_SCALE) -> dict[str, Any]:
    """The draft-07 schema of one file kind: action, plan or snapshot."""
    spec = SPECS[kind]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://ragplan.invalid/schema/{kind}.json",
        "title": f"ragplan {kind} file",
        **_record(spec, scale),
    }
