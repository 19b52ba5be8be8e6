"""What a ref, a risk id or a snapshot name may hold (SPEC 1).

These names reach terminals, Markdown tables, CI annotations and file names, so they
hold no control character, no invisible formatting character (bidirectional
overrides reorder what a reader sees) and no line break, and are at most 64
characters long.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

MAX_NAME = 64
_UNSAFE_CATEGORIES = frozenset(("Cc", "Cf", "Zl", "Zp"))  # controls, format, line/para breaks
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_unsafe_char(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def name_problem(text: str, what: str = "a ref") -> str | None:
    """Why `text` cannot be a ref (or risk id, snapshot name), or None when it can."""
    if text.isascii():
        found = _ASCII_CONTROL.search(text)
        bad = found.group() if found else None
    else:
        bad = next((c for c in text if is_unsafe_char(c)), None)
    if bad is not None:
        kind = "a line break" if bad in "\n\r\x85\u2028\u2029" else "an invisible control character"
        return f"{what} holds {kind} (U+{ord(bad):04X})"
    if len(text) > MAX_NAME:
        return f"{what} is {len(text)} characters long; at most {MAX_NAME} are allowed"
    return None


@functools.cache
def unsafe_class() -> str:
    """A regex character class of every unsafe character, for the JSON Schema."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)) in _UNSAFE_CATEGORIES:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(_char(a) if a == b else f"{_char(a)}-{_char(b)}" for a, b in ranges)


def _char(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)


_NOT_IN_FILE_NAMES = re.compile(r"[^\w.-]+")
_RESERVED = re.compile(r"(?i:con|prn|aux|nul|com\d|lpt\d)\Z")


def file_stem(ref: str) -> str:
    """A file name (without .yaml) made from a ref, safe on every platform:
    `13/14` -> `13-14`, `1.10` -> `1.10`, ` Ofsted rec 3 ` -> `Ofsted-rec-3`."""
    stem = _NOT_IN_FILE_NAMES.sub("-", ref).strip("-.")[:MAX_NAME] or "action"
    return f"{stem}-ref" if _RESERVED.match(stem) else stem
