"""Logging in with a real OpenID Connect provider on 127.0.0.1: each user sees only their own conversations."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_page import BrowserGuard, ChatPage
from server import StreamlitServer

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def identity_provider() -> Iterator[str]:
    """oidc-provider-mock on a free 127.0.0.1 port: it signs in whoever types a name on its page."""
    try:
        import oidc_provider_mock
        from werkzeug.serving import make_server
    except ImportError:
        if os.environ.get("CHATBOT_E2E_REQUIRED") == "1":
            pytest.fail("The login tests are required here, but oidc-provider-mock is not installed.")
        pytest.skip("oidc-provider-mock is not installed: pip install oidc-provider-mock")
    server = make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def login_server(
    chromium, identity_provider: str, tmp_path_factory: pytest.TempPathFactory, database_env
) -> Iterator[StreamlitServer]:
    workdir = tmp_path_factory.mktemp("login")
    server = StreamlitServer(PROJECT / "serve.py", workdir, env=database_env)
    (workdir / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{server.url}oauth2callback"\n'
        'cookie_secret = "a-test-secret-that-is-long-enough-for-signing"\n'
        'client_id = "chatbot-tests"\n'
        'client_secret = "not-checked-by-the-mock"\n'
        f'server_metadata_url = "{identity_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with server:
        yield server
    server.assert_no_exceptions()


def log_in(guard: BrowserGuard, server: StreamlitServer, user: str) -> ChatPage:
    page = guard.new_page()
    page.goto(server.url)
    page.get_by_role("button", name="Log in").click()
    page.get_by_placeholder("sub").fill(user)  # the provider's sign-in form
    page.get_by_role("button", name="Authorize").click()
    page.get_by_test_id("stChatInputTextArea").wait_for()
    return ChatPage(page, server.url).open()


def test_each_user_sees_only_their_own_conversations(
    chromium, identity_provider: str, login_server: StreamlitServer
) -> None:
    alice_browser, bob_browser = (BrowserGuard(chromium, foreign_origin=identity_provider) for _ in range(2))
    try:
        alice = log_in(alice_browser, login_server, "alice@example.com")
        assert "alice@example.com" in alice.sidebar.inner_text()
        alice.exchange("Alice's private note")

        bob = log_in(bob_browser, login_server, "bob@example.com")
        assert bob.messages() == []
        bob.exchange("Bob's own note")

        alice.open()
        assert [text for role, text in alice.messages() if role == "user"] == ["Alice's private note"]
        bob.open()
        assert [text for role, text in bob.messages() if role == "user"] == ["Bob's own note"]

        # Logging out ends the session at the provider too, which asks to confirm, then returns.
        bob.button("Log out").click()
        bob.page.get_by_role("button", name="End session").click()
        bob.page.get_by_role("button", name="Log in").wait_for()
        assert "Bob's own note" not in bob.page.content()
        for browser in (alice_browser, bob_browser):
            browser.assert_clean()
    finally:
        alice_browser.close()
        bob_browser.close()
