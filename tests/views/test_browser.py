"""The tracker in a real browser: headless Chromium (Debian's, installed by `make
browser`), driven by Playwright. No network request, rating contrast measured from the
computed styles, and a large plan printed to a landscape PDF with the header row on each
page (issue: board trackers, item 7)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, action, hostile_plan

sys.path.insert(0, str(ROOT / "scripts"))
from browser import browser

from ragplan.core.colours import AA, contrast


@pytest.fixture(scope="module")
def chromium():
    with browser() as launched:
        yield launched


def rendered(run_cli, tmp_path: Path, plan: str = "plan") -> Path:
    out = tmp_path / "tracker.html"
    result = run_cli("render", plan, "-o", str(out), "--today", "2025-03-10")
    assert result.exit_code == 0, result.stderr
    return out


def open_page(chromium, path: Path):
    """The page, and every request it made beyond its own file (all refused)."""
    page = chromium.new_page()
    requests: list[str] = []

    def refuse(route) -> None:
        if route.request.url != path.as_uri():
            requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", refuse)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, requests


def test_the_page_makes_no_network_request(chromium, run_cli, make_plan, tmp_path):
    hostile_plan(make_plan)
    page, requests = open_page(chromium, rendered(run_cli, tmp_path))
    assert requests == []
    assert page.evaluate("document.scripts.length") == 0
    assert page.title().endswith("tracker, 10 Mar 2025")
    page.close()


def _rgb(css: str) -> str:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return f"{r:02X}{g:02X}{b:02X}"


def test_every_rating_cell_meets_wcag_aa(chromium, run_cli, make_plan, tmp_path):
    scale = "".join(
        f"  - key: {key}\n    label: {key.title()}\n" for key in ("blue", "green", "amber", "red")
    )
    extra = "  - key: purple\n    label: Paused\n  - key: other\n    label: Other\n"
    actions = {
        f"{key}.yaml": action(key.upper(), rag=key)
        for key in ("blue", "green", "amber", "red", "purple", "other")
    }
    make_plan(actions, plan=f"title: T\nrag_scale:\n{scale}{extra}")
    page, _ = open_page(chromium, rendered(run_cli, tmp_path))
    cells = page.eval_on_selector_all(
        "td.rating",
        "cells => cells.map(c => [c.textContent, getComputedStyle(c).color, "
        "getComputedStyle(c).backgroundColor])",
    )
    assert len(cells) == 12  # six in the legend, six in the tables
    for name, colour, background in cells:
        ratio = contrast(_rgb(colour), _rgb(background))
        assert ratio >= AA, (name, colour, background, ratio)
    page.close()


def test_a_large_plan_prints_landscape_with_the_header_on_every_page(
    chromium, run_cli, make_plan, tmp_path
):
    from pypdf import PdfReader

    note = "updates:\n  - date: 2025-03-01\n    note: " + "Progress was reviewed. " * 12 + "\n"
    make_plan({f"a{i:03}.yaml": action(f"A{i}", extra=note) for i in range(120)}, plan="title: T\n")
    page, _ = open_page(chromium, rendered(run_cli, tmp_path))
    pdf = tmp_path / "tracker.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    page.close()
    reader = PdfReader(str(pdf))
    assert len(reader.pages) > 3
    actions_pages = []
    for number, sheet in enumerate(reader.pages, 1):
        box = sheet.mediabox
        assert float(box.width) > float(box.height), "pages are landscape"
        text = sheet.extract_text()
        assert f"Page {number} of {len(reader.pages)}" in text
        if "A1" in text or actions_pages:
            actions_pages.append(text)
    assert len(actions_pages) > 2
    for text in actions_pages:  # the table's header row repeats on each page it spans
        assert "Ref" in text and "Latest progress" in text and "Deadline" in text
