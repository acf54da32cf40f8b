"""Stored conversations at the app's level: who owns them, what survives a new session, and faults."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from driver import click, history, run_asgi, send
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import owner, storage

OWNER_ID = "0123456789abcdef0123456789abcdef"


def page_headers(path: str = "/", *, cookie: str | None = None, scheme: str = "http") -> dict[bytes, list[bytes]]:
    """The response headers a browser gets through ``OwnerCookie``."""

    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": b"<html></html>"})

    sent = []

    async def send_message(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    headers = [(b"cookie", cookie.encode())] if cookie else []
    scope = {"type": "http", "path": path, "scheme": scheme, "headers": headers}
    run_asgi(owner.OwnerCookie(inner)(scope, receive, send_message))
    found: dict[bytes, list[bytes]] = {}
    for name, value in sent[0]["headers"]:
        found.setdefault(name, []).append(value)
    return found


def test_a_browser_without_an_id_gets_one_only_the_server_can_read() -> None:
    (cookie,) = page_headers()[b"set-cookie"]
    name, _, rest = cookie.decode().partition("=")
    value, *flags = rest.split("; ")
    assert name == owner.COOKIE and len(value) == 32
    assert {"HttpOnly", "SameSite=Lax", "Path=/"} <= set(flags)
    assert "Secure" not in flags
    assert "Secure" in page_headers(scheme="https")[b"set-cookie"][0].decode()


def test_a_browser_keeps_its_id_and_a_forged_one_is_replaced() -> None:
    kept = page_headers(cookie=f"other=1; {owner.COOKIE}={OWNER_ID}")[b"set-cookie"][0].decode()
    assert kept.startswith(f"{owner.COOKIE}={OWNER_ID};")
    forged = page_headers(cookie=f"{owner.COOKIE}=../../x")[b"set-cookie"][0].decode()
    assert "../../x" not in forged


def test_other_paths_get_no_cookie() -> None:
    assert b"set-cookie" not in page_headers("/_stcore/health")


@pytest.fixture
def become(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Makes the next sessions belong to the named browser, as its cookie would."""

    run = uuid.uuid4().hex  # owners of their own, in case the database outlives the test

    def switch(name: str) -> None:
        monkeypatch.setattr(owner, "current", lambda: f"browser:{name}-{run}")

    return switch


def contents(app: AppTest) -> list[str]:
    return [message.content for message in history(app)]


def test_a_new_session_of_the_same_owner_sees_the_conversation(
    become: Callable[[str], None], make_app: Callable[[], AppTest]
) -> None:
    become("alice")
    send(make_app(), "Remember this")
    later = make_app()
    assert contents(later)[0] == "Remember this"
    assert len(history(later)) == 2


def test_another_owner_sees_nothing(become: Callable[[str], None], make_app: Callable[[], AppTest]) -> None:
    become("alice")
    first = make_app()
    send(first, "Alice's secret")
    become("mallory")
    assert history(make_app()) == []
{%- if cookiecutter.multiple_conversations %}
    # Not even with the link to it.
    snooping = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=30)
    snooping.query_params["conversation"] = first.session_state["chat.conversation"].id
    snooping.run()
    assert history(snooping) == []
    assert any("did not match any conversation" in toast.value for toast in snooping.toast)
{%- endif %}


def test_settings_survive_a_new_session(become: Callable[[str], None], make_app: Callable[[], AppTest]) -> None:
    become("alice")
    make_app().number_input(key="settings.max_tokens").set_value(321).run()
    assert make_app().number_input(key="settings.max_tokens").value == 321
{%- if cookiecutter.approval_workflow %}


def test_a_draft_waiting_for_review_survives_a_new_session(
    become: Callable[[str], None], make_app: Callable[[], AppTest]
) -> None:
    become("alice")
    make_app().chat_input[0].set_value("Draft me").run()
    later = make_app()
    assert "Accept" in [button.label for button in later.button]
    click(later, "Accept")
    assert contents(make_app())[0] == "Draft me" and len(contents(make_app())) == 2
{%- endif %}


def test_an_unusable_database_at_start_shows_what_to_fix(
    monkeypatch: pytest.MonkeyPatch, make_app: Callable[[], AppTest]
) -> None:
    monkeypatch.setenv(storage.URL_ENV, "sqlite:////proc/no-such-folder/chat.db")
    app = make_app()
    assert not app.exception
    assert "cannot be used" in app.error[0].value and storage.URL_ENV in app.error[0].value
    assert len(app.chat_input) == 0


def test_a_message_that_cannot_be_stored_is_kept_to_send_again(
    become: Callable[[str], None], make_app: Callable[[], AppTest], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(storage.URL_ENV, f"sqlite:///{tmp_path / 'locked.db'}")
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 200)  # the lock outlasts the wait sooner
    become("alice")
    app = make_app()
    # Another process holds the database's write lock for longer than the app waits.
    blocker = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        app.chat_input[0].set_value("Please keep me").run()
        assert not app.exception
        assert "Your message was not sent" in app.error[0].value
        assert app.code[0].value == "Please keep me"
        assert history(app) == []
    finally:
        blocker.rollback()
        blocker.close()
    click(app, "Send again")
{%- if cookiecutter.approval_workflow %}
    click(app, "Accept")
{%- endif %}
    assert contents(app)[0] == "Please keep me" and len(history(app)) == 2
    assert contents(make_app())[0] == "Please keep me"
{%- if cookiecutter.message_metadata %}


def test_a_rating_that_cannot_be_stored_is_said_in_a_toast(
    become: Callable[[str], None], make_app: Callable[[], AppTest], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(storage.URL_ENV, f"sqlite:///{tmp_path / 'locked.db'}")
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 200)
    become("alice")
    app = make_app()
    send(app, "Rate me")
    blocker = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        # The thumbs' callback cannot draw (it belongs to the page's fragment): its sentence comes as a toast.
        app.feedback[0].set_value(1).run()
        assert not app.exception
        assert any("nothing was saved" in toast.value for toast in app.toast), [t.value for t in app.toast]
    finally:
        blocker.rollback()
        blocker.close()
    assert history(app)[-1].metadata["feedback"]["rating"] == "up"  # kept on screen, as the message says
{%- endif %}
