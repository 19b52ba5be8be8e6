"""A plan -> the text of a snapshot file (`ragplan snapshot`), checked before it is written."""

from __future__ import annotations

import re

from ..core.dates import DateError, parse_day
from ..core.errors import InputError
from ..core.model import Plan
from ..core.names import name_problem
from ..core.status import ref_key
from ..read.loader import read_snapshot
from . import yamlout

_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


def snapshot_file_problem(name: str) -> str | None:
    """Why `name` cannot name snapshots/NAME.yaml, or None when it can."""
    problem = name_problem(name, "a snapshot name")
    if problem is not None:
        return problem
    if not _FILE_NAME.match(name) or ".." in name:
        return "use letters, digits, '-', '_' and '.' only (no folders)"
    return None


def snapshot_text(plan: Plan, day: str, label: str | None) -> bytes:
    """The snapshot file of `plan` as it stands: one line per action not withdrawn."""
    try:
        parse_day(day, allow_month=False)
    except DateError as error:
        raise InputError(f"--date: {error}") from None
    live = sorted((a for a in plan.actions if a.withdrawn is None), key=lambda a: ref_key(a.ref))
    lines = [f"date: {day}"]
    if label is not None and label.strip():
        lines.append(f"label: {yamlout.scalar(label.strip())}")
    lines.append("ratings:" if live else "ratings: {}")
    lines += [f"  {yamlout.scalar(a.ref)}: {a.rag}" for a in live]
    if live:
        lines.append("deadlines:")
        lines += [f"  {yamlout.scalar(a.ref)}: {yamlout.day(a.deadline.text)}" for a in live]
    risks = sorted((r for r in plan.risks if r.closed is None), key=lambda r: ref_key(r.id))
    if risks:
        lines.append("risks:")
        lines += [f"  {yamlout.scalar(r.id)}: [{r.likelihood}, {r.impact}]" for r in risks]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    keys = tuple(level.key for level in plan.rag_scale)
    written, findings = read_snapshot(data, plan.path / "snapshots" / "new.yaml", keys)
    if written is None or findings or dict(written.ratings) != {a.ref: a.rag for a in live}:
        raise AssertionError(f"the snapshot would not read back: {findings}")  # a bug
    return data
