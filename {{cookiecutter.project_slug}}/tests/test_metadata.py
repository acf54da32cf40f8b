from __future__ import annotations

import json
import re
from datetime import UTC

from driver import history
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.metadata import conversation_json, conversation_markdown, feedback_jsonl


def test_every_message_carries_its_metadata(app: AppTest, send) -> None:
    send(app, "How long is a piece of string?")
    prompt, reply = history(app)
    assert prompt.created_at.tzinfo is UTC and len(prompt.id) == 32
    assert {"model", "temperature", "max_tokens"} <= set(prompt.metadata)
    data = reply.metadata
    assert data["provider"] == "the offline demo model"
    assert data["model"] == "demo"
    assert data["max_tokens"] == 1024 and data["temperature"] is None
    assert data["usage"]["input_tokens"] > 0 and data["usage"]["output_tokens"] > 0
    assert data["usage"]["total_tokens"] == data["usage"]["input_tokens"] + data["usage"]["output_tokens"]
    assert 0 <= data["latency"]["first_token_seconds"] <= data["latency"]["total_seconds"]
    assert data["finish_reason"] == "stop"
    assert data["feedback"] is None
    assert reply.status == "complete"


def test_a_caption_under_each_reply_gives_time_model_tokens_and_latency(app: AppTest, send) -> None:
    send(app, "Hello")
    captions = [caption.value for caption in app.caption]
    shape = r"\d\d:\d\d UTC · demo · \d+ tokens · first word \d+\.\d s, \d+\.\d s"
    assert any(re.fullmatch(shape, caption) for caption in captions), captions


def test_thumbs_feedback_is_recorded_by_message_id(app: AppTest, send) -> None:
    send(app, "Rate me")
    reply = history(app)[-1]
    assert app.feedback[0].key == f"feedback.{reply.id}"
    app.feedback[0].set_value(1).run()
    assert reply.metadata["feedback"]["rating"] == "up"
    app.feedback[0].set_value(None).run()
    assert reply.metadata["feedback"] is None


def test_stored_feedback_is_shown_again_in_a_new_session(app: AppTest, send, unstarted_app: AppTest) -> None:
    send(app, "Rate me")
    app.feedback[0].set_value(0).run()
    unstarted_app.session_state["chat.conversation"] = app.session_state["chat.conversation"]
    reopened = unstarted_app.run()
    assert reopened.feedback[0].value == 0


def test_the_conversation_downloads_with_all_metadata(app: AppTest, send) -> None:
    send(app, "Export me")
    app.feedback[0].set_value(0).run()
    messages = history(app)
    exported = json.loads(conversation_json(messages))["messages"]
    assert exported[1]["metadata"]["usage"] == messages[1].metadata["usage"]
    assert exported[1]["metadata"]["feedback"]["rating"] == "down"
    markdown = conversation_markdown(messages, "My Bot")
    assert markdown.startswith("# My Bot\n")
    assert "## You · " in markdown and "Export me" in markdown and "## Assistant · " in markdown
    rows = [json.loads(line) for line in feedback_jsonl(messages).splitlines()]
    assert rows == [
        {
            "message_id": messages[1].id,
            "prompt": "Export me",
            "reply": messages[1].content,
            "rating": "down",
            "rated_at": messages[1].metadata["feedback"]["at"],
            "model": "demo",
        }
    ]
    assert [button.label for button in app.sidebar.get("download_button")] == [
        "Download as JSON",
        "Download as Markdown",
        "Download feedback (JSONL)",
    ]
