"""Fixtures shared by the suite: an isolated environment and the app under AppTest."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import driver
import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No key, setting or secrets file of the developer's leaks into a test."""
    for name in list(os.environ):
        if name.startswith("CHATBOT_") or name.endswith(("_API_KEY", "_BASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CHATBOT_DEMO_WORD_DELAY", "0")
    monkeypatch.chdir(tmp_path)


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
