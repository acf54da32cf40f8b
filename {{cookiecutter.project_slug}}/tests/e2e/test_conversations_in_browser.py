"""Several conversations in a real browser: new, switch, rename, delete, the link, and clicks mid-reply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chat_page import REVIEWED, ChatPage


def conversation_in_url(chat: ChatPage) -> str:
    return chat.page.url.split("conversation=")[1]


def sidebar_titles(chat: ChatPage) -> list[str]:
    buttons = chat.sidebar.get_by_test_id("stVerticalBlock").get_by_role("button").all_inner_texts()
    return [title for title in buttons if title and "conversation" not in title.lower()]


def test_new_switch_rename_and_delete(chat: ChatPage) -> None:
    chat.exchange("First topic")
    first_id = conversation_in_url(chat)
    chat.click("New conversation")
    second_id = conversation_in_url(chat)
    assert second_id != first_id
    chat.expect_message_count(0)
    chat.exchange("Second topic")
    chat.click("First topic")
    assert conversation_in_url(chat) == first_id
    assert chat.messages()[0][1] == "First topic"
    chat.sidebar.get_by_text("This conversation").click()
    title = chat.sidebar.get_by_label("Title")
    title.fill("Renamed ![x](http://outside.example/t.png) $$\\rule{1px}{9000px}$$")
    chat.settle(lambda: title.press("Enter"))
    assert chat.button("Second topic").count() == 1
    renamed = chat.sidebar.get_by_role("button", name="Renamed", exact=False).first
    box = renamed.bounding_box()
    assert box is not None and box["height"] < 200, box  # a title cannot stretch the sidebar
    chat.click("Delete conversation")
    chat.confirm_in_dialog("Delete")
    assert conversation_in_url(chat) == second_id
    assert chat.messages()[0][1] == "Second topic"


def test_an_unknown_link_opens_a_new_conversation_with_a_notice(chat: ChatPage) -> None:
    chat.open("?conversation=" + "0" * 32)
    chat.page.get_by_text("did not match any conversation").wait_for()
    assert chat.messages() == []
    assert conversation_in_url(chat) != "0" * 32


@pytest.mark.parametrize("control", ["Clear chat", "Stream replies", "New conversation", "Delete conversation"])
def test_a_click_while_a_reply_streams_leaves_the_app_working(slow_chat: ChatPage, control: str) -> None:
    slow_chat.exchange("Earlier exchange")
    slow_chat.start_sending("Interrupt me")
    if control == "Stream replies":
        slow_chat.settings().get_by_text(control).click()
    elif control == "Delete conversation":
        slow_chat.sidebar.get_by_text("This conversation").click()
        slow_chat.button(control).click()
    else:
        slow_chat.button(control).first.click()
    slow_chat.wait_idle()
    if slow_chat.page.get_by_test_id("stDialog").count():
        slow_chat.confirm_in_dialog("Delete")
    slow_chat.assert_no_exception_shown()
    if REVIEWED and (slow_chat.has_button("Accept") or slow_chat.input.is_disabled()):
        # A locked input means a draft waits for review: its card must offer Accept, though it may
        # arrive a moment after the page went idle. If it never does, this fails: the user is stuck.
        slow_chat.button("Accept").first.wait_for()
        slow_chat.click("Accept")
    slow_chat.exchange("After the click")
    assert slow_chat.messages()[-2][1] == "After the click"
    texts = [text for _, text in slow_chat.messages()]
    assert len(texts) == len(set(texts)), texts  # nothing doubled


def test_import_adds_a_conversation_and_a_bad_file_changes_nothing(chat: ChatPage, tmp_path: Path) -> None:
    chat.exchange("Before the import")
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps({"messages": [{"role": "user", "content": "Imported question"}]}))
    bad.write_text('{"messages": "nope"}')
    chat.sidebar.get_by_text("Import a conversation").click()
    uploader = chat.sidebar.get_by_test_id("stFileUploaderDropzoneInput")

    chat.settle(lambda: uploader.set_input_files(str(bad)))
    chat.page.get_by_text("not a conversation downloaded as JSON").wait_for()
    assert chat.messages()[0][1] == "Before the import"

    chat.settle(lambda: uploader.set_input_files(str(good)))
    chat.page.get_by_text("Imported 1 message as").wait_for()
    assert chat.messages() == [("user", "Imported question")]
    assert chat.button("Before the import").count() == 1  # the earlier conversation is still listed
