from __future__ import annotations

from {{ cookiecutter.package_name }}.history import FIRST_PAGE, PAGE_SIZE, newest_exchange_start, outgrown
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
    assert len(app.chat_message) == FIRST_PAGE
    assert app.chat_message[-1].markdown[0].value == "message 99"
    more = next(button for button in app.button if button.label.startswith("Show"))
    assert more.label == f"Show {PAGE_SIZE} earlier messages ({100 - FIRST_PAGE} hidden)"
    more.click().run()
    assert len(app.chat_message) == FIRST_PAGE + PAGE_SIZE
    assert app.chat_message[0].markdown[0].value == f"message {100 - FIRST_PAGE - PAGE_SIZE}"


def _conversation(*roles: str) -> list[Message]:
    return [Message(role=role, content=f"{role} {index}") for index, role in enumerate(roles)]


def test_the_newest_exchange_starts_at_the_last_question() -> None:
    assert newest_exchange_start(_conversation("user", "assistant", "user", "assistant")) == 2
    assert newest_exchange_start(_conversation("user", "assistant", "user")) == 2
    assert newest_exchange_start(_conversation("assistant", "assistant")) == 1  # no question: the last message
    assert newest_exchange_start([]) == 0


def test_the_fragment_starts_over_only_when_it_holds_more_than_a_page_and_an_older_question() -> None:
    exchanges = _conversation(*["user", "assistant"] * PAGE_SIZE)
    assert not outgrown(exchanges, len(exchanges) - 2)  # only the newest exchange since the last full run
    assert outgrown(exchanges, 0)  # 2 x PAGE_SIZE messages since the last full run
    assert not outgrown(exchanges[: PAGE_SIZE - 2], 0)  # still within a page
    # One question followed by more than a page of answers (an import, say): a full run would draw
    # the same part again, so it must not start over (that would rerun for ever).
    assert not outgrown(_conversation("user", *["assistant"] * (PAGE_SIZE + 5)), 0)


def test_older_messages_and_the_newest_exchange_together_fill_the_page(app) -> None:
    app.session_state["chat.conversation"].messages = _conversation(*["user", "assistant"] * 20)
    app.run()
    shown = [message.markdown[0].value for message in app.chat_message]
    assert shown == [f"{'user' if index % 2 == 0 else 'assistant'} {index}" for index in range(40 - FIRST_PAGE, 40)]
