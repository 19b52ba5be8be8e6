"""`ragplan export --format sqlite|ndjson`: many plans as one table a kind of record
(SPEC 12), assessed and checked as of one day."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import InputError
from ..core.model import Finding
from ..core.status import PlanStatus
from .common import load_plans, require_valid


def database_rows(
    roots: list[Path], day: date, prefix: str | None
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The rows of every table for the plans at or below `roots`, and their plan ids."""
    from ..core.status import assess
    from ..read.places import boundary_of
    from ..rules import Context, run_rules
    from ..sheets.database import plan_id, tables

    statuses: list[PlanStatus] = []
    findings: list[Finding] = []
    ids: dict[Path, str] = {}
    for root in roots:
        loaded = load_plans(root)
        require_valid(loaded)
        findings += list(loaded.findings)
        for plan in loaded.plans:
            status = assess(plan, day)
            statuses.append(status)
            findings += run_rules(plan, Context(day, status, boundary_of(root)))
            pid = plan_id(plan, prefix)
            if pid in ids.values():
                raise InputError(
                    f"two plans would have the id {pid!r} in one database",
                    "give one of them `id:` in its plan.yaml, or export them with --prefix",
                )
            ids[plan.path] = pid
    return tables(statuses, findings, ids), list(ids.values())
