"""Ten browser sessions chatting at once against one server."""

from __future__ import annotations

from chat_page import ChatPage

SESSIONS = 10


def test_ten_sessions_each_see_only_their_own_messages(new_guard, fast_server) -> None:
    chats = [ChatPage(new_guard().new_page(), fast_server.url).open() for _ in range(SESSIONS)]
    for round_number in (1, 2):
        before = [chat.runs_finished() for chat in chats]
        for index, chat in enumerate(chats):  # every prompt is in flight before any reply is awaited
            chat.type(f"session {index} round {round_number}")
            chat.input.press("Enter")
        for index, chat in enumerate(chats):
            chat.page.wait_for_function(f"window.__runsFinished > {before[index]}")
            chat.wait_idle()
            chat.let_reply_join()
    for index, chat in enumerate(chats):
        texts = [text for _, text in chat.messages()]
        assert texts[0] == f"session {index} round 1" and texts[2] == f"session {index} round 2", texts
        assert len(texts) == 4
        others = [f"session {other} " for other in range(SESSIONS) if other != index]
        assert not any(other in text for text in texts for other in others), texts
        chat.assert_no_exception_shown()
