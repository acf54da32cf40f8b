from __future__ import annotations

import json

import pytest

from {{ cookiecutter.package_name }}.debug import REDACTED, known_secret_values, redact

SECRET = "sk-test-0123456789abcdef"


def test_the_debug_panel_is_off_by_default(app) -> None:
    assert "Debug: session state" not in [expander.label for expander in app.expander]
    assert not app.json


def test_the_toggle_shows_the_session_state(app, send) -> None:
    send(app, "hello")
    app.toggle(key="settings.debug").set_value(True).run()
    assert "Debug: session state" in [expander.label for expander in app.expander]
    state = json.loads(app.json[0].value)
    assert state["chat.conversation"]["messages"][0]["content"] == "hello"
    assert state["settings.max_tokens"] == 1024
    # What the request sent, summarised when the panel is drawn: sizes and starts, not whole texts.
    sent = state["chat.last_request"]
    assert sent["earlier_messages_left_out"] == 0 and sent["estimated_tokens"] > 0
    assert [(m["role"], m["start"]) for m in sent["sent"]] == [("user", "hello")]


def test_secrets_turn_the_panel_on(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATBOT_DEBUG", "true")
    app = make_app()
    assert app.json


def test_api_keys_never_appear_in_the_panel(make_app, send, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICE_API_KEY", SECRET)
    monkeypatch.setenv("CHATBOT_DEBUG", "1")
    app = make_app()
    send(app, f"my key is {SECRET}, keep it safe")
    shown = app.json[0].value
    assert SECRET not in shown
    assert REDACTED in shown


def test_redact_blanks_secret_names_and_known_values() -> None:
    secret_values = known_secret_values({"service": {"api_key": SECRET}}, {"HOME": "/home/me"})
    assert secret_values == {SECRET}
    data = {"auth_token": "abc", "note": f"key={SECRET}", "nested": [{"password": "hunter22"}], "count": 3}
    assert redact(data, secret_values) == {
        "auth_token": REDACTED,
        "note": f"key={REDACTED}",
        "nested": [{"password": REDACTED}],
        "count": 3,
    }
