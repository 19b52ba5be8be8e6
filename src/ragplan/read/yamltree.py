"""Bytes -> a tree of scalars, mappings and sequences with 1-based positions.

Built from libyaml's event stream, not a composer, so that:
- every scalar stays the text written (`1.10` is "1.10", `no` is "no");
- anchors, aliases, tags and directives are refused at the first event, before
  anything is built (YAML bombs, object injection);
- nesting is bounded by a counter, not the Python stack;
- duplicate keys are found, with the position of the second one.

CRLF line ends are read as LF (libyaml reads them so). Any other line break (a lone
CR, NEL, U+2028, U+2029), which libyaml also takes as one, is an error at its place:
a diff view that splits on LF alone would show a hidden key on the line before.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from yaml._yaml import CParser

from ..core.model import Finding, Location, Severity
from .yamlnodes import Mapping, Node, Scalar, Sequence

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 8  # an action needs 4: file > updates > update > text
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_ODD_BREAK = re.compile("[\r\x85\u2028\u2029]")
_BREAK_NAMES = {"\r": "a carriage return (CR) alone", "\x85": "a NEL (U+0085)"}

_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "text that contains ': ' must be put in quotes; "
        "otherwise check the indentation of this line",
    ),
    ("found character '\\t'", "indent with spaces, not tabs"),
    (
        "could not find expected ':'",
        "each line needs the form `key: value`; check the indentation "
        "of this line and the one before",
    ),
    (
        "did not find expected key",
        "check the indentation: keys of one block line up, and list items start with '- '",
    ),
    ("did not find expected '-' indicator", "list items line up and start with '- '"),
    ("expected <block end>", "check the indentation of this line against the lines above"),
    (
        "unknown escape character",
        "in double quotes write a backslash as \\\\, or use single quotes",
    ),
    ("control characters are not allowed", "remove the invisible control character"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
)


def _finding(
    path: Path,
    line: int,
    column: int,
    rule: str,
    message: str,
    hint: str | None,
    has_line: bool = True,
) -> Finding:
    return Finding(
        rule, Severity.ERROR, message, Location(path, line, column), hint, has_line=has_line
    )


def decode(data: bytes, path: Path) -> tuple[str | None, Finding | None]:
    """The file's text (BOM removed), or a finding saying why it cannot be read."""
    if len(data) > MAX_BYTES:
        return None, _finding(
            path,
            1,
            1,
            "file-too-large",
            f"the file is {len(data):,} bytes; plan files are at most 1 MiB",
            "split long notes into several updates, or link to a document as evidence",
            has_line=False,
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", "replace")) + 1
        return None, _finding(
            path,
            line,
            column,
            "encoding",
            f"byte 0x{data[error.start]:02x} is not UTF-8 text",
            "save the file as UTF-8 (in Excel or Notepad: Save As, encoding UTF-8)",
        )
    if "\r" in text or not text.isascii():
        text = text.replace("\r\n", "\n")
        odd = _ODD_BREAK.search(text)
        if odd is not None:
            line = text.count("\n", 0, odd.start()) + 1
            column = odd.start() - text.rfind("\n", 0, odd.start())
            name = _BREAK_NAMES.get(odd.group(), f"U+{ord(odd.group()):04X}, a line separator")
            return None, _finding(
                path,
                line,
                column,
                "line-break",
                f"this line holds {name}, which YAML reads as a line break that many "
                "editors and diff views do not show",
                "delete it, or start a new line with Enter; plan files use LF or CRLF line ends",
            )
    return text, None


def parse(data: bytes, path: Path) -> tuple[Node | None, list[Finding]]:
    """The file's one document as a tree, and every problem found on the way."""
    text, problem = decode(data, path)
    if text is None:
        assert problem is not None
        return None, [problem]
    return parse_text(text, path)


def parse_text(text: str, path: Path) -> tuple[Node | None, list[Finding]]:
    """What `parse` gives for decoded text (PyYAML is imported here: a command whose
    files are all read by fastread never loads it)."""
    import yaml
    from yaml._yaml import CParser  # the C parser: SPEC 6 needs it (see pyproject)

    findings: list[Finding] = []
    parser = CParser(text)
    try:
        root = _build(parser, path, findings)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem_text = error.problem or error.context or "not valid YAML"
        if "maximum nesting depth" in problem_text:  # libyaml's own bound, met first
            findings.append(_too_deep(path, *_deep_at(text, (line, column))))
            return None, findings
        hint = next(
            (h for key, h in _SYNTAX_HINTS if key in problem_text),
            "check quotes and indentation near here",
        )
        if mark is not None and "\t" in _line(text, mark.line)[: mark.column + 1]:
            hint = "indent with spaces, not tabs"
        findings.append(_finding(path, line, column, "yaml-syntax", problem_text, hint))
        return None, findings
    except yaml.YAMLError as error:  # a reader error without a mark
        findings.append(_finding(path, 1, 1, "yaml-syntax", str(error), None))
        return None, findings
    finally:
        parser.dispose()
    return root, findings


def _too_deep(path: Path, line: int, column: int) -> Finding:
    return _finding(
        path,
        line,
        column,
        "too-deep",
        f"values are nested more than {MAX_DEPTH} deep",
        "plan files need at most 4 levels; check the indentation",
    )


def _deep_at(text: str, otherwise: tuple[int, int]) -> tuple[int, int]:
    """Where brackets open past MAX_DEPTH under a top-level key (as _build finds it when
    libyaml gives it the events), for a text too deep for libyaml itself (recent
    versions stop at 1,000 levels while looking ahead, before any event): the same
    finding whatever libyaml's version. `otherwise`: libyaml's own position."""
    depth = 0
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        for column, character in enumerate(line, start=1):
            if character in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return number, column
            elif character in "]}":
                depth = max(depth - 1, 0)
            elif character in "'\"#":  # quoted text or a comment: not counted
                break
    return otherwise


def _line(text: str, index: int) -> str:
    """Line `index` (0-based) as YAML counts lines, or "" past the end."""
    lines = _LINE_BREAK.split(text)
    return lines[index] if 0 <= index < len(lines) else ""


def _build(parser: CParser, path: Path, findings: list[Finding]) -> Node | None:
    """Walk the events once, building nodes; stop at the first unsafe construct."""
    import yaml

    get_event = parser.get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    stack: list[Mapping | Sequence] = []
    parent: Mapping | Sequence | None = None
    key: Scalar | None = None  # the pending key of `parent`, when it is a mapping
    keys: list[Scalar | None] = []  # pending keys of the containers below `parent`
    seen: set[str] = set()  # keys of `parent`, when it is a mapping
    seens: list[set[str]] = []
    root: Node | None = None
    documents = 0
    while True:
        event: Any = get_event()  # libyaml's events carry untyped attributes
        kind = type(event)
        if kind is scalar_event or kind is mapping_start or kind is sequence_start:
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            if event.anchor is not None or event.tag is not None:
                findings.append(_unsafe(path, line, column, event))
                return None
            node: Node
            if kind is scalar_event:
                end = event.end_mark
                style = event.style or None
                node = Scalar(
                    event.value, not style, line, column, style, end.line + 1, end.column + 1
                )
            elif kind is mapping_start:
                node = Mapping(line, column, bool(event.flow_style))
            else:
                node = Sequence(line, column, bool(event.flow_style))
            if parent is None:
                root = node
            elif type(parent) is Sequence:
                parent.items.append(node)
            elif key is None:  # `node` is a key of `parent`
                if type(node) is not Scalar:
                    findings.append(
                        _finding(
                            path,
                            line,
                            column,
                            "schema",
                            "a key must be a plain word",
                            "write `key: value`",
                        )
                    )
                    return None
                if node.text in seen or (node.text == "<<" and node.is_plain):
                    if node.text == "<<":
                        findings.append(
                            _finding(
                                path,
                                line,
                                column,
                                "unsafe-yaml",
                                "merge keys ('<<') are not allowed",
                                "write the keys out in full",
                            )
                        )
                        return None
                    findings.append(
                        _finding(
                            path,
                            line,
                            column,
                            "duplicate-key",
                            f"'{node.text}' is given twice in this mapping",
                            "keep one of them; the other would be silently lost",
                        )
                    )
                    key = Scalar("", False, line, column)  # its value is dropped
                    key.column = 0
                else:
                    seen.add(node.text)
                    key = node
                continue
            else:
                if key.column:
                    cast(Mapping, parent).pairs.append((key, node))
                key = None
            if kind is not scalar_event:
                if len(stack) >= MAX_DEPTH:
                    findings.append(_too_deep(path, line, column))
                    return None
                if parent is not None:
                    stack.append(parent)
                    keys.append(key)
                    seens.append(seen)
                parent, key, seen = cast(Mapping | Sequence, node), None, set()
        elif kind is mapping_end or kind is sequence_end:
            if parent is not None:
                parent.end_line = event.end_mark.line + 1
                parent.end_column = event.end_mark.column + 1
            if stack:
                parent, key, seen = stack.pop(), keys.pop(), seens.pop()
            else:
                parent = None
        elif kind is alias_event:
            mark = event.start_mark
            findings.append(_unsafe(path, mark.line + 1, mark.column + 1, event))
            return None
        elif kind is document_start:
            documents += 1
            mark = event.start_mark
            if event.version is not None or event.tags:
                findings.append(
                    _finding(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        "unsafe-yaml",
                        "YAML directives ('%YAML', '%TAG') are not allowed",
                        "delete the line that starts with '%'",
                    )
                )
                return None
            if documents > 1:
                findings.append(
                    _finding(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        "yaml-syntax",
                        "the file holds more than one YAML document",
                        "keep one action per file; remove the '---' line",
                    )
                )
                return None
        elif kind is stream_end:
            return root


def _unsafe(path: Path, line: int, column: int, event: Any) -> Finding:
    import yaml

    if type(event) is yaml.AliasEvent:
        return _finding(
            path,
            line,
            column,
            "unsafe-yaml",
            f"alias '*{event.anchor}' is not allowed",
            "write the value out in full; plan files use no anchors or aliases",
        )
    if event.anchor is not None:
        return _finding(
            path,
            line,
            column,
            "unsafe-yaml",
            f"anchor '&{event.anchor}' is not allowed",
            "write the value out in full; plan files use no anchors or aliases",
        )
    return _finding(
        path,
        line,
        column,
        "unsafe-yaml",
        f"tag '{event.tag}' is not allowed",
        "remove the tag; to keep a value as text, put it in quotes",
    )
