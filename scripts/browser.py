"""Headless Chromium for the tracker's checks and screenshot: Debian's `chromium`, driven by
Playwright (`make browser` installs it when absent)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The network here is closed: without these, Chromium keeps trying Google's hosts.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError(
            "Chromium is not installed: run `make browser` (apt-get install chromium)"
        )
    return found


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
