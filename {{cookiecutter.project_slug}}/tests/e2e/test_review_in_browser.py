"""Reviewing replies in a real browser: the draft card, its four actions, Stop, and fast or stale clicks."""

from __future__ import annotations

from chat_page import ChatPage

INTERRUPTED = "Reply interrupted before it finished."


def assistant_texts(chat: ChatPage) -> list[str]:
    return [text for role, text in chat.messages() if role == "assistant"]


def test_the_draft_arrives_as_a_review_card_in_one_run_and_locks_the_input(chat: ChatPage) -> None:
    before = chat.runs_finished()
    chat.send("Draft me something")
    assert chat.runs_finished() == before + 1
    card = chat.last_message()
    assert "Draft 1, waiting for your review" in card.inner_text()
    for label in ("Accept", "Regenerate", "Edit", "Reject"):
        assert chat.has_button(label), label
    assert not chat.input.is_enabled()
    chat.click("Accept")
    assert "waiting for your review" not in chat.messages()[-1][1]
    assert 'You said: "Draft me something"' in chat.messages()[-1][1]
    assert chat.input.is_enabled()


def test_regenerate_then_accept_keeps_the_earlier_draft_count(chat: ChatPage) -> None:
    chat.send("Try twice")
    chat.click("Regenerate")
    assert "Draft 2, waiting for your review · 1 earlier draft kept" in chat.last_message().inner_text()
    chat.click("Accept")
    assert len(assistant_texts(chat)) == 1


def test_edit_then_save_accepts_the_corrected_reply(chat: ChatPage) -> None:
    chat.send("Edit me")
    chat.click("Edit")
    chat.page.get_by_label("Correct the reply").fill("A reply corrected by hand.")
    chat.click("Save and accept")
    assert assistant_texts(chat)[-1].startswith("A reply corrected by hand.")
    assert chat.input.is_enabled()


def test_reject_keeps_the_prompt_and_opens_the_input_and_ask_again_drafts_anew(chat: ChatPage) -> None:
    chat.send("Reject this")
    chat.click("Reject")
    assert [role for role, _ in chat.messages()] == ["user"]
    assert chat.input.is_enabled()
    chat.click("Ask again").let_reply_join()
    assert [role for role, _ in chat.messages()] == ["user", "assistant"]
    assert not chat.has_button("Ask again")
    chat.exchange("Then this")
    assert len(assistant_texts(chat)) == 2


def test_after_stop_the_cut_draft_waits_for_review_and_nothing_can_be_sent(slow_chat: ChatPage) -> None:
    slow_chat.start_sending("A long draft to stop")
    slow_chat.stop()
    card = slow_chat.last_message()
    card.get_by_text(INTERRUPTED).wait_for(timeout=2_000)
    assert slow_chat.has_button("Accept") and slow_chat.has_button("Regenerate")
    # No chat box while the draft waits: nothing typed can be lost.
    assert slow_chat.input.count() == 0 or not slow_chat.input.is_enabled()
    slow_chat.click("Regenerate")
    assert "Draft 2" in slow_chat.last_message().inner_text()
    assert INTERRUPTED not in slow_chat.last_message().inner_text()
    slow_chat.click("Accept")
    assert slow_chat.input.is_enabled()


def test_each_action_works_on_a_stopped_draft(slow_chat: ChatPage) -> None:
    for action, expected_assistants in (("Accept", 1), ("Reject", 1), ("Edit", 2)):
        slow_chat.start_sending(f"Stop then {action}")
        slow_chat.stop()
        slow_chat.last_message().get_by_text(INTERRUPTED).wait_for(timeout=2_000)
        slow_chat.click(action)
        if action == "Edit":
            slow_chat.page.get_by_label("Correct the reply").fill("Finished by hand.")
            slow_chat.click("Save and accept")
        assert len(assistant_texts(slow_chat)) == expected_assistants, action
        slow_chat.wait_input_enabled()
    assert assistant_texts(slow_chat)[-1].startswith("Finished by hand.")


def test_fast_double_clicks_on_review_buttons_leave_the_app_working(chat: ChatPage) -> None:
    for first, second in (("Accept", "Accept"), ("Regenerate", "Accept"), ("Reject", "Accept")):
        chat.send(f"{first} then {second}")
        first_button, second_button = chat.button(first).first, chat.button(second).first
        before = chat.runs_finished()
        first_button.click()
        chat.page.wait_for_timeout(100)
        if second_button.count() and second_button.is_visible():
            second_button.click(timeout=2_000, force=True)
        chat.page.wait_for_function(f"window.__runsFinished > {before}")
        # The second click's run may land after the first has finished: give it a few seconds,
        # accepting a draft that Regenerate left waiting. A page left locked with no draft fails.
        for _ in range(20):
            chat.wait_idle()
            if chat.input.is_enabled():
                break
            if chat.has_button("Accept"):
                chat.click("Accept")
            else:
                chat.page.wait_for_timeout(250)
        chat.assert_no_exception_shown()
        assert chat.input.is_enabled()
    assert len(assistant_texts(chat)) == 2  # Reject then Accept: the rejected draft is not accepted


def test_a_stale_accept_during_regenerate_is_ignored(slow_chat: ChatPage) -> None:
    slow_chat.send("Regenerate slowly")
    stale_accept = slow_chat.button("Accept").first
    slow_chat.button("Regenerate").first.click()
    slow_chat.page.get_by_text("Draft 2").wait_for()
    if stale_accept.count():
        stale_accept.click(force=True, timeout=2_000)
    slow_chat.wait_idle()
    slow_chat.assert_no_exception_shown()
    assert assistant_texts(slow_chat)[-1].startswith("Draft 2")  # still waiting for review
    slow_chat.click("Accept")
    assert slow_chat.input.is_enabled()
