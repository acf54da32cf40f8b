"""Browser tests: the app under a real `streamlit run` server, driven in Chromium by Playwright.

Nothing leaves the machine: every request the page makes is routed, and any to a
host other than 127.0.0.1 is aborted and recorded, which fails the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_page import CHROMIUM_FLAGS, BrowserGuard, ChatPage
from server import StreamlitServer

PROJECT = Path(__file__).resolve().parents[2]
#: Which Chromium to drive. Unset: Debian's package at /usr/bin/chromium, else Playwright's own build.
CHROMIUM_ENV = "CHATBOT_E2E_CHROMIUM"
SYSTEM_CHROMIUM = "/usr/bin/chromium"
#: Set to 1 where the browser tests must run (CI): a missing browser fails instead of skipping.
REQUIRED_ENV = "CHATBOT_E2E_REQUIRED"
#: Seconds between the demo model's words: fast for most tests, slow enough to press Stop for others.
FAST, SLOW = 0.0, 0.05


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


def _chromium_path() -> tuple[str | None, str | None]:
    """Which Chromium to drive (None: Playwright's own build), or why there is none."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, "Playwright is not installed: pip install playwright (the dev group has it)."
    if configured := os.environ.get(CHROMIUM_ENV):
        if shutil.which(configured) or Path(configured).is_file():
            return configured, None
        return None, f"{CHROMIUM_ENV} is {configured!r}, but there is no browser there."
    if Path(SYSTEM_CHROMIUM).is_file():
        return SYSTEM_CHROMIUM, None
    with sync_playwright() as playwright:
        if Path(playwright.chromium.executable_path).is_file():
            return None, None
    return None, (
        f"No Chromium found: install it (apt-get install chromium, or python -m playwright install chromium) "
        f"or set {CHROMIUM_ENV}."
    )


@pytest.fixture(scope="session")
def chromium():
    path, reason = _chromium_path()
    if reason:
        if os.environ.get(REQUIRED_ENV) == "1":
            pytest.fail(f"Browser tests are required here ({REQUIRED_ENV}=1), but: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _server(tmp_path_factory: pytest.TempPathFactory, word_delay: float) -> Iterator[StreamlitServer]:
    server = StreamlitServer(PROJECT / "serve.py", tmp_path_factory.mktemp("server"), word_delay=word_delay)
    with server:
        yield server
    # Checked once all tests on this server are done: no exception reached the server's log.
    server.assert_no_exceptions()


@pytest.fixture(scope="session")
def fast_server(chromium, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app with the demo model answering at once."""
    yield from _server(tmp_path_factory, FAST)


@pytest.fixture(scope="session")
def slow_server(chromium, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app with the demo model at a word every 50 ms, so there is time to press Stop."""
    yield from _server(tmp_path_factory, SLOW)


def _open(browser, server: StreamlitServer) -> Iterator[ChatPage]:
    guard = BrowserGuard(browser)
    try:
        page = ChatPage(guard.new_page(), server.url)
        page.open()
        yield page
        page.assert_no_exception_shown()
        guard.assert_clean()
    finally:
        guard.close()


@pytest.fixture
def chat(chromium, fast_server: StreamlitServer) -> Iterator[ChatPage]:
    """A new browser session (its own cookies and tab) on the fast server."""
    yield from _open(chromium, fast_server)


@pytest.fixture
def slow_chat(chromium, slow_server: StreamlitServer) -> Iterator[ChatPage]:
    """A new browser session on the slow server."""
    yield from _open(chromium, slow_server)


@pytest.fixture
def new_guard(chromium) -> Iterator[type[BrowserGuard]]:
    """Opens further guarded browser sessions; each is checked and closed after the test."""
    guards: list[BrowserGuard] = []

    def make() -> BrowserGuard:
        guards.append(BrowserGuard(chromium))
        return guards[-1]

    yield make
    for guard in guards:
        guard.assert_clean()
        guard.close()
