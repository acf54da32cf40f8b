from __future__ import annotations

import pytest
{%- if cookiecutter.approval_workflow %}
from driver import RETRY_LABEL, history, latest_reply, retry
{%- else %}
from driver import RETRY_LABEL, click, history, labels, latest_reply, retry, send_stopped_before_the_reply
{%- endif %}
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.chat import CONTINUE_PROMPT, CUT_NOTE, INTERRUPTED_NOTE
from {{ cookiecutter.package_name }}.providers.demo import DemoProvider


def test_first_run_shows_the_demo_notice_and_no_error(app: AppTest) -> None:
    assert not app.exception
    assert any("offline demo model" in notice.value for notice in app.info)
    assert app.chat_input[0].placeholder == "Your message"


def test_a_prompt_gets_a_reply_from_the_demo_model(app: AppTest, send) -> None:
    send(app, "What can you do?")
    messages = history(app)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[0].content == "What can you do?"
    assert 'You said: "What can you do?"' in messages[1].content
    assert messages[1].status == "complete"
    assert [m.name for m in app.chat_message] == ["user", "assistant"]


def test_the_reply_is_streamed_in_several_chunks(monkeypatch: pytest.MonkeyPatch, app: AppTest, send) -> None:
    seen: list[str] = []
    original = DemoProvider._generate

    def recording(self, messages, settings, reply):
        for chunk in original(self, messages, settings, reply):
            seen.append(chunk)
            yield chunk

    monkeypatch.setattr(DemoProvider, "_generate", recording)
    send(app, "Stream this please")
    assert len(seen) > 10
    assert "".join(seen) == history(app)[-1].content


def test_turning_streaming_off_gives_the_same_reply_at_once(app: AppTest, make_app, send) -> None:
    send(app, "Same words either way")
    streamed = history(app)[-1].content
    whole = make_app()
    whole.toggle(key="settings.streaming").set_value(False).run()
    send(whole, "Same words either way")
    assert history(whole)[-1].content == streamed
    assert history(whole)[-1].status == "complete"


def test_input_turns_into_a_stop_button_while_a_reply_streams(app: AppTest) -> None:
    from streamlit.proto.ChatInput_pb2 import ChatInput

    assert app.chat_input[0].proto.submit_mode == ChatInput.SUBMIT_MODE_STOP


UNSTOPPED = DemoProvider._generate


def _stop_after(words: int):
    def stopping(self, messages, settings, reply):
        for index, chunk in enumerate(UNSTOPPED(self, messages, settings, reply)):
            if index == words:
                # What Streamlit raises inside the script when the user presses stop.
                raise StopException()
            yield chunk

    return stopping


def test_a_stopped_reply_keeps_its_partial_text_marked_interrupted(
    monkeypatch: pytest.MonkeyPatch, app: AppTest, send
) -> None:
    monkeypatch.setattr(DemoProvider, "_generate", _stop_after(3))
    app.chat_input[0].set_value("Tell me a long story").run()
    reply = latest_reply(app)
    assert history(app)[0].content == "Tell me a long story"
    assert reply.status == "interrupted"
    assert reply.content == 'You said: "Tell '
    monkeypatch.setattr(DemoProvider, "_generate", UNSTOPPED)  # not undo(): that would undo the test's environment
    app.run()
    assert INTERRUPTED_NOTE in [caption.value for caption in app.caption]
    assert any(button.label == RETRY_LABEL for button in app.button)


def test_a_reply_stopped_before_its_first_word_is_still_recorded(monkeypatch: pytest.MonkeyPatch, app: AppTest) -> None:
    monkeypatch.setattr(DemoProvider, "_generate", _stop_after(0))
    app.chat_input[0].set_value("Hello").run()
    assert history(app)[0].content == "Hello"
    assert (latest_reply(app).content, latest_reply(app).status) == ("", "interrupted")


def test_retry_replaces_an_interrupted_reply_with_a_complete_one(monkeypatch: pytest.MonkeyPatch, app: AppTest) -> None:
    monkeypatch.setattr(DemoProvider, "_generate", _stop_after(2))
    app.chat_input[0].set_value("Try again later").run()
    monkeypatch.setattr(DemoProvider, "_generate", UNSTOPPED)  # not undo(): that would undo the test's environment
    app.run()
    retry(app)
    messages = history(app)
    assert [(m.role, m.status) for m in messages] == [("user", "complete"), ("assistant", "complete")]
    assert 'You said: "Try again later"' in messages[-1].content


{%- if not cookiecutter.approval_workflow %}


def test_a_question_left_without_an_answer_can_be_asked_again(monkeypatch: pytest.MonkeyPatch, app: AppTest) -> None:
    send_stopped_before_the_reply(app, monkeypatch, "Still waiting")
    assert [m.role for m in history(app)] == ["user"]
    click(app, "Ask again")
    assert [(m.role, m.status) for m in history(app)] == [("user", "complete"), ("assistant", "complete")]
    assert 'You said: "Still waiting"' in history(app)[-1].content
    assert "Ask again" not in labels(app), "Ask again belongs to an unanswered newest question only"
{%- endif %}


def test_clear_chat_empties_the_history_and_says_so(app: AppTest, send) -> None:
    send(app, "Something to forget")
    next(button for button in app.sidebar.button if button.label == "Clear chat").click().run()
    assert history(app) == []
    assert not app.chat_message
    assert "Conversation cleared." in [toast.value for toast in app.toast]


def test_a_reply_cut_at_the_token_limit_says_so_and_continue_asks_for_the_rest(app: AppTest, send) -> None:
    app.number_input(key="settings.max_tokens").set_value(5).run()
    send(app, "Tell me everything.")
    cut = latest_reply(app)
    assert cut.status == "complete" and len(cut.content.split(" ")) == 5  # the demo model counts words as tokens
    assert cut.metadata["cut_at_token_limit"] is True
    assert any(caption.value == CUT_NOTE for caption in app.caption)
    app.number_input(key="settings.max_tokens").set_value(1024).run()
    next(button for button in app.button if button.label == "Continue").click().run()
    assert not app.exception
{%- if cookiecutter.approval_workflow %}
    next(button for button in app.button if button.label == "Accept").click().run()
{%- endif %}
    asked = [m for m in history(app) if m.role == "user"]
    assert asked[-1].content == CONTINUE_PROMPT
    assert "cut_at_token_limit" not in latest_reply(app).metadata
    assert not any(button.label == "Continue" for button in app.button), "Continue belongs to the newest reply only"
