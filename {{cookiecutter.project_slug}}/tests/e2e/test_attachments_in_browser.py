"""Files sent with a message, in a real browser: picked, uploaded, shown, answered, or refused."""

from __future__ import annotations

from chat_page import ChatPage
from driver import PNG

NOTES = b"# Notes\n\nThe launch is on Tuesday.\n"


def test_an_image_and_a_text_file_are_sent_shown_and_answered(chat: ChatPage) -> None:
    chat.attach(("photo.png", "image/png", PNG), ("notes.md", "text/markdown", NOTES))
    chat.exchange("What is in these?")
    question, reply = chat.page.get_by_test_id("stChatMessage").all()
    thumbnail = question.get_by_test_id("stImage").locator("img")
    assert thumbnail.count() == 1
    assert thumbnail.evaluate("image => image.complete && image.naturalWidth") == 1, "the thumbnail loaded"
    assert f"notes.md (text/markdown, {len(NOTES)} bytes)" in question.inner_text()
    assert "You attached 2 files: photo.png (image/png" in reply.inner_text()
    assert chat.page.get_by_test_id("stFileChip").count() == 0, "the chat box is empty again"


def test_a_file_of_a_kind_not_taken_is_refused_and_the_text_kept(chat: ChatPage) -> None:
    chat.attach(("setup.exe", "application/octet-stream", b"MZ\x90\x00"))
    chat.send("Is this installer safe?")
    assert chat.messages() == [], "nothing was sent"
    error = chat.page.get_by_test_id("stAlertContentError").first.inner_text()
    assert "setup.exe is not a kind of file this chatbot takes" in error
    assert "Is this installer safe?" in chat.page.get_by_test_id("stCode").inner_text()
    chat.click("Send again")
    chat.let_reply_join()
    assert [text for role, text in chat.messages() if role == "user"] == ["Is this installer safe?"]
