"""Edit a question and ask again, and regenerate the newest answer, in a real browser."""

from __future__ import annotations

from chat_page import ChatPage


def test_regenerate_gives_a_new_answer_in_place_of_the_newest(chat: ChatPage) -> None:
    chat.exchange("Hello there")
    chat.click("Regenerate")
    chat.let_reply_join()
    assert [role for role, _ in chat.messages()] == ["user", "assistant"]
    assert 'You said: "Hello there"' in chat.messages()[1][1]


def test_editing_the_question_asks_it_again(chat: ChatPage) -> None:
    chat.exchange("What is 2 + 2?")
    chat.click("Edit")
    box = chat.page.get_by_label("Edited message", exact=True)
    box.fill("What is 3 + 3?")
    chat.click("Save and ask again")
    chat.let_reply_join()
    shown = chat.messages()
    assert [text for role, text in shown if role == "user"] == ["What is 3 + 3?"]
    assert 'You said: "What is 3 + 3?"' in shown[-1][1]
    assert chat.input.is_enabled()
