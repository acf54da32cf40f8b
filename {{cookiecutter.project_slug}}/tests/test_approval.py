from __future__ import annotations

import pytest
from driver import click, history, labels, send_stopped_before_the_reply
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.approval import EXTRAS_KEY, Stage, Workflow, WorkflowError
from {{ cookiecutter.package_name }}.messages import Message
from {{ cookiecutter.package_name }}.providers.demo import DemoProvider

REVIEW_BUTTONS = ["Accept", "Regenerate", "Edit", "Reject"]


def workflow(app: AppTest) -> Workflow:
    return app.session_state["chat.conversation"].extras[EXTRAS_KEY]


def ask(app: AppTest, text: str = "Draft me a reply") -> AppTest:
    app.chat_input[0].set_value(text).run()
    assert not app.exception, app.exception
    return app


def test_a_reply_waits_for_review_with_the_input_locked(app: AppTest) -> None:
    ask(app)
    assert [m.role for m in history(app)] == ["user"]
    assert workflow(app).stage is Stage.VALIDATION
    assert all(label in labels(app) for label in REVIEW_BUTTONS)
    assert app.chat_input[0].disabled
    assert "Draft 1, waiting for your review" in [caption.value for caption in app.caption]


def test_accept_adds_the_draft_to_the_conversation(app: AppTest) -> None:
    draft = workflow(ask(app)).pending
    click(app, "Accept")
    assert [m.id for m in history(app)][-1] == draft.id
    assert workflow(app).stage is Stage.INPUT
    assert not app.chat_input[0].disabled


def test_regenerate_makes_a_new_draft_with_the_same_settings_and_keeps_the_old(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_settings = []
    original = DemoProvider._generate

    def recording(self, messages, settings, reply):
        seen_settings.append(settings)
        yield from original(self, messages, settings, reply)

    monkeypatch.setattr(DemoProvider, "_generate", recording)
    first = workflow(ask(app)).pending
    click(app, "Regenerate")
    current = workflow(app)
    assert current.stage is Stage.VALIDATION
    assert current.pending.id != first.id
    assert [(d.id, d.metadata["draft"]) for d in current.drafts] == [(first.id, "superseded")]
    assert seen_settings[0] == seen_settings[1]
    assert "Draft 2, waiting for your review · 1 earlier draft kept" in [c.value for c in app.caption]


def test_edit_lets_the_user_correct_the_draft_before_accepting(app: AppTest) -> None:
    original = workflow(ask(app)).pending.content
    click(app, "Edit")
    app.text_area[0].input("A corrected reply.").run()
    click(app, "Save and accept")
    accepted = history(app)[-1]
    assert accepted.content == "A corrected reply."
    assert accepted.metadata["edited_from"] == original
    assert "Edited reply accepted." in [toast.value for toast in app.toast]


def test_reject_discards_the_draft_and_keeps_the_users_message(app: AppTest) -> None:
    ask(app, "Keep this question")
    click(app, "Reject")
    assert [(m.role, m.content) for m in history(app)] == [("user", "Keep this question")]
    assert workflow(app).stage is Stage.INPUT
    assert workflow(app).drafts[0].metadata["draft"] == "rejected"
    assert not app.chat_input[0].disabled


def test_ask_again_drafts_a_new_reply_to_a_question_whose_draft_was_rejected(app: AppTest) -> None:
    ask(app, "Try that once more")
    click(app, "Reject")
    click(app, "Ask again")
    assert workflow(app).stage is Stage.VALIDATION
    assert 'You said: "Try that once more"' in workflow(app).pending.content
    assert "Ask again" not in labels(app)
    click(app, "Accept")
    assert [m.role for m in history(app)] == ["user", "assistant"]


def test_a_draft_stopped_before_it_began_is_not_made_later_unasked(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    send_stopped_before_the_reply(app, monkeypatch, "Still waiting")
    assert (workflow(app).stage, workflow(app).pending) == (Stage.INPUT, None)
    assert [m.role for m in history(app)] == ["user"]
    assert not app.chat_input[0].disabled
    click(app, "Ask again")
    assert 'You said: "Still waiting"' in workflow(app).pending.content


def test_clearing_the_chat_sets_a_waiting_draft_aside(app: AppTest) -> None:
    ask(app)
    next(button for button in app.sidebar.button if button.label == "Clear chat").click().run()
    assert not any(label in labels(app) for label in REVIEW_BUTTONS)
    assert not app.chat_input[0].disabled
    assert workflow(app).drafts[-1].metadata["draft"] == "abandoned"


def test_a_stopped_draft_is_kept_for_review(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    original = DemoProvider._generate

    def stopping(self, messages, settings, reply):
        for index, chunk in enumerate(original(self, messages, settings, reply)):
            if index == 4:
                raise StopException()
            yield chunk

    monkeypatch.setattr(DemoProvider, "_generate", stopping)
    ask(app)
    assert workflow(app).pending.status == "interrupted"
    monkeypatch.setattr(DemoProvider, "_generate", original)  # not undo(): that would undo the test's environment
    app.run()
    assert all(label in labels(app) for label in REVIEW_BUTTONS)


def test_the_workflow_refuses_transitions_its_stage_does_not_allow() -> None:
    flow = Workflow()
    with pytest.raises(WorkflowError, match="needs the validation stage, but the workflow is at input"):
        flow.accept()
    flow.submit()
    with pytest.raises(WorkflowError):
        flow.submit()
    first = Message(role="assistant", content="first")
    flow.begin(first.id)
    flow.receive(first)
    flow.regenerate()
    second = Message(role="assistant", content="second")
    flow.begin(second.id)
    flow.receive(second)
    accepted = flow.accept()
    assert accepted.content == "second"
    assert [d["content"] for d in accepted.metadata["earlier_drafts"]] == ["first"]
    assert flow.stage is Stage.INPUT
    assert [d.content for d in flow.drafts] == ["first"]


def test_a_draft_that_arrives_after_the_user_moved_on_is_set_aside_not_refused() -> None:
    # A stopped run records its draft in a finally block, possibly after the next run has begun.
    flow = Workflow()
    flow.submit()
    flow.begin("expected")
    late = Message(role="assistant", content="late")
    flow.receive(late)
    assert flow.stage is Stage.PROCESSING and flow.pending is None
    assert flow.drafts == [late] and late.metadata["draft"] == "superseded"
    assert flow.fail("another") is False and flow.stage is Stage.PROCESSING
    assert flow.fail("expected") is True and flow.stage is Stage.INPUT
{%- if cookiecutter.message_metadata %}


def test_superseded_drafts_travel_with_the_accepted_reply_into_exports(app: AppTest) -> None:
    import json

    from {{ cookiecutter.package_name }}.metadata import conversation_json

    first = workflow(ask(app)).pending
    click(app, "Regenerate")
    click(app, "Accept")
    exported = json.loads(conversation_json(history(app)))["messages"][-1]
    assert [d["id"] for d in exported["metadata"]["earlier_drafts"]] == [first.id]
    assert exported["metadata"]["earlier_drafts"][0]["metadata"]["draft"] == "superseded"
    assert exported["metadata"]["usage"]["output_tokens"] > 0


def test_a_draft_gets_thumbs_once_accepted_not_before(app: AppTest) -> None:
    # Its card is drawn the same way as it streams and after a reload: a rating needs a reply to belong to.
    draft = workflow(ask(app)).pending
    assert [thumbs.key for thumbs in app.feedback] == []
    click(app, "Accept")
    assert [thumbs.key for thumbs in app.feedback] == [f"feedback.{draft.id}"]
{%- endif %}
