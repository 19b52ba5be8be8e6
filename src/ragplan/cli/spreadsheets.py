"""`ragplan import` and `ragplan export`: spreadsheet trackers in and out (SPEC 7)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.errors import InputError
from .app import TodayOpt, app, day_option, resolve_today

if TYPE_CHECKING:
    from ..core.model import Plan
    from ..sheets.importing import Draft, Problem


def _mapping(pairs: list[str]) -> dict[str, str]:
    from ..sheets.importing import FIELDS, normalise

    mapping = {}
    for pair in pairs:
        header, _, name = pair.rpartition("=")
        name = name.strip().lower().replace("-", "_")
        if not header.strip() or name not in FIELDS:
            raise InputError(
                f"--map {pair!r}: write 'Column header=field'",
                "fields: " + ", ".join(FIELDS),
            )
        mapping[normalise(header)] = name
    return mapping


@app.command("import")
def import_tracker(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A tracker: .csv or .xlsx.")],
    into: Annotated[
        Path | None,
        typer.Option(
            "--into", metavar="PLAN", help="The plan folder (default: plans/<file name>)."
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="The worksheet (xlsx).")
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option("--header-row", metavar="N", help="The header's row number (default: found)."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map", metavar="'HEADER=field'", help="Map one column, e.g. 'Notes=ignore'."
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="YYYY-MM-DD", help="What `3 months` counts from."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="The date of the progress column."),
    ] = None,
    default_rag: Annotated[
        str | None, typer.Option("--default-rag", metavar="KEY", help="For rows with no rating.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing: print the report and the files.")
    ] = False,
    skip_incomplete: Annotated[
        bool, typer.Option("--skip-incomplete", help="Write the usable rows, list the rest.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace existing action files.")] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Re-import an edited export: a changed rating, progress or revised deadline "
            "becomes an update of the existing action; nothing is deleted.",
        ),
    ] = False,
    add_new: Annotated[
        bool, typer.Option("--add-new", help="With --update: create actions for unknown refs.")
    ] = False,
    today: TodayOpt = None,
) -> None:
    """Turn a spreadsheet tracker into action files: header found, columns mapped by
    name, merged cells filled down, dates and ratings read as trackers write them.

    All or nothing: if any row lacks a ref, action, lead, deadline or rating, nothing is
    written (exit 2) and every unusable cell is listed by its address."""
    from ..core.model import Plan
    from ..core.names import file_stem
    from ..sheets.importing import Options, convert, rating_key
    from ..sheets.workbook import read

    grid = read(file, sheet)
    folder = into if into is not None else Path("plans") / file_stem(file.stem)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--into {folder}: a file, not a plan folder", "give a folder")
    plan = _existing_plan(folder) or Plan(title=grid.name, path=folder)
    if default_rag is not None and rating_key(default_rag, plan) is None:
        keys = ", ".join(level.key for level in plan.rag_scale)
        raise InputError(f"--default-rag {default_rag!r} is not a rating", f"use one of {keys}")
    from ..sheets.importing import risk_header

    header_at = risk_header(grid) if header_row is None else None
    if header_at is not None:
        _import_risks(file, grid, header_at, folder, plan, dry_run, force)
        return
    options = Options(
        today=resolve_today(today),
        start=None if start is None else day_option("--start", start),
        as_of=None if as_of is None else day_option("--as-of", as_of),
        default_rag=default_rag,
        header_row=header_row,
        mapping=_mapping(mapping or []),
    )
    try:
        result = convert(grid, plan, options)
    except LookupError:
        raise InputError(
            f"{file}: no header row found (a row naming the action column and two others)",
            "give its row number with --header-row N, or name columns with --map",
        ) from None
    if not result.drafts and not result.problems:
        raise InputError(
            f"{file}: no action rows under the header on row {result.header_row}",
            "check the sheet (--sheet NAME) and the header row (--header-row N)",
        )
    if update:
        on = (options.as_of or options.today).isoformat()
        _update(file, folder, result, options.today, on, dry_run, add_new)
        return
    from ..sheets.importing import similar_names

    problems = [*result.problems, *similar_names(result.drafts)]
    drafts = _checked(result.drafts, plan, folder, force, problems)
    blocked = sorted({p.where for p in problems if p.is_blocking})
    lines = [
        f"{file}: sheet {grid.name!r}, header on row {result.header_row}; columns: "
        + ", ".join(f"{header.strip()!r} -> {name}" for header, name in result.columns),
    ]
    lines += [f"  column {header.strip()!r} not imported: {why}" for header, why in result.ignored]
    lines += [f"  {p.where}: {p.message} — {p.hint}" for p in problems]
    lines.append(f"Progress becomes an update {result.progress_date}.")
    if blocked and not skip_incomplete:
        lines.append(
            f"Nothing was written: {len(blocked)} problem(s) block rows (listed above). Fix "
            "them, or use --skip-incomplete to write the other rows."
        )
        typer.echo("\n".join(lines))
        raise typer.Exit(2)
    if not drafts:  # every row refused: nothing to write is no success
        lines.append(
            f"Nothing was written: none of the rows can be imported ({len(blocked)} "
            "problem(s), listed above)."
        )
        typer.echo("\n".join(lines))
        raise typer.Exit(2)
    plan_file = folder / "plan.yaml"
    verb = "Would write" if dry_run else "Wrote"
    lines.append(f"{verb} {len(drafts)} action file(s) to {folder / 'actions'}:")
    lines += [f"  {folder / 'actions' / (d.stem + '.yaml')} (row {d.row})" for d in drafts]
    if not plan_file.exists():
        lines.append(f"  {plan_file} (title {result.title!r})")
    if not dry_run:
        _write(folder, drafts, result.title, options.start, force)
    typer.echo("\n".join(lines))


def _update(file: Path, folder: Path, result, today, on, dry_run: bool, add_new: bool) -> None:  # type: ignore[no-untyped-def]
    """`import --update`: each changed row becomes an update through `ragplan update`'s
    checked, atomic writer; unknown refs are reported (or created with --add-new)."""
    from ..commands.common import load_plans, require_valid
    from ..commands.targets import read_target
    from ..core.status import assess
    from ..sheets.importing import revise
    from ..write.atomic import plan_lock, replace_file
    from ..write.authoring import UpdateRequest, edit_action

    if not (folder / "plan.yaml").is_file():
        raise InputError(f"--update needs an existing plan: {folder} has no plan.yaml",
                         "give the plan with --into PLAN")  # fmt: skip
    lines = [f"{file}: compared with {folder}, row by row"]
    lines += [f"  {p.where}: {p.message} — {p.hint}" for p in result.problems]
    with plan_lock(folder):
        loaded = load_plans(folder)
        require_valid(loaded)
        (plan,) = loaded.plans
        statuses = {s.ref: s for s in assess(plan, today).actions}
        from ..read.loader import Source
        from ..read.places import boundary_of

        source = Source(boundary_of(folder))
        pending = []
        unknown = []
        for draft in result.drafts:
            status = statuses.get(draft.ref)
            if status is None:
                unknown.append(draft)
                continue
            revision = revise(draft, status, plan, file.name, on)
            if revision is None:
                continue
            for name, was, now in revision.changes:
                lines.append(f"  {draft.ref} (row {draft.row}): {name}: {was or '(none)'} -> {now}")
            if revision.ignored:
                lines.append(
                    f"  {draft.ref} (row {draft.row}): {', '.join(revision.ignored)} differ"
                    " from the file; not changed (edit the action file for those)"
                )
            if revision.changes:
                pending.append((status, revision))
        for draft in unknown:
            lines.append(
                f"  row {draft.row}: {draft.ref} is not in the plan"
                + ("; created" if add_new else "; not created (--add-new creates it)")
            )
        edits = []
        failed = []
        for status, revision in pending:  # every edit is made and checked before any write
            action, data = read_target(plan, status.action.path, source)
            request = UpdateRequest(
                note=revision.note,
                on=revision.on,
                rag=revision.rag,
                explanation=revision.explanation,
                revised_deadline=revision.revised_deadline,
            )
            try:
                edits.append((action.path, edit_action(plan, action, data, request)))
            except InputError as error:
                failed.append(
                    f"  {revision.ref} (row {revision.row}): {error.message} — add the column "
                    "the fix needs (e.g. Explanation) and import again"
                )
        if failed:
            lines += failed
            lines.append("Nothing was written: fix the rows above, then import again.")
            typer.echo("\n".join(lines))
            raise typer.Exit(2)
        if not dry_run:
            for path, new in edits:
                replace_file(path, new)
            if add_new:
                _write_files(folder, unknown, "", None, force=False)
    verb = "would be updated" if dry_run else "updated"
    lines.append(f"{len(pending)} action(s) {verb}; unchanged rows change nothing.")
    typer.echo("\n".join(lines))


def _import_risks(file: Path, grid, header_at: int, folder: Path, plan: Plan, dry_run: bool,  # type: ignore[no-untyped-def]
                  force: bool) -> None:  # fmt: skip
    """A risk register sheet -> risks/<id>.yaml (SPEC 8), all or nothing like actions."""
    from ..read.loader import read_risk
    from ..sheets.importing import Problem, convert_risks
    from ..write.atomic import create_file, plan_lock, replace_file

    if (folder / "plan.yaml").is_file():  # responses are refs of the plan's actions
        from ..commands.common import load_plans

        loaded = load_plans(folder)
        plan = loaded.plans[0] if loaded.plans else plan
    drafts, problems = convert_risks(grid, header_at, plan)
    usable = []
    for draft in drafts:
        path = folder / "risks" / f"{draft.stem}.yaml"
        _, findings = read_risk(draft.text.encode("utf-8"), path)
        if findings:
            problems.append(Problem(f"row {draft.row}", findings[0].message, "", True))
        elif path.exists() and not force:
            problems.append(
                Problem(f"row {draft.row}", f"{path} already exists", "--force replaces it", True)
            )
        else:
            usable.append((path, draft))
    lines = [f"{file}: a risk register (header on row {header_at + 1})"]
    lines += [f"  {p.where}: {p.message}" + (f" — {p.hint}" if p.hint else "") for p in problems]
    if any(p.is_blocking for p in problems):
        lines.append("Nothing was written: fix the rows above, then import again.")
        typer.echo("\n".join(lines))
        raise typer.Exit(2)
    verb = "Would write" if dry_run else "Wrote"
    lines.append(f"{verb} {len(usable)} risk file(s) to {folder / 'risks'}:")
    lines += [f"  {path} (row {draft.row})" for path, draft in usable]
    if not dry_run:
        if not (folder / "plan.yaml").exists():
            raise InputError(
                f"{folder} has no plan.yaml", "import the plan's actions first, or give --into PLAN"
            )
        (folder / "risks").mkdir(exist_ok=True)
        with plan_lock(folder):
            for path, draft in usable:
                data = draft.text.encode("utf-8")
                if force and path.exists():
                    replace_file(path, data)
                else:
                    create_file(path, data)
    typer.echo("\n".join(lines))


def _existing_plan(folder: Path) -> Plan | None:
    if not (folder / "plan.yaml").is_file():
        return None
    from ..commands.targets import read_plan

    plan, _ = read_plan(folder)
    return plan


def _checked(
    drafts: tuple[Draft, ...], plan: Plan, folder: Path, force: bool, problems: list[Problem]
) -> list[Draft]:
    """Drafts that read back without a problem and would not replace a file unasked."""
    from ..read.loader import read_action
    from ..sheets.importing import Problem

    keys = tuple(level.key for level in plan.rag_scale)
    usable = []
    for draft in drafts:
        path = folder / "actions" / f"{draft.stem}.yaml"
        _, findings = read_action(draft.text.encode("utf-8"), path, keys)
        if findings:
            problems.append(
                Problem(f"row {draft.row}", findings[0].message, findings[0].hint or "", True)
            )
        elif path.exists() and not force:
            problems.append(
                Problem(f"row {draft.row}", f"{path} already exists", "--force replaces it", True)
            )
        else:
            usable.append(draft)
    return usable


def _write(folder: Path, drafts: list[Draft], title: str, start: object, force: bool) -> None:
    """Write the drafts, all or nothing: a new plan appears whole or not at all."""
    from ..write.atomic import plan_lock

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{folder}: cannot make the plan folder ({error.strerror})") from None
    with plan_lock(folder):
        _write_files(folder, drafts, title, start, force)


def _write_files(folder: Path, drafts: list[Draft], title: str, start: object, force: bool) -> None:
    """Write the drafts (the caller holds the plan's lock)."""
    from ..sheets.importing import plan_text
    from ..write.atomic import add_files, create_plan

    files = {folder / "actions" / f"{d.stem}.yaml": d.text.encode("utf-8") for d in drafts}
    if not (folder / "plan.yaml").exists() and not any(folder.glob("*")):
        text = plan_text(title, start, tuple(drafts))  # type: ignore[arg-type]
        files[folder / "plan.yaml"] = text.encode("utf-8")
        create_plan(folder, files)
        return
    if not (folder / "plan.yaml").exists():
        raise InputError(
            f"{folder} holds files but no plan.yaml", "import into an empty folder, or a plan"
        )
    (folder / "actions").mkdir(exist_ok=True)
    add_files(files, replace=force)


@app.command()
def export(
    plans: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PLAN]...",
            help="Plan folders (holding plan.yaml) or folders of plan folders; default: plans.",
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", metavar="csv|xlsx|sqlite|ndjson", help="csv, xlsx, sqlite or ndjson."
        ),
    ] = "xlsx",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write here.")
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--prefix",
            metavar="COUNCIL",
            help="sqlite, ndjson: put COUNCIL/ before each plan's id, to keep ids unique "
            "across councils.",
        ),
    ] = None,
    replace_plan: Annotated[
        bool,
        typer.Option(
            "--replace-plan",
            help="sqlite: replace the rows of a plan the database holds already (what an "
            "export into an existing database always does; the option says so).",
        ),
    ] = False,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="sqlite, ndjson: add `commits` and `action_versions`, every committed "
            "version of every action (from git).",
        ),
    ] = False,
    today: TodayOpt = None,
) -> None:
    """One row per action with the tracker's columns, for people who live in Excel:
    rating (named and coloured), change, leads, latest progress and its date, deadline,
    revised deadline, evidence, outcome. `ragplan import` reads it back.

    sqlite: every plan's actions, updates, evidence, measures, readings, risks, reviews,
    snapshots and findings in one SQLite database (for Datasette); exporting a plan again
    replaces its rows only. ndjson: the same rows, one JSON object a line."""
    from ..commands.common import load_plans, require_valid
    from ..core.status import assess
    from ..write.atomic import replace_file

    if output_format not in ("csv", "xlsx", "sqlite", "ndjson"):
        raise InputError(f"--format {output_format!r}: use csv, xlsx, sqlite or ndjson")
    if output is None:
        raise InputError("give the file to write with -o FILE", f"e.g. -o plans.{output_format}")
    del replace_plan  # what an export into an existing database does anyway (SPEC 12's name)
    roots = plans or [Path("plans")]
    day = resolve_today(today)
    if output_format in ("sqlite", "ndjson"):
        from ..commands.export import database_rows
        from ..sheets.database import to_ndjson, write_sqlite

        rows, ids = database_rows(roots, day, prefix, history)
        if output_format == "ndjson":
            replace_file(output, to_ndjson(rows))
        else:
            write_sqlite(output, rows, ids)
        typer.echo(
            f"wrote {output}: {len(ids)} plan{'s' if len(ids) != 1 else ''}, "
            f"{len(rows['actions'])} actions"
        )
        return
    if len(roots) > 1:
        raise InputError("csv and xlsx take one PLAN", "give a folder of plan folders instead")
    from ..sheets.exporting import legend, to_csv, to_xlsx
    from ..sheets.exporting import rows as sheet_rows

    loaded = load_plans(roots[0])
    require_valid(loaded)
    statuses = [assess(p, day) for p in loaded.plans]
    table = sheet_rows(statuses)
    data = to_csv(table) if output_format == "csv" else to_xlsx(table, legend(statuses))
    replace_file(output, data)
    typer.echo(f"wrote {output}: {len(table)} actions")
