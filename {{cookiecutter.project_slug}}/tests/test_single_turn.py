from __future__ import annotations


def test_each_prompt_is_answered_on_its_own(app, send) -> None:
    send(app, "first question")
    send(app, "second question")
    messages = app.session_state["chat.conversation"].messages
    assert messages[0].content == "second question"
    assert "This is the first message I have been given" in messages[-1].content


def test_only_the_latest_exchange_is_shown(app, send) -> None:
    send(app, "first question")
    send(app, "second question")
    assert [m.name for m in app.chat_message] == ["user", "assistant"]
    assert app.chat_message[0].markdown[0].value == "second question"
