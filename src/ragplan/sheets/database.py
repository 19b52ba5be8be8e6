"""Plans -> one table a kind of record, for SQLite (sqlite-utils) and NDJSON (SPEC 12).

`tables` turns assessed plans into rows (plain values: dates as ISO text, numbers as
numbers, flags as 0 or 1); `write_sqlite` puts them into a database with keys, indexes,
full-text search and the views a national body asks most, replacing only the rows of
the plans exported; `to_ndjson` writes the same rows as lines. No value is ever
formatted into SQL: sqlite-utils and sqlite3 bind every one (the only names written
into a statement are this module's own tables and columns).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import InputError
from ..core.measures import assess_measure
from ..core.model import Finding, Plan
from ..core.status import PlanStatus

SCHEMA_VERSION = 1
Row = dict[str, Any]

# Each table: its columns (name -> type) and primary key, in the order they are made.
TABLES: dict[str, tuple[dict[str, type], tuple[str, ...]]] = {
    "plans": (
        {
            "id": str, "title": str, "organisation": str, "path": str, "start": str,
            "as_of": str, "baseline": str, "baseline_date": str, "actions": int,
            "overdue": int, "overdue_unexplained": int, "stale": int,
        },
        ("id",),
    ),
    "actions": (
        {
            "plan_id": str, "ref": str, "title": str, "theme": str, "source": str,
            "lead": str, "strategic_lead": str, "start": str, "deadline": str,
            "deadline_text": str, "revised_deadline": str, "revisions": int, "rating": str,
            "rating_label": str, "rating_before": str, "arrow": str, "state": str,
            "overdue": int, "explained": int, "stale": int, "due_soon": int,
            "last_update": str, "completed": str, "outcome": str, "withdrawn": str,
            "withdrawn_reason": str, "file": str,
        },
        ("plan_id", "ref"),
    ),
    "updates": (
        {
            "plan_id": str, "ref": str, "seq": int, "date": str, "note": str,
            "explanation": str, "revised_deadline": str,
        },
        ("plan_id", "ref", "seq"),
    ),
    "evidence": (
        {"plan_id": str, "ref": str, "seq": int, "description": str, "link": str, "date": str},
        ("plan_id", "ref", "seq"),
    ),
    "measures": (
        {
            "plan_id": str, "ref": str, "seq": int, "measure_id": str, "name": str,
            "unit": str, "better": str, "baseline_date": str, "baseline_value": float,
            "target_date": str, "target_value": float, "state": str,
        },
        ("plan_id", "ref", "seq"),
    ),
    "readings": (
        {
            "plan_id": str, "ref": str, "measure_seq": int, "seq": int, "date": str,
            "value": float,
        },
        ("plan_id", "ref", "measure_seq", "seq"),
    ),
    "risks": (
        {
            "plan_id": str, "id": str, "title": str, "category": str, "owner": str,
            "opened": str, "likelihood": int, "impact": int, "score": int, "level": str,
            "target_likelihood": int, "target_impact": int, "target_by": str,
            "controls": str, "responses": str, "outcome": str, "closed": str,
            "closed_reason": str, "review_overdue": int, "target_missed": int,
        },
        ("plan_id", "id"),
    ),
    "reviews": (
        {"plan_id": str, "risk_id": str, "seq": int, "date": str, "note": str},
        ("plan_id", "risk_id", "seq"),
    ),
    "snapshots": (
        {"plan_id": str, "name": str, "date": str, "label": str},
        ("plan_id", "name"),
    ),
    "snapshot_ratings": (
        {"plan_id": str, "snapshot": str, "ref": str, "rating": str},
        ("plan_id", "snapshot", "ref"),
    ),
    "findings": (
        {
            "plan_id": str, "seq": int, "rule": str, "severity": str, "ref": str,
            "file": str, "line": int, "message": str,
        },
        ("plan_id", "seq"),
    ),
    # with --history: the commits that changed action files, and every version of every
    # action in them (as simonw/git-history's item_version: its item, its version number,
    # its commit, the columns that changed, and the values)
    "commits": (
        {"hash": str, "author": str, "date": str, "message": str},
        ("hash",),
    ),
    "action_versions": (
        {
            "plan_id": str, "ref": str, "_version": int, "_commit": str, "date": str,
            "author": str, "changed": str, "title": str, "rating": str, "deadline": str,
            "lead": str, "theme": str, "updates": int, "evidence": int, "withdrawn": str,
            "deleted": int, "file": str,
        },
        ("plan_id", "ref", "_version"),
    ),
}  # fmt: skip
SHARED = frozenset(("commits",))  # rows of many plans: kept, replaced by hash
INDEXES = {"actions": ("rating", "lead", "theme", "deadline", "overdue")}
SEARCHED = {"actions": ("title", "outcome"), "updates": ("note", "explanation")}
VIEWS = {
    "overdue_unexplained": (
        "select plan_id, ref, title, lead, deadline, last_update from actions "
        "where overdue = 1 and explained = 0 order by plan_id, deadline"
    ),
    "ratings_down_since_baseline": (
        "select plan_id, ref, title, lead, rating_before, rating from actions "
        "where arrow = '↓' order by plan_id, ref"
    ),
    "actions_by_lead": (
        "select lead, plan_id, count(*) as actions, sum(rating = 'red') as red, "
        "sum(overdue) as overdue, sum(overdue = 1 and explained = 0) as overdue_unexplained "
        "from actions where state != 'withdrawn' group by lead, plan_id "
        "order by red desc, overdue desc"
    ),
}


def plan_id(plan: Plan, prefix: str | None) -> str:
    """A plan's id across councils: plan.yaml's `id:`, else its folder's name, after
    `prefix/` when one is given."""
    own = plan.id or Path(plan.path).name
    return f"{prefix}/{own}" if prefix else own


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def tables(
    statuses: Iterable[PlanStatus], findings: Iterable[Finding], ids: Mapping[Path, str]
) -> dict[str, list[Row]]:
    """Every row of every table, for these plans assessed on one day."""
    rows: dict[str, list[Row]] = {name: [] for name in TABLES}
    for status in statuses:
        plan, pid = status.plan, ids[status.plan.path]
        baseline = status.baseline
        tally = status.tally()
        rows["plans"].append(
            {
                "id": pid, "title": plan.title, "organisation": plan.organisation,
                "path": str(plan.path), "start": _day(plan.start),
                "as_of": status.today.isoformat(),
                "baseline": baseline.name if baseline else None,
                "baseline_date": _day(baseline.on) if baseline else None,
                "actions": len(status.actions), "overdue": tally.overdue,
                "overdue_unexplained": tally.unexplained, "stale": tally.stale,
            }
        )  # fmt: skip
        for s in status.actions:
            a = s.action
            change = s.change
            rows["actions"].append(
                {
                    "plan_id": pid, "ref": a.ref, "title": a.title, "theme": a.theme,
                    "source": a.source, "lead": "; ".join(a.leads),
                    "strategic_lead": a.strategic_lead, "start": _day(a.start),
                    "deadline": _day(a.deadline.due), "deadline_text": a.deadline.text,
                    "revised_deadline": _day(s.revised_deadline), "revisions": s.revisions,
                    "rating": a.rag, "rating_label": plan.level(a.rag).label,
                    "rating_before": change.before if change else None,
                    "arrow": change.arrow.value if change else None,
                    "state": s.state.value, "overdue": int(s.is_overdue),
                    "explained": int(s.is_explained), "stale": int(s.is_stale),
                    "due_soon": int(s.is_due_soon), "last_update": _day(s.last_activity),
                    "completed": _day(a.completed), "outcome": a.outcome,
                    "withdrawn": _day(a.withdrawn.on) if a.withdrawn else None,
                    "withdrawn_reason": a.withdrawn.reason if a.withdrawn else None,
                    "file": str(a.path),
                }
            )  # fmt: skip
            for seq, u in enumerate(a.updates, 1):
                rows["updates"].append(
                    {
                        "plan_id": pid, "ref": a.ref, "seq": seq, "date": _day(u.on),
                        "note": u.note, "explanation": u.explanation,
                        "revised_deadline": _day(u.revised_deadline.value)
                        if u.revised_deadline else None,
                    }
                )  # fmt: skip
            for seq, e in enumerate(a.evidence, 1):
                rows["evidence"].append(
                    {
                        "plan_id": pid, "ref": a.ref, "seq": seq, "description": e.description,
                        "link": e.link, "date": _day(e.on),
                    }
                )  # fmt: skip
            for seq, m in enumerate(a.counted, 1):
                state = assess_measure(a, m, status.today).state.value
                rows["measures"].append(
                    {
                        "plan_id": pid, "ref": a.ref, "seq": seq, "measure_id": m.id,
                        "name": m.name, "unit": m.unit,
                        "better": "higher" if m.higher_is_better else "lower",
                        "baseline_date": _day(m.baseline.on), "baseline_value": m.baseline.value,
                        "target_date": _day(m.target.on), "target_value": m.target.value,
                        "state": state,
                    }
                )  # fmt: skip
                for n, r in enumerate(m.readings, 1):
                    rows["readings"].append(
                        {
                            "plan_id": pid, "ref": a.ref, "measure_seq": seq, "seq": n,
                            "date": _day(r.on), "value": r.value,
                        }
                    )  # fmt: skip
        for risk_status in status.risks:
            risk = risk_status.risk
            target = risk.target
            rows["risks"].append(
                {
                    "plan_id": pid, "id": risk.id, "title": risk.title,
                    "category": risk.category, "owner": "; ".join(risk.owners),
                    "opened": _day(risk.opened), "likelihood": risk.likelihood,
                    "impact": risk.impact, "score": risk.score, "level": risk_status.level.key,
                    "target_likelihood": target[0] if target else None,
                    "target_impact": target[1] if target else None,
                    "target_by": _day(target[2]) if target else None,
                    "controls": risk.controls, "responses": "; ".join(risk.responses),
                    "outcome": risk.outcome,
                    "closed": _day(risk.closed[0]) if risk.closed else None,
                    "closed_reason": risk.closed[1] if risk.closed else None,
                    "review_overdue": int(risk_status.review_overdue),
                    "target_missed": int(risk_status.target_missed),
                }
            )  # fmt: skip
            for seq, review in enumerate(risk.reviews, 1):
                rows["reviews"].append(
                    {
                        "plan_id": pid, "risk_id": risk.id, "seq": seq,
                        "date": _day(review.on), "note": review.note,
                    }
                )  # fmt: skip
        for snapshot in plan.snapshots:
            rows["snapshots"].append(
                {
                    "plan_id": pid, "name": snapshot.name, "date": _day(snapshot.on),
                    "label": snapshot.label,
                }
            )  # fmt: skip
            rows["snapshot_ratings"] += [
                {"plan_id": pid, "snapshot": snapshot.name, "ref": ref, "rating": rag}
                for ref, rag in dict(snapshot.ratings).items()
            ]
    for seq, finding in enumerate(findings, 1):
        if finding.plan is None or finding.plan not in ids:
            continue
        rows["findings"].append(
            {
                "plan_id": ids[finding.plan], "seq": seq, "rule": finding.rule,
                "severity": finding.severity.value, "ref": finding.ref,
                "file": str(finding.where.path),
                "line": finding.where.line if finding.has_line else None,
                "message": finding.message,
            }
        )  # fmt: skip
    return rows


def to_ndjson(rows: Mapping[str, list[Row]]) -> bytes:
    """One JSON object a row, with its table's name under `table`, table by table."""
    lines = [
        json.dumps({"table": name, **row}, ensure_ascii=False)
        for name in TABLES
        for row in rows.get(name, ())
    ]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def write_sqlite(path: Path, rows: Mapping[str, list[Row]], plan_ids: Iterable[str]) -> None:
    """Put the rows into the database at `path` (made when absent), in place of any rows
    of the same plans, leaving every other plan's rows as they are. The new database is
    made beside the old one and renamed over it: a reader sees the old rows or the new,
    never half of them, and an interrupted export leaves the old file whole."""
    import sqlite_utils  # here: only this export needs it

    ids = list(plan_ids)
    if path.is_dir():
        raise InputError(f"{path} is a folder", "give a file name, e.g. -o plans.db")
    try:
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InputError(
            f"{path.parent}: cannot write here ({error.strerror})",
            "give a file in a folder that exists and can be written",
        ) from None
    os.close(fd)
    temp = Path(temp_name)
    try:
        if path.exists():
            check_database(path)
            shutil.copyfile(path, temp)
        else:
            temp.unlink()
        db = sqlite_utils.Database(temp)
        # the copy is made durable once, at the end, before it is renamed into place:
        # syncing each batch of rows on the way would take longer than all the rest
        db.execute("pragma synchronous = off")
        db.execute("pragma journal_mode = memory")
        _make_schema(db)
        for name in TABLES:
            table = db[name]
            if name in SHARED:
                table.insert_all(rows.get(name, ()), replace=True)  # type: ignore[union-attr]
                continue
            if ids:
                marks = ", ".join("?" for _ in ids)
                column = "id" if name == "plans" else "plan_id"
                db.execute(f"delete from [{name}] where [{column}] in ({marks})", ids)
            table.insert_all(rows.get(name, ()), batch_size=1000)  # type: ignore[union-attr]
        for name in SEARCHED:
            db[name].rebuild_fts()  # type: ignore[union-attr]
        db.conn.commit()
        db.conn.close()
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except sqlite3.DatabaseError as error:
        raise InputError(
            f"{path}: not a database ragplan can write ({error})",
            "give a new file name, or the file an earlier `ragplan export --format sqlite` made",
        ) from None
    finally:
        temp.unlink(missing_ok=True)


def check_database(path: Path, must_exist: bool = False) -> None:
    """Refuse a file that is not a ragplan database, or one of a newer schema
    (`must_exist`: an empty database is refused too)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {row[0] for row in connection.execute("select name from sqlite_master")}
            version = None
            if "ragplan_meta" in names:
                found = connection.execute(
                    "select value from ragplan_meta where key = 'schema_version'"
                ).fetchone()
                version = int(found[0]) if found else None
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise InputError(
            f"{path} is not a SQLite database, so ragplan will not write into it",
            "give a new file name, or the file an earlier `ragplan export --format sqlite` made",
        ) from None
    if (names or must_exist) and version is None:
        raise InputError(
            f"{path} is a SQLite database that ragplan did not make, so it is left as it is",
            "export into a new file",
        )
    if version is not None and version > SCHEMA_VERSION:
        raise InputError(
            f"{path} was made by a newer ragplan (schema {version}; this one writes "
            f"{SCHEMA_VERSION})",
            "export with that newer ragplan, or into a new file",
        )


def _make_schema(db: Any) -> None:
    """The tables, keys, indexes, full-text search and views, where not made yet."""
    if "ragplan_meta" not in db.table_names():
        db["ragplan_meta"].insert_all(
            [{"key": "schema_version", "value": str(SCHEMA_VERSION)}], pk="key"
        )
    for name, (columns, pk) in TABLES.items():
        if name in db.table_names():
            continue
        keys = [] if name == "plans" or name in SHARED else [("plan_id", "plans", "id")]
        if name == "action_versions":
            keys.append(("_commit", "commits", "hash"))
        db[name].create(columns, pk=pk if len(pk) > 1 else pk[0], foreign_keys=keys)
        for column in INDEXES.get(name, ()):
            db[name].create_index([column])
    for name, searched in SEARCHED.items():
        if f"{name}_fts" not in db.table_names():
            db[name].enable_fts(list(searched))  # rebuilt after each export's rows
    for name, sql in VIEWS.items():
        db.create_view(name, sql, replace=True)


_VERSIONED = ("title", "rating", "deadline", "lead", "theme", "updates", "evidence", "withdrawn")


def version_rows(pid: str, versions: Iterable[tuple[Any, str, str, bool, Any]]) -> list[Row]:
    """action_versions rows from (commit, path, ref, deleted, action) in commit order:
    each row holds the values then and which of them changed since the version before."""
    rows: list[Row] = []
    last: dict[str, Row] = {}
    for commit, path, ref, deleted, action in versions:
        if deleted:
            values = {**last.get(ref, {}), "deleted": 1}
        elif action is None:
            continue  # a version that cannot be read is left out
        else:
            values = {
                "title": action.title, "rating": action.rag,
                "deadline": action.deadline.text, "lead": "; ".join(action.leads),
                "theme": action.theme, "updates": len(action.updates),
                "evidence": len(action.evidence),
                "withdrawn": _day(action.withdrawn.on) if action.withdrawn else None,
                "deleted": 0,
            }  # fmt: skip
        before = last.get(ref)
        changed = [
            key
            for key in (*_VERSIONED, "deleted")
            if before is None or before.get(key) != values.get(key)
        ]
        version = (before or {}).get("_version", 0) + 1
        row = {
            "plan_id": pid, "ref": ref, "_version": version, "_commit": commit.sha,
            "date": commit.when, "author": commit.author, "changed": json.dumps(changed),
            **{key: values.get(key) for key in _VERSIONED}, "deleted": values.get("deleted", 0),
            "file": path,
        }  # fmt: skip
        rows.append(row)
        last[ref] = {**values, "_version": version}
    return rows
