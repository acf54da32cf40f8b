"""The chat's main paths in a real browser: send, stream, stop, retry, settings and clearing."""

from __future__ import annotations
{% if cookiecutter.simple_history %}
import re
{% endif %}
from chat_page import ChatPage
{% if cookiecutter.simple_history %}
from {{ cookiecutter.package_name }}.history import PAGE_SIZE

SHOW_EARLIER = re.compile(rb"Show \d+ earlier messages \(\d+ hidden\)")
{% endif %}
INTERRUPTED = "Reply interrupted before it finished."


def roles(chat: ChatPage) -> list[str]:
    return [role for role, _ in chat.messages()]


def test_nothing_on_the_page_moves_as_it_loads(chat: ChatPage) -> None:
    # Cumulative layout shift as browsers report it; 0.1 is the usual bound for a page that "does not jump".
    chat.page.wait_for_timeout(500)  # late shifts count too
    assert chat.layout_shift() <= 0.1, chat.layout_shift()


def test_a_prompt_gets_a_streamed_reply(chat: ChatPage) -> None:
    chat.exchange("What can you do?")
    assert roles(chat) == ["user", "assistant"]
    assert 'You said: "What can you do?"' in chat.messages()[1][1]
    assert chat.input.is_enabled()


{% if cookiecutter.simple_history -%}
def test_a_reply_sends_only_the_newest_exchange_again(chat: ChatPage) -> None:
    received = chat.record_received()
    chat.open()  # a new connection, recorded from its start
    for prompt in ("Opening question", "Kestrel question", "Osprey question"):
        chat.exchange(prompt)
    # A settings change draws the whole page again: the osprey exchange is then the newest one.
    chat.flip_setting("Stream replies")
    received.clear()
    chat.exchange("Heron question")
    sent = b"".join(received)
    assert b"Heron question" in sent and b"Osprey question" in sent
    assert b"Kestrel" not in sent, "the reply drew the older messages again"
    assert [text for role, text in chat.messages() if role == "user"][-2:] == ["Osprey question", "Heron question"]


def test_the_conversation_above_stays_put_while_a_reply_runs(slow_chat: ChatPage) -> None:
    # On the slow server, so that the reply's run spans many frames.
    slow_chat.exchange("Kestrel question")
    slow_chat.exchange("Osprey question")
    # A settings change draws the whole page again: the kestrel exchange is then above the newest one.
    slow_chat.flip_setting("Stream replies")
    # The Edit button under the kestrel question is hidden while the reply runs. Taken out of the
    # layout, it would pull everything below it up as the run started and push it back as it ended.
    frames = slow_chat.watch_first_messages(lambda: slow_chat.send("Heron question"))
    gaps = [frame["gap"] for frame in frames]
    assert len(gaps) > 1 and set(gaps) == {gaps[0]}, gaps
    running = [frame for frame in frames if frame["running"]]
    assert running and not any(frame["editShown"] for frame in running), frames
    assert frames[-1]["editShown"], "Edit shows again once the run is over"


def test_a_long_session_draws_the_whole_page_again_once_then_only_the_newest(chat: ChatPage) -> None:
    received = chat.record_received()
    chat.open()
    # Each exchange adds to what the fragment redraws, until that holds more than a page: then one
    # full run (for the next prompt, or for a review click) starts it over from the newest exchange.
    # Only a full run draws the "Show earlier messages" button, so its label marks that run.
    for number in range(3 * PAGE_SIZE):
        received.clear()
        chat.exchange(f"Question q{number}x")
        if SHOW_EARLIER.search(b"".join(received)):
            break
    else:
        raise AssertionError(f"{3 * PAGE_SIZE} exchanges and the whole page was never drawn again")
    assert number >= PAGE_SIZE // 2, "the whole page was drawn again before the fragment held a page"
    received.clear()
    chat.exchange("Question after a page")
    sent = b"".join(received)
    assert not SHOW_EARLIER.search(sent), "the reply drew the whole page again"
    # The full run drew from the exchange before its own on; nothing older is sent again.
    assert f"q{number - 2}x".encode() not in sent, "the reply drew the older messages again"
    asked = [text for role, text in chat.messages() if role == "user"]
    assert asked[-3:] == [f"Question q{number - 1}x", f"Question q{number}x", "Question after a page"]
    assert len(asked) == len(set(asked)), "a question was drawn twice"


{% endif -%}
def test_the_reply_streams_in_before_it_is_complete(slow_chat: ChatPage) -> None:
    reply = slow_chat.start_sending("Stream this slowly please")
    partial = reply.inner_text()
    assert "To talk to a real model" not in partial  # the end has not arrived yet
    assert INTERRUPTED not in partial  # nor is a running reply marked as cut short
    # Nor is what it offers once done (Retry, the review buttons) there to click before it is done.
    assert reply.locator("button:visible").count() == 0
    slow_chat.wait_idle()
    assert "To talk to a real model" in slow_chat.last_message().inner_text()


def test_stop_marks_the_reply_interrupted_at_once_and_retry_completes_it(slow_chat: ChatPage) -> None:
    slow_chat.start_sending("Tell me a long story about the sea")
    runs = slow_chat.runs_finished()
    slow_chat.stop()
    # Marked in the run that stopped: no further script run has happened.
    slow_chat.last_message().get_by_text(INTERRUPTED).wait_for(timeout=2_000)
    assert slow_chat.runs_finished() == runs + 1
    slow_chat.retry()
    assert roles(slow_chat) == ["user", "assistant"]
    assert INTERRUPTED not in slow_chat.messages()[-1][1]
    assert "To talk to a real model" in slow_chat.messages()[-1][1]
    assert not slow_chat.has_button("Retry")


def test_no_retry_survives_a_later_exchange(slow_chat: ChatPage) -> None:
    slow_chat.start_sending("First question, to be stopped")
    slow_chat.stop()
    slow_chat.dismiss_cut_reply()
    slow_chat.exchange("Second question")
    assert not slow_chat.has_button("Retry")
    assert roles(slow_chat)[-2:] == ["user", "assistant"]
    assert "Second question" in slow_chat.messages()[-1][1]


def test_an_empty_prompt_is_refused_in_place(chat: ChatPage) -> None:
    chat.type("   \n  ")
    chat.settle(lambda: chat.input.press("Enter"))
    assert chat.messages() == []
    chat.page.get_by_text("That message was empty").wait_for()
    chat.exchange("Now a real one")
    assert roles(chat) == ["user", "assistant"]


def test_settings_reset_brings_back_the_defaults(chat: ChatPage) -> None:
    assert chat.page.get_by_label("System prompt").count() == 0, "the settings are drawn before they are opened"
    prompt_box = chat.settings().get_by_label("System prompt")
    chat.expect(prompt_box).not_to_have_value("")  # the widget mounts empty and fills in its value after
    original = prompt_box.input_value()
    prompt_box.fill("Answer like a pirate.")
    chat.settle(lambda: prompt_box.blur())
    chat.exchange("Who are you?")
    assert "system prompt (21 characters)" in chat.messages()[-1][1]
    chat.settle(lambda: chat.settings().get_by_role("button", name="Reset to defaults").click())
    chat.expect(chat.settings().get_by_label("System prompt")).to_have_value(original)


def test_clear_chat_empties_the_conversation(chat: ChatPage) -> None:
    chat.exchange("Something to forget")
    chat.click("Clear chat")
    chat.expect_message_count(0)
    chat.exchange("A fresh start")
    assert "This is the first message" in chat.messages()[-1][1]
