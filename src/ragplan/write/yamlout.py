"""Text -> YAML scalars and lines that read back as exactly that text (new, update).

Plan files are read as the text written (SPEC 1), but other YAML readers, editors
among them, resolve `yes`, `1.10` or `null` to other types; so text that any YAML
reader could take for something else is quoted. Dates are written plain: they are
meant to be dates.
"""

from __future__ import annotations

import json
import re

# Plain scalars we write: no indicator first, no ': ' or ' #', no edge spaces, one line.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#\n\r]|:(?=\S)|(?<=\S)#)*\Z")
_PLAIN_FLOW = re.compile(
    r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#,\[\]{}\n\r]|:(?=[^\s,\[\]{}])|(?<=\S)#)*\Z"
)
# What YAML 1.1 or 1.2 readers would take for a number, a boolean, null or a date.
_LOOKS_TYPED = re.compile(
    r"(?i:[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:e[-+]?\d+)?|[-+]?\.(?:inf|nan)|"
    r"0x[\da-f_]+|0o?[0-7_]+|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?|"
    r"y|n|yes|no|true|false|on|off|null|~|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)\Z"
)
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")
_DATE_TEXT = re.compile(r"\d{4}-\d{2}(?:-\d{2})?\Z")


def scalar(text: str, flow: bool = False) -> str:
    """One line of YAML that reads back as `text` (a plain word, or double-quoted)."""
    pattern = _PLAIN_FLOW if flow else _PLAIN
    if (
        text == text.strip()
        and pattern.match(text)
        and not _LOOKS_TYPED.match(text)
        and not _NEEDS_ESCAPE.search(text)
        and "\t" not in text
    ):
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes, plus the breaks YAML alone folds."""
    body = json.dumps(text, ensure_ascii=False)
    return _NEEDS_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", body)


def day(text: str) -> str:
    """A date as written in plan files (YYYY-MM-DD or YYYY-MM), or other text quoted."""
    return text if _DATE_TEXT.match(text) else scalar(text)


def entry(key: str, text: str, indent: int, is_date: bool = False) -> list[str]:
    """`key: value` at `indent`, as lines; text of several lines as a literal block."""
    pad = " " * indent
    if is_date:
        return [f"{pad}{key}: {day(text)}"]
    lines = text.split("\n")
    if len(lines) > 1 and _fits_literal_block(lines):
        return [f"{pad}{key}: |-"] + [f"{pad}  {line}" if line else "" for line in lines]
    return [f"{pad}{key}: {scalar(text)}"]


def _fits_literal_block(lines: list[str]) -> bool:
    """A literal block keeps these lines exactly: none starts the block with a space,
    ends in a space, or holds a character that needs an escape."""
    return (
        bool(lines[0])
        and not lines[0][0].isspace()
        and bool(lines[-1])
        and all(line == line.rstrip() and not _NEEDS_ESCAPE.search(line) for line in lines)
        and all("\r" not in line and "\t" not in line for line in lines)
    )


def flow_mapping(pairs: list[tuple[str, str, bool]]) -> str:
    """`{key: value, ...}` for a flow sequence; each pair is (key, text, is_date)."""
    parts = [
        f"{key}: {day(text) if is_date else scalar(text, flow=True)}"
        for key, text, is_date in pairs
    ]
    return "{" + ", ".join(parts) + "}"


Value = int | str | tuple[str, ...] | tuple[tuple[tuple[str, str, bool], ...], ...]


def document(fields: list[tuple[str, Value | None, bool]], first_line: str | None = None) -> str:
    """A file of `key: value` lines in the order given: a value is a whole number, a text, a
    list of texts, or a list of records (each a tuple of (key, text, is_date)); None leaves
    the key out."""
    lines = [] if first_line is None else [first_line]
    for key, value, is_date in fields:
        if value is None or value == ():
            continue
        if isinstance(value, int):  # a number, written as one
            lines.append(f"{key}: {value}")
            continue
        if isinstance(value, str):
            lines += entry(key, value, 0, is_date)
            continue
        lines.append(f"{key}:")
        for item in value:
            if isinstance(item, str):
                lines.append(f"  - {scalar(item)}")
                continue
            body = [line for k, text, d in item for line in entry(k, text, 4, d)]
            body[0] = "  - " + body[0][4:]
            lines += body
    return "\n".join(lines) + "\n"
