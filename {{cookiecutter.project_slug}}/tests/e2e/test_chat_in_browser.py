"""The chat's main paths in a real browser: send, stream, stop, retry, settings and clearing."""

from __future__ import annotations

from chat_page import ChatPage

INTERRUPTED = "Reply interrupted before it finished."


def test_a_prompt_gets_a_streamed_reply(chat: ChatPage) -> None:
    chat.send("What can you do?")
    roles = [role for role, _ in chat.messages()]
    assert roles == ["user", "assistant"]
    assert 'You said: "What can you do?"' in chat.messages()[1][1]
    assert chat.input.is_enabled()


def test_stop_marks_the_reply_interrupted_at_once_and_retry_completes_it(slow_chat: ChatPage) -> None:
    slow_chat.start_sending("Tell me a long story about the sea")
    slow_chat.page.wait_for_timeout(400)
    slow_chat.stop()
    reply = slow_chat.last_message()
    reply.get_by_text(INTERRUPTED).wait_for(timeout=2_000)
    assert slow_chat.has_button("Retry")
    assert slow_chat.input.is_enabled()
    slow_chat.click("Retry")
    assert INTERRUPTED not in slow_chat.messages()[-1][1]
    assert [role for role, _ in slow_chat.messages()] == ["user", "assistant"]
    assert not slow_chat.has_button("Retry")
