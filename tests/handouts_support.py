"""Helpers shared by the handout tests (HTML edition and slide decks).

``plain`` gives the text a reader sees; ``offline_page`` opens a local page
in headless Chromium with the network blocked and records what it asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path


LOCAL = ("file:", "data:")

AXE_SUMMARY: dict = {}
"""Page name -> Counter of axe-core violations (nodes) by impact, filled by
tests/test_accessibility.py and printed by the root conftest's terminal summary."""


def plain(text: str) -> str:
    """Text without tags, entities decoded, whitespace collapsed (as a reader sees it)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split())


@contextmanager
def offline_page(browser, path: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    """Open `path` in the session's headless Chromium, offline, non-local requests aborted.

    `browser` is the ``browser`` fixture of the root conftest.py.

    Yields ``(page, requested, errors)``: the Playwright page, every URL the
    page asked for, and the page's uncaught JavaScript errors. Both lists stay
    filled after the block, when the browser is closed.
    """
    requested: list[str] = []
    errors: list[str] = []

    def route(r):
        url = r.request.url
        requested.append(url)
        if url.startswith(LOCAL):
            r.continue_()
        else:
            r.abort()

    context = browser.new_context(offline=True)
    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(Path(path).as_uri())
        yield page, requested, errors
    finally:
        context.close()
