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
{%- if cookiecutter.persistence != "none" %}
from postgres_server import REQUIRED_ENV as POSTGRES_REQUIRED_ENV
from postgres_server import URL_ENV as POSTGRES_URL_ENV
from postgres_server import PostgresServer, unavailable_reason
{%- endif %}
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


{%- if cookiecutter.persistence == "postgresql" %}


@pytest.fixture(scope="session")
def database_env() -> Iterator[dict[str, str]]:
    """Where the app under test stores conversations: a throwaway PostgreSQL server."""
    yield from _postgres_env()
{%- elif cookiecutter.persistence == "sqlite" %}


@pytest.fixture(scope="session")
def database_env() -> dict[str, str]:
    """Where the app under test stores conversations: its default, a SQLite file in its folder."""
    return {}
{%- endif %}
{%- if cookiecutter.persistence != "none" %}


def _postgres_env() -> Iterator[dict[str, str]]:
    if reason := unavailable_reason():
        if os.environ.get(POSTGRES_REQUIRED_ENV) == "1":
            pytest.fail(f"The PostgreSQL tests are required here ({POSTGRES_REQUIRED_ENV}=1), but: {reason}")
        pytest.skip(reason)
    if configured := os.environ.get(POSTGRES_URL_ENV):
        yield {"CHATBOT_DATABASE_URL": configured}
        return
    with PostgresServer() as database:
        yield {"CHATBOT_DATABASE_URL": database.url}


@pytest.fixture(scope="session")
def postgres_env() -> Iterator[dict[str, str]]:
    """A PostgreSQL server for tests that need one whatever the project's default database."""
    yield from _postgres_env()
{%- endif %}


def _server(
    tmp_path_factory: pytest.TempPathFactory, word_delay: float, env: dict[str, str] | None = None
) -> Iterator[StreamlitServer]:
    server = StreamlitServer(PROJECT / "serve.py", tmp_path_factory.mktemp("server"), word_delay=word_delay, env=env)
    with server:
        yield server
    # Checked once all tests on this server are done: no exception reached the server's log.
    server.assert_no_exceptions()


{%- if cookiecutter.persistence != "none" %}


@pytest.fixture(scope="session")
def fast_server(chromium, tmp_path_factory: pytest.TempPathFactory, database_env) -> Iterator[StreamlitServer]:
    """The app with the demo model answering at once."""
    yield from _server(tmp_path_factory, FAST, database_env)


@pytest.fixture(scope="session")
def slow_server(chromium, tmp_path_factory: pytest.TempPathFactory, database_env) -> Iterator[StreamlitServer]:
    """The app with the demo model at a word every 50 ms, so there is time to press Stop."""
    yield from _server(tmp_path_factory, SLOW, database_env)
{%- else %}


@pytest.fixture(scope="session")
def fast_server(chromium, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app with the demo model answering at once."""
    yield from _server(tmp_path_factory, FAST)


@pytest.fixture(scope="session")
def slow_server(chromium, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app with the demo model at a word every 50 ms, so there is time to press Stop."""
    yield from _server(tmp_path_factory, SLOW)
{%- endif %}


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
