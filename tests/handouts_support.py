"""Helpers shared by the handout tests (HTML edition and slide decks).

``plain`` gives the text a reader sees; ``offline_page`` opens a local page
in headless Chromium with the network blocked and records what it asked for.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest

LOCAL = ("file:", "data:")


def plain(text: str) -> str:
    """Text without tags, entities decoded, whitespace collapsed (as a reader sees it)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split())


def find_chromium() -> str | None:
    for candidate in (os.environ.get("KLCOURSE_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def browser():
    """Playwright's sync API and Chromium's path; skipped without them, except on CI (fails)."""
    problem = None
    try:
        from playwright import sync_api
    except ImportError as err:
        problem = f"Playwright for Python is not installed ({err})"
    chromium = find_chromium()
    if problem is None and chromium is None:
        problem = "no Chromium found; install it with `apt-get install -y chromium`"
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run on CI: {problem}", pytrace=False)
        pytest.skip(problem)
    return sync_api, chromium


@contextmanager
def offline_page(path: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    """Open `path` in headless Chromium, offline, every non-local request aborted.

    Yields ``(page, requested, errors)``: the Playwright page, every URL the
    page asked for, and the page's uncaught JavaScript errors. Both lists stay
    filled after the block, when the browser is closed.
    """
    sync_api, chromium = browser()
    requested: list[str] = []
    errors: list[str] = []

    def route(r):
        url = r.request.url
        requested.append(url)
        if url.startswith(LOCAL):
            r.continue_()
        else:
            r.abort()

    with sync_api.sync_playwright() as pw:
        chrome = pw.chromium.launch(
            executable_path=chromium, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"])
        try:
            context = chrome.new_context(offline=True)
            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(Path(path).as_uri())
            yield page, requested, errors
        finally:
            chrome.close()
