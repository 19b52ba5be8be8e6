"""`make screenshot`: the bundled plan's tracker as docs/tracker.png, for reviewers."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from browser import browser

REPO = Path(__file__).parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        page_file = Path(work) / "tracker.html"
        ragplan = Path(sys.executable).parent / "ragplan"
        subprocess.run(
            [str(ragplan), "render", "plans", "--today", "2015-01-30", "-o", str(page_file)],
            cwd=REPO,
            check=True,
        )
        with browser() as chromium:
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri())
            page.screenshot(path=str(REPO / "docs" / "tracker.png"), full_page=False)
    print("wrote docs/tracker.png")


if __name__ == "__main__":
    main()
