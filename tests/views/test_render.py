"""`ragplan render`: exact Markdown, HTML structure, hostile plans and template folders
(SPEC 5; issue: board trackers). The browser checks are in test_browser.py."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import DATA, ROOT, action, dedent, hostile_plan

GOLDEN = DATA / "render"
PLAN = dedent(
    """
    title: Test plan
    organisation: Test Council
    themes: [Leadership, Practice]
    """
)
FRESH = (
    "updates:\n  - date: 2025-03-01\n    note: On **track**; see [notes](https://example.org/n)\n"
)


@pytest.fixture
def tracked(make_plan) -> Path:
    return make_plan(
        {
            "a1.yaml": action(
                "A1",
                rag="red",
                deadline="2025-02-28",
                extra="theme: Leadership\nstrategic_lead: Karen Dolton\n" + FRESH,
            ),
            "a2.yaml": action(
                "A2",
                rag="green",
                extra="theme: Practice\noutcome: Fewer cases each\n"
                "evidence:\n  - Audit\n  - description: Minutes\n    link: evidence/m.md\n"
                + FRESH
                + "  - date: 2025-03-02\n    note: Slipped\n    explanation: Staff away\n"
                "    revised_deadline: 2025-04-30\n",
            ),
            "a3.yaml": action(
                "A3",
                extra="theme: Practice\n"
                "withdrawn:\n  date: 2025-02-01\n  reason: Merged into A2.\n",
            ),
        },
        plan=PLAN,
        snapshots={
            "2025-01.yaml": "date: 2025-01-31\nlabel: January board\n"
            "ratings: {A1: amber, A2: green, A3: amber}\n"
        },
    )


def test_markdown_tracker_is_exact(run_cli, tracked):
    result = run_cli("render", "plan", "--format", "markdown", "--today", "2025-03-10")
    assert (result.exit_code, result.stderr) == (0, "")
    expected = GOLDEN / "tracker.md"
    if os.environ.get("RAGPLAN_GOLDEN") == "1":
        expected.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected.read_text(encoding="utf-8")


class Page(HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_html_tracker_structure(run_cli, tracked):
    result = run_cli("render", "plan", "--format", "html", "--today", "2025-03-10")
    assert result.exit_code == 0
    html = result.stdout
    page = parse(html)
    assert page.all("html") == [{"lang": "en"}]
    assert "<title>Test plan — tracker, 10 Mar 2025</title>" in html
    assert len(page.all("table")) == len(page.all("caption"))
    assert all(th.get("scope") in ("col", "row") for th in page.all("th"))
    assert not page.all("script") and not page.all("link") and not page.all("img")
    text = " ".join(page.text)
    for words in (
        "Overdue since 28 Feb 2025, not explained",
        "unchanged from Green",
        "down from Amber",
        "Revised to 30 Apr 2025 (1 revision)",
        "Withdrawn 1 Feb 2025: Merged into A2.",
        "compared with January board (31 Jan 2025)",
    ):
        assert words in text, words
    assert "<del>A3</del>" in html
    assert '<a href="plan/evidence/m.md">Minutes</a>' in html
    assert "<strong>track</strong>" in html
    headings = [int(tag[1]) for tag, _ in page.tags if re.fullmatch(r"h[1-6]", tag)]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(headings))
    svg = page.all("svg")[0]
    assert svg["role"] == "img" and svg["aria-labelledby"]
    assert "Ratings at each board: 31 Jan 2025: 1 Green, 2 Amber" in html


def test_several_plans_make_one_document_with_a_summary_first(run_cli, make_plan, tmp_path):
    make_plan({"a.yaml": action("A1", rag="red")}, plan="title: North\n", name="plans/north")
    make_plan({"b.yaml": action("B1")}, plan="title: South\n", name="plans/south")
    result = run_cli("render", "--format", "markdown", "--today", "2025-03-10")
    lines = result.stdout.splitlines()
    assert lines[0] == "# Improvement plans"
    assert (
        lines[4]
        == "| Plan | Actions | By rating | Overdue, not explained | Overdue, explained | Stale |"
    )
    assert "| North | 1 | 0 Blue, 0 Green, 0 Amber, 1 Red | 0 | 0 | 1 |" in lines
    assert lines.index("## North") < lines.index("## South")


def test_a_hostile_plan_renders_as_text(run_cli, make_plan):
    hostile_plan(make_plan)
    assert run_cli("validate", "plan").exit_code == 0
    html = run_cli("render", "plan", "--format", "html", "--today", "2025-03-10").stdout
    page = parse(html)
    assert not page.all("script") and not page.all("iframe") and not page.all("img")
    assert not page.all("style")[1:]  # only the page's own stylesheet
    assert all(not any(k.startswith("on") for k in attrs) for _, attrs in page.tags)
    hrefs = [a.get("href") or "" for a in page.all("a")]
    assert all(not h.lower().startswith(("javascript", "data")) for h in hrefs), hrefs
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = run_cli("render", "plan", "--format", "markdown", "--today", "2025-03-10").stdout
    assert "<script>" not in markdown and "<iframe" not in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| X1 |"))
    assert row.count(" | ") == 8  # nine cells: every pipe in the text is escaped
    assert "\\| pipe new line" in row


def render_with(run_cli, folder: Path, kind: str = "markdown"):
    """`ragplan render plan` with a --templates folder, on 10 Mar 2025."""
    return run_cli(
        "render", "plan", "--format", kind, "--templates", str(folder), "--today", "2025-03-10"
    )


def write_templates(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "template",
    [
        "{{ tracker.__class__.__mro__ }}",
        "{{ tracker.plans[0].__class__.__init__.__globals__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    ],
)
def test_a_hostile_template_folder_is_sandboxed(run_cli, tracked, tmp_path, template):
    folder = write_templates(tmp_path / "tpl", {"tracker.md.j2": template})
    result = render_with(run_cli, folder)
    assert result.exit_code == 2
    assert result.stderr.startswith("ragplan: the markdown template could not be rendered")
    assert "uid=" not in result.stdout + result.stderr


def test_a_template_folder_cannot_read_files_outside_it(run_cli, tracked, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    folder = write_templates(
        tmp_path / "tpl",
        {"tracker.md.j2": '{% include "../secret.txt" %}{% include "/etc/passwd" %}'},
    )
    (folder / "tracker.css").symlink_to(secret)
    (folder / "tracker.html.j2").symlink_to(secret)
    markdown = render_with(run_cli, folder)
    assert markdown.exit_code == 2 and "SECRET" not in markdown.stdout + markdown.stderr
    html = render_with(run_cli, folder, "html")
    assert html.exit_code == 0  # the links are refused: the shipped templates serve
    assert "SECRET" not in html.stdout and "<h1>Test plan</h1>" in html.stdout


def test_a_template_folder_replaces_only_what_it_has(run_cli, tracked, tmp_path):
    folder = write_templates(
        tmp_path / "tpl",
        {
            "tracker.md.j2": "{% for p in tracker.plans %}{{ p.title }}: "
            "{{ p.summary.total }}\n{% endfor %}"
        },
    )
    custom = render_with(run_cli, folder)
    assert custom.stdout == "Test plan: 2\n"
    html = render_with(run_cli, folder, "html")
    assert "<h1>Test plan</h1>" in html.stdout  # tracker.html.j2 from the shipped set
    undefined = write_templates(tmp_path / "bad", {"tracker.md.j2": "{{ tracker.nonesuch }}"})
    result = render_with(run_cli, undefined)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "ragplan: the markdown template could not be rendered: 'ragplan.views.tracker.Tracker "
        "object' has no attribute 'nonesuch'\n  check the template against docs/templates.md\n",
    )


def test_html_autoescape_holds_for_a_users_template(run_cli, make_plan, tmp_path):
    hostile_plan(make_plan)
    folder = write_templates(tmp_path / "tpl", {"tracker.html.j2": "{{ tracker.title }}"})
    result = render_with(run_cli, folder, "html")
    assert result.stdout.startswith("&lt;script&gt;alert(1)&lt;/script&gt; | pipe")
    assert "<script>" not in result.stdout


def test_render_writes_a_file_atomically(run_cli, tracked, tmp_path):
    out = tmp_path / "out" / "tracker.html"
    out.parent.mkdir()
    result = run_cli("render", "plan", "-o", str(out), "--today", "2025-03-10")
    assert (result.exit_code, result.stdout) == (0, f"wrote {out}\n")
    assert out.read_text().startswith("<!doctype html>")
    assert '<a href="../plan/evidence/m.md">' in out.read_text()


def test_the_wheel_ships_the_templates(tmp_path):
    """Build a wheel, install it (not editable) into a fresh venv, and render."""
    repo = ROOT
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(repo)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("ragplan-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    # the dependencies come from this environment's site-packages, after the wheel's own
    site = next(Path(p) for p in sys.path if p.endswith("site-packages"))
    venv_site = next((venv / "lib").glob("python*/site-packages"))
    (venv_site / "deps.pth").write_text(str(site) + "\n")
    plans = repo / "plans"
    result = subprocess.run(
        [str(venv / "bin" / "ragplan"), "render", str(plans), "--format", "markdown"],
        capture_output=True,
        text=True,
        env={**os.environ, "RAGPLAN_TODAY": "2015-01-30", "RAGPLAN_NO_CACHE": "1"},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Children's Services Improvement Plan\n")
    located = subprocess.run(
        [str(python), "-c", "import ragplan.views.rendering as r; print(r.shipped_templates())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(venv) in located


@pytest.mark.parametrize(
    "note",
    [
        "Progress reviewed at the monthly board; caseload audit 1 completed.",
        'It\'s "quoted" (ok) 50% done: yes!',
        "Über große Straße/Weg",
        "x+y=z - and more",
        "Done.  Two spaces",
        "A & B &copy; <b>",
        "- a list",
        "1. numbered",
        "# heading",
        "see [x](javascript:alert(1))",
        "    indented is code",
        "\tindented is code",
        "  two spaces in",
    ],
)
def test_plain_notes_skip_the_parser_with_the_same_html(note):
    from ragplan.views.richtext import note_html

    assert note_html(note) == note_html(note, shortcut=False)


def test_generated_plain_notes_skip_the_sanitiser_with_the_same_html():
    """A note the shortcut takes is one the parser and the sanitiser leave as escaped
    text in one paragraph: thousands of notes from its alphabet, with odd letters."""
    import random

    from ragplan.views.richtext import _PLAIN, note_html

    rng = random.Random(7)
    letters = "aZé ßÆ文ΣςИ 0_9 ,.;:'\"?!%/()+=- \u00a0\u2028\u200b&<>*`#"
    taken = 0
    for _ in range(5000):
        note = rng.choice("AbÜ") + "".join(rng.choice(letters) for _ in range(rng.randint(0, 30)))
        if _PLAIN.match(note.strip()):
            taken += 1
        assert note_html(note) == note_html(note, shortcut=False), repr(note)
    assert taken > 500


def test_the_ascii_shortcut_takes_exactly_the_notes_the_general_one_takes():
    """ASCII notes are matched by a one-class pattern (richtext._PLAIN_ASCII): it takes
    the same notes as the general pattern, and those give the parser's HTML."""
    import random
    import string

    from ragplan.views.richtext import _PLAIN, _PLAIN_ASCII, note_html

    rng = random.Random(11)
    letters = string.printable + "_"
    taken = 0
    for _ in range(20000):
        note = rng.choice("aZ9 _-(") + "".join(
            rng.choice(letters) for _ in range(rng.randint(0, 12))
        )
        plain = note.strip()
        assert bool(_PLAIN_ASCII.match(plain)) == bool(_PLAIN.match(plain)), repr(note)
        assert note_html(note) == note_html(note, shortcut=False), repr(note)
        taken += bool(_PLAIN_ASCII.match(plain))
    assert taken > 100


def test_render_under_a_file_is_a_plain_error(run_cli, tracked, tmp_path):
    (tmp_path / "a-file").write_text("x")
    result = run_cli("render", "plan", "-o", "a-file/tracker.html", "--today", "2025-03-10")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("ragplan: a-file: cannot write here (Not a directory)")


def test_render_to_a_folder_is_a_plain_error(run_cli, tracked, tmp_path):
    (tmp_path / "out").mkdir()
    result = run_cli("render", "plan", "-o", "out", "--today", "2025-03-10")
    assert result.exit_code == 2
    assert result.stderr.startswith("ragplan: out: cannot be written (Is a directory)")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


def test_a_templates_folder_committed_in_the_checkout_is_never_used(run_cli, tracked, tmp_path):
    """Only a folder named on the command line replaces the shipped templates (SPEC 1)."""
    (tmp_path / ".git").mkdir()
    for folder in (tmp_path / "templates", tmp_path / "plan" / "templates"):
        write_templates(folder, {"tracker.html.j2": "FORGED", "tracker.md.j2": "FORGED"})
    html = run_cli("render", "plan", "--today", "2025-03-10")
    markdown = run_cli("render", "plan", "--format", "markdown", "--today", "2025-03-10")
    assert "FORGED" not in html.stdout + markdown.stdout
    assert html.stdout.startswith("<!doctype html>")


def test_a_deadline_moved_since_the_board_shows_as_moved(run_cli, make_plan):
    """The tracker shows the deadline the board was told beside today's, and whether an
    update since that board explains the move."""
    make_plan(
        {
            "a1.yaml": action("A1", deadline="2025-06-30", extra=FRESH),
            "a2.yaml": action("A2", deadline="2025-06-30")
            + "updates:\n  - date: 2025-02-20\n    note: Slipped.\n"
            "    explanation: The DfE moved its visit.\n",
            "a3.yaml": action("A3", deadline="2025-04-30", extra=FRESH),
        },
        snapshots={
            "2025-02.yaml": "date: 2025-02-14\nratings: {A1: amber, A2: amber, A3: amber}\n"
            "deadlines: {A1: 2025-04-30, A2: 2025-04-30, A3: 2025-04-30}\n"
        },
    )
    result = run_cli("render", "plan", "--format", "markdown", "--today", "2025-03-01")
    assert result.exit_code == 0
    rows = {
        line.split(" | ")[0][2:]: line for line in result.stdout.splitlines() if line[:3] == "| A"
    }
    assert (
        "| 30 Jun 2025 (moved from 30 Apr 2025 since the board of 14 Feb 2025, not explained) |"
        in rows["A1"]
    )
    assert (
        "| 30 Jun 2025 (moved from 30 Apr 2025 since the board of 14 Feb 2025, explained) |"
        in rows["A2"]
    )
    assert "| 30 Apr 2025 |" in rows["A3"]
    html = run_cli("render", "plan", "--format", "html", "--today", "2025-03-01").stdout
    assert "Moved from 30 Apr 2025 since the board of 14 Feb 2025, not explained" in html
