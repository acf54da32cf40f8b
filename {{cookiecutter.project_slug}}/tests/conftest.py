"""Fixtures shared by the suite: an isolated environment and the app under AppTest."""

from __future__ import annotations

import os
from collections.abc import Callable{% if cookiecutter.persistence == "postgresql" %}, Iterator{% endif %}
from pathlib import Path

import driver
import pytest
{%- if cookiecutter.persistence == "postgresql" %}
from postgres_server import REQUIRED_ENV as POSTGRES_REQUIRED_ENV
from postgres_server import URL_ENV as POSTGRES_URL_ENV
from postgres_server import PostgresServer, unavailable_reason
{%- endif %}
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


{%- if cookiecutter.persistence == "postgresql" %}


@pytest.fixture(scope="session")
def test_database() -> Iterator[str | None]:
    """A throwaway PostgreSQL server for the app's conversations; None where there is none (SQLite stands in)."""
    if os.environ.get(POSTGRES_URL_ENV):
        yield os.environ[POSTGRES_URL_ENV]
    elif reason := unavailable_reason():
        if os.environ.get(POSTGRES_REQUIRED_ENV) == "1":
            pytest.fail(f"The PostgreSQL tests are required here ({POSTGRES_REQUIRED_ENV}=1), but: {reason}")
        yield None
    else:
        with PostgresServer() as server:
            yield server.url
{%- endif %}


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path{% if cookiecutter.persistence == "postgresql" %}, test_database: str | None{% endif %}) -> None:
    """No key, setting or secrets file of the developer's leaks into a test."""
    for name in list(os.environ):
        if name.startswith("CHATBOT_") or name.endswith(("_API_KEY", "_BASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CHATBOT_DEMO_WORD_DELAY", "0")
    monkeypatch.chdir(tmp_path)
{%- if cookiecutter.persistence == "postgresql" %}
    # Tests keep apart by owner: each session without a cookie has an owner of its own.
    monkeypatch.setenv("CHATBOT_DATABASE_URL", test_database or f"sqlite:///{tmp_path / 'chatbot.db'}")
{%- endif %}


@pytest.fixture
def unstarted_app() -> AppTest:
    """The chatbot before its first run, for tests that set secrets or query parameters first."""
    return AppTest.from_file(str(APP), default_timeout=30)


@pytest.fixture
def make_app() -> Callable[[], AppTest]:
    """Starts a fresh session of the chatbot, as a new browser tab would."""
    return lambda: AppTest.from_file(str(APP), default_timeout=30).run()


@pytest.fixture
def app(make_app: Callable[[], AppTest]) -> AppTest:
    """The chatbot after its first run."""
    return make_app()


@pytest.fixture
def send() -> Callable[[AppTest, str], AppTest]:
    """Sends a prompt and lets its reply join the conversation."""
    return driver.send
