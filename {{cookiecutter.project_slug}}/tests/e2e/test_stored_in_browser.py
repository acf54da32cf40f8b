"""Stored conversations in a real browser: reloads, other browsers, a killed server, two processes."""

from __future__ import annotations

from pathlib import Path

from chat_page import RETRY_LABEL, BrowserGuard, ChatPage
from server import StreamlitServer

PROJECT = Path(__file__).resolve().parents[2]


def test_a_reload_restores_the_conversation(chat: ChatPage) -> None:
    chat.exchange("Keep this across a reload")
    before = chat.messages()
    chat.open()
    assert chat.messages() == before


def test_another_browser_sees_none_of_it_even_with_the_link(chat: ChatPage, new_guard, fast_server) -> None:
    chat.exchange("Only for the first browser")
    link = chat.page.url
    stranger = ChatPage(new_guard().new_page(), fast_server.url)
    stranger.open(link.removeprefix(fast_server.url))
    assert stranger.messages() == []
    assert "Only for the first browser" not in stranger.page.content()


def test_a_killed_server_loses_no_accepted_message(chromium, tmp_path: Path, database_env) -> None:
    server = StreamlitServer(PROJECT / "serve.py", tmp_path, word_delay=0.05, env=database_env)
    guard = BrowserGuard(chromium)
    try:
        server.start()
        chat = ChatPage(guard.new_page(), server.url).open()
        chat.exchange("Answered before the crash")
        chat.start_sending("Sent just before the crash; tell me a long story")
        chat.page.wait_for_function(
            "document.querySelectorAll('[data-testid=stChatMessage]').length >= 4"
            " && document.querySelectorAll('[data-testid=stChatMessage]')[3].innerText.length > 20"
        )
        server.kill()
        server.start()
        chat.open()
        shown = chat.messages()
        assert [text for role, text in shown if role == "user"] == [
            "Answered before the crash",
            "Sent just before the crash; tell me a long story",
        ]
        assert shown[1][0] == "assistant" and "Answered before the crash" in shown[1][1]
        chat.page.get_by_test_id("stChatInputTextArea").wait_for()
        # The reply cut by the crash is either kept, marked as interrupted, with Retry; or gone, and
        # its question offers Ask again.
        if len(shown) == 4:
            assert "interrupted" in shown[3][1] and chat.has_button(RETRY_LABEL)
        else:
            assert len(shown) == 3, shown
            chat.click("Ask again").let_reply_join()
            assert 'You said: "Sent just before the crash' in chat.messages()[3][1]
            assert not chat.has_button("Ask again")
        chat.exchange("And after the restart")
        assert chat.messages()[-2] == ("user", "And after the restart")
    finally:
        guard.close()
        server.stop()


def test_two_app_processes_share_one_postgresql(chromium, tmp_path: Path, postgres_env) -> None:
    first = StreamlitServer(PROJECT / "serve.py", tmp_path / "first", env=postgres_env)
    second = StreamlitServer(PROJECT / "serve.py", tmp_path / "second", env=postgres_env)
    guard = BrowserGuard(chromium)
    try:
        first.start()
        second.start()
        # One browser, so one owner: cookies are kept per host, whatever the port.
        on_first = ChatPage(guard.new_page(), first.url).open()
        on_first.exchange("Started on the first process")
        on_second = ChatPage(guard.new_page(), second.url).open()
        assert on_second.messages() == on_first.messages()
        on_second.exchange("Continued on the second")
        on_first.open()
        assert [text for role, text in on_first.messages() if role == "user"] == [
            "Started on the first process",
            "Continued on the second",
        ]
        guard.assert_clean()
    finally:
        guard.close()
        first.stop()
        second.stop()
