"""Findings as text lines, JSON (SPEC 2) and GitHub workflow commands: one function each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..core.model import Finding, Severity
from ..core.status import ref_key
from .words import clean, one_line


def sort_key(finding: Finding) -> tuple[Any, int, int, str]:
    """File in natural order (1a.yaml before 10a.yaml), then line, column and rule."""
    where = finding.where
    return (ref_key(str(where.path)), where.line, where.column, finding.rule)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings in sort_key's order; two files whose names sort as one (1a.yaml,
    1A.yaml) interleave by line, then go by their names' characters."""
    return sorted(findings, key=lambda f: (*sort_key(f), str(f.where.path)))


_LEVEL = {severity: severity.value for severity in Severity}  # a lookup, not enum's


def text_line(finding: Finding, hints: dict[str, str] | None = None) -> str:
    """`path:line:col: error [rule] message — hint`, as yamllint's parsable format.
    `hints`: each hint's text as written already (most findings share a few hints)."""
    where = finding.where
    hint = finding.hint
    if hint:
        shown = None if hints is None else hints.get(hint)
        if shown is None:
            shown = f" — {one_line(hint)}"
            if hints is not None:
                hints[hint] = shown
    else:
        shown = ""
    return (
        f"{clean(str(where.path))}:{where.line}:{where.column}: {_LEVEL[finding.severity]} "
        f"[{finding.rule}] {one_line(finding.message)}{shown}"
    )


def tally(findings: Sequence[Finding]) -> dict[Severity, int]:
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def summary_line(findings: Sequence[Finding], files: int) -> str:
    counts = tally(findings)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (
        f"{plural(counts[Severity.ERROR], 'error')}, "
        f"{plural(counts[Severity.WARNING], 'warning')}, "
        f"{counts[Severity.INFO]} info in {plural(files, 'file')}"
    )


def render_text(findings: Sequence[Finding], files: int) -> str:
    hints: dict[str, str] = {}
    lines = [text_line(f, hints) for f in findings]
    lines.append(summary_line(findings, files))
    return "\n".join(lines) + "\n"


def finding_record(finding: Finding) -> dict[str, object]:
    where = finding.where
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "plan": None if finding.plan is None else str(finding.plan),
        "ref": finding.ref,
        "file": str(where.path),
        "line": where.line if finding.has_line else None,
        "column": where.column if finding.has_line else None,
        "message": finding.message,
        "hint": finding.hint,
    }


def render_json(findings: Sequence[Finding], files: int) -> str:
    counts = tally(findings)
    document = {
        "findings": [finding_record(f) for f in findings],
        "errors": counts[Severity.ERROR],
        "warnings": counts[Severity.WARNING],
        "infos": counts[Severity.INFO],
        "files": files,
    }
    import json

    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(findings: Sequence[Finding], files: int) -> str:
    """GitHub Actions workflow commands, escaped so that no text can forge another command."""
    lines = []
    for f in findings:
        where = f.where
        place = f"file={_escape_property(str(where.path))}"
        if f.has_line:
            place += f",line={where.line},col={where.column}"
        title = _escape_property(f"{f.rule}" + (f" ({f.ref})" if f.ref else ""))
        message = f.message + (f" — {f.hint}" if f.hint else "")
        lines.append(
            f"::{_GITHUB_LEVEL[f.severity]} {place},title={title}::{_escape_data(clean(message))}"
        )
    lines.append(summary_line(findings, files))
    return "\n".join(lines) + "\n"


def render_github_summary(findings: Sequence[Finding], files: int) -> str:
    """The full list as Markdown for $GITHUB_STEP_SUMMARY (annotations stop at 10 a step)."""
    from .status_markdown import cell

    lines = ["## ragplan check", "", summary_line(findings, files), ""]
    if findings:
        lines += ["| Severity | Rule | Where | Ref | Finding |", "| --- | --- | --- | --- | --- |"]
        for f in findings:
            where = f"{f.where.path}:{f.where.line}" if f.has_line else str(f.where.path)
            message = f.message + (f" — {f.hint}" if f.hint else "")
            lines.append(
                f"| {f.severity.value} | {f.rule} | {cell(where)} | "
                f"{cell(f.ref or '')} | {cell(message)} |"
            )
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Sequence[Finding], int], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
