from __future__ import annotations

from {{ cookiecutter.package_name }}.history import PAGE_SIZE
from {{ cookiecutter.package_name }}.messages import Message


def test_each_reply_sees_the_conversation_so_far(app, send) -> None:
    send(app, "first")
    send(app, "second")
    messages = app.session_state["chat.conversation"].messages
    assert [m.content for m in messages[::2]] == ["first", "second"]
    assert "I can see 2 earlier messages" in messages[-1].content


def test_long_histories_draw_only_the_newest_page(app) -> None:
    app.session_state["chat.conversation"].messages = [
        Message(role="user" if i % 2 == 0 else "assistant", content=f"message {i}") for i in range(100)
    ]
    app.run()
    assert len(app.chat_message) == PAGE_SIZE
    assert app.chat_message[-1].markdown[0].value == "message 99"
    more = next(button for button in app.button if button.label.startswith("Show"))
    assert more.label == f"Show {PAGE_SIZE} earlier messages ({100 - PAGE_SIZE} hidden)"
    more.click().run()
    assert len(app.chat_message) == 2 * PAGE_SIZE
    assert app.chat_message[0].markdown[0].value == f"message {100 - 2 * PAGE_SIZE}"
