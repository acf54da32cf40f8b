"""Message details, thumbs and downloads in a real browser."""

from __future__ import annotations

import json

from chat_page import ChatPage


def test_thumbs_are_recorded_and_downloads_match_the_page(chat: ChatPage) -> None:
    chat.exchange("Rate this reply")
    chat.exchange("And this one")
    details = chat.last_message().get_by_test_id("stCaptionContainer").first.inner_text()
    assert "demo" in details and "tokens" in details
    thumbs_up = chat.last_message().locator("[aria-label='Thumbs up']")
    chat.settle(thumbs_up.click)
    exported = json.loads(chat.download("Download as JSON"))
    shown = chat.messages()
    assert [m["role"] for m in exported["messages"]] == [role for role, _ in shown]
    for message, (_, text) in zip(exported["messages"], shown, strict=True):
        assert message["content"].split("\n")[0] in text
    assert exported["messages"][-1]["metadata"]["feedback"]["rating"] == "up"
    rows = [json.loads(line) for line in chat.download("Download feedback (JSONL)").decode().splitlines()]
    assert [(row["prompt"], row["rating"]) for row in rows] == [("And this one", "up")]
    markdown = chat.download("Download as Markdown").decode()
    assert "Rate this reply" in markdown and "And this one" in markdown


def test_a_stopped_reply_is_exported_as_interrupted(slow_chat: ChatPage) -> None:
    slow_chat.start_sending("Stop me, then export")
    slow_chat.stop()
    slow_chat.let_reply_join()
    exported = json.loads(slow_chat.download("Download as JSON"))
    assert exported["messages"][-1]["status"] == "interrupted"
    assert exported["messages"][-1]["content"].strip() in slow_chat.messages()[-1][1]
