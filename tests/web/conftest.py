"""Browser fixtures: Debian's Chromium, headless, driven through Playwright's sync API.

The app under test is the real service in a real uvicorn on loopback (the `server` fixture
of tests/conftest.py); its page is at `server.url + "/"`. Every page a test opens fails the
test at teardown if it logged a console error or threw an uncaught exception; a test that
expects some says so with `@pytest.mark.console_errors(...)` (see `pytest_configure`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.conftest import upload

DESK: ViewportSize = {"width": 1400, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOTS_ENV = "BOARDROOM_SCREENSHOTS"
"""Set to 1 to write the screenshots into docs/screenshots/ (else into a temp folder)."""

# Root in a container: Chromium's sandbox needs user namespaces it may not have, and /dev/shm
# may be too small for its shared memory.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"]

TIMEOUT_MS = 15_000
"""How long a Playwright action or expectation waits, well within pytest's timeout."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "console_errors(*fragments): the page may log console errors or throw uncaught "
        "exceptions containing one of these fragments (any at all without fragments)",
    )


def chromium_path() -> str:
    return shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the browser tests.

    Package-scoped rather than session-scoped: while Playwright's sync API is running it
    holds an event loop on the main thread, and `asyncio.run` in any later test would fail.
    """
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageErrors:
    """What the test's pages reported: console errors and uncaught exceptions, as text."""

    console: list[str] = field(default_factory=list)
    uncaught: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if url.endswith("/favicon.ico"):
            return  # Chromium asks for /favicon.ico by itself; its 404 is no fault of the page
        self.console.append(f"{message.text} ({url})" if url else message.text)

    def on_pageerror(self, error: Error) -> None:
        self.uncaught.append(error.stack or f"{error.name}: {error.message}")

    def unexpected(self, allowed: tuple[str, ...] | None) -> list[str]:
        """The reports that no fragment of `allowed` matches (all when it is None)."""
        reports = [f"console error: {c}" for c in self.console]
        reports += [f"uncaught exception: {u}" for u in self.uncaught]
        if allowed is None:
            return reports
        if not allowed:
            return []
        return [r for r in reports if not any(fragment in r for fragment in allowed)]


@pytest.fixture
def page_errors(request: pytest.FixtureRequest) -> Iterator[PageErrors]:
    """The console errors and uncaught exceptions of the test's pages; checked at teardown."""
    errors = PageErrors()
    yield errors
    marker = request.node.get_closest_marker("console_errors")
    allowed = None if marker is None else tuple(str(a) for a in marker.args)
    unexpected = errors.unexpected(allowed)
    assert not unexpected, "the page reported errors:\n" + "\n".join(unexpected)


@pytest.fixture
def new_page(browser: Browser, page_errors: PageErrors) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context: `new_page(viewport=PHONE, **context_options)`."""
    contexts: list[BrowserContext] = []

    def make(viewport: ViewportSize = DESK, **options: Any) -> Page:
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("console", page_errors.on_console)
        page.on("pageerror", page_errors.on_pageerror)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A blank page at the desk size, in its own context."""
    return new_page()


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save what the page shows as <name>.png; its path.

    Into docs/screenshots/ with BOARDROOM_SCREENSHOTS=1 (to renew the README's pictures),
    else into a temp folder, so a test run leaves the work tree as it was.
    """
    folder = SCREENSHOTS if os.environ.get(SCREENSHOTS_ENV) == "1" else _TEMP_SHOTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


_TEMP_SHOTS = Path(tempfile.gettempdir()) / "boardroom-screenshots"


def open_app(page: Page, base_url: str, board_id: str | None = None) -> None:
    """Load the page (at a board when given) and wait until it has started up."""
    page.goto(base_url + "/" + (f"#/b/{board_id}" if board_id else ""))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def last_turn(page: Page, panel: str = "expert") -> Locator:
    """The newest exchange of a panel ("expert" or "assistant")."""
    return page.locator(f"#{panel}-turns article[data-testid=turn]").last


def ask(page: Page, question: str) -> Locator:
    """Ask the open board's expert from the question box; the new exchange."""
    page.locator("#question").fill(question)
    page.locator("#ask").click()
    turn = last_turn(page)
    expect(turn.locator(".question-text")).to_have_text(question)
    return turn


def board_with_files(client: httpx.Client, name: str, files: dict[str, bytes]) -> str:
    """A board made through the API with these files ({filename: data}) ingested; its id."""
    board_id: str = client.post("/api/boards", json={"name": name}).json()["board_id"]
    for filename, data in files.items():
        response = upload(client, board_id, data, filename)
        assert response.status_code == 201, response.text
        assert response.json()["status"] == "ready"
    return board_id
