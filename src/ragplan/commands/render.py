"""`ragplan render`: the tracker a board reads, as Markdown or one HTML page."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..read.memo import Outcome
from .common import invalid, load_plans

if TYPE_CHECKING:
    from ..read.cache import CacheDir


def render_outcome(
    root: Path,
    output_format: str,
    output: Path | None,
    templates: Path | None,
    day: date,
    since: str | None,
    folders: list[Path],
    cache: CacheDir | None,
) -> tuple[Outcome, Iterable[Path]]:
    """The tracker, as Markdown or one HTML page: printed, or written to `output`."""
    from .. import __version__
    from ..views.rendering import Prepared
    from ..views.tracker import build
    from ..write.atomic import replace_file
    from .common import assess_all

    template = Prepared(output_format, templates)
    loaded = load_plans(root, folders, keep_parsed=since is not None)
    if loaded.has_errors:
        return invalid(loaded), ()
    statuses = [status for status, _ in assess_all(loaded, day, since)]
    links_from = output.parent if output is not None else Path.cwd()
    tracker = build(statuses, day, links_from, __version__)
    text = template.render(tracker)
    if output is None:
        return Outcome(text, "", 0), ()
    replace_file(output, text.encode("utf-8"))
    return Outcome(f"wrote {output}\n", "", 0), ()
