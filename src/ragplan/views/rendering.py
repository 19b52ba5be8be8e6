"""A Tracker -> Markdown or HTML through Jinja2 templates (SPEC 5; docs/templates.md).

Templates come from the package (`templates/` at the repository root, shipped inside the
wheel), and any of them from a `--templates` folder instead. Such a folder is code from
whoever wrote it, a pull request's author among them, so with one the templates run in
Jinja2's sandbox; undefined names are always an error, and a loader reads only files
whose real path lies inside its folder (no link out, no `..`).

HTML is autoescaped (set outright: `select_autoescape` would miss `.html.j2`); Markdown
output passes every value through `md`, which keeps it on one line and escapes what
would break a table or inject HTML.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import InputError

if TYPE_CHECKING:
    from jinja2 import Environment, Template

    from .tracker import Tracker

TEMPLATES = {"html": "tracker.html.j2", "markdown": "tracker.md.j2"}


def shipped_templates() -> Path:
    """The package's own templates: ragplan/templates in an installed wheel; the
    repository's templates/ in a source checkout (an editable install maps it there)."""
    from importlib.resources import files

    folder = Path(str(files("ragplan"))) / "templates"
    if not (folder / TEMPLATES["html"]).is_file():
        folder = Path(__file__).resolve().parents[3] / "templates"
    return folder


def md(value: Any) -> str:
    """A value as Markdown-safe text: one line, pipes and HTML escaped."""
    from .status_markdown import cell

    return "" if value is None else cell(str(value))


def render(tracker: Tracker, kind: str, templates: Path | None = None) -> str:
    return Prepared(kind, templates).render(tracker)


class Prepared:
    """A tracker's template, loaded and compiled when first used: a problem with it is
    raised then, after any problem with the plans."""

    def __init__(self, kind: str, templates: Path | None = None) -> None:
        self.kind = kind
        self.templates = templates
        self._template: Template | None = None
        self._error: InputError | None = None
        self._done = False

    def run(self) -> None:
        if self._done:
            return
        self._done = True
        try:
            self._template = _template(self.kind, self.templates)
        except InputError as error:
            self._error = error

    def render(self, tracker: Tracker) -> str:
        self.run()
        if self._error is not None:
            raise self._error
        assert self._template is not None
        from jinja2 import TemplateError

        try:
            return self._template.render(tracker=tracker)
        except TemplateError as error:
            raise _template_error(self.kind, error) from None


def _template(kind: str, templates: Path | None) -> Template:
    from jinja2 import ChoiceLoader, Environment, StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    loaders: list[Any] = [_confined(shipped_templates())]
    if templates is not None:
        if not templates.is_dir():
            raise InputError(
                f"--templates {templates}: no such folder",
                "give a folder holding tracker.html.j2 and/or tracker.md.j2",
            )
        loaders.insert(0, _confined(templates))
    is_html = kind == "html"
    # the shipped templates are the package's own code; a folder from the user (or a pull
    # request) runs sandboxed
    environment = Environment if templates is None else SandboxedEnvironment
    env = environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=is_html,
        finalize=None if is_html else md,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    try:
        return env.get_template(TEMPLATES[kind])
    except TemplateError as error:
        raise _template_error(kind, error) from None


def _template_error(kind: str, error: Any) -> InputError:
    line = getattr(error, "lineno", None)
    where = f" (line {line})" if line else ""
    return InputError(
        f"the {kind} template could not be rendered{where}: {error.message}",
        "check the template against docs/templates.md",
    )


def _confined(folder: Path) -> Any:
    """A FileSystemLoader that reads only files whose real path is inside `folder`."""
    from jinja2 import FileSystemLoader, TemplateNotFound

    class ConfinedLoader(FileSystemLoader):
        def __init__(self, folder: Path) -> None:
            self.folder = os.path.realpath(folder)
            super().__init__(self.folder)

        def get_source(
            self, environment: Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            if not os.path.realpath(filename).startswith(self.folder + os.sep):
                raise TemplateNotFound(template)
            return source, filename, uptodate

    return ConfinedLoader(folder)
