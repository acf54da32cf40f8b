"""Edit a question and ask again; regenerate the newest answer. In every combination of options."""

from __future__ import annotations

from driver import click, history, labels, send
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.chat import edit_key


def accept_if_reviewed(app: AppTest) -> AppTest:
{%- if cookiecutter.approval_workflow %}
    click(app, "Accept")  # an answer to an edited question is reviewed like any other
{%- endif %}
    return app


def edit(app: AppTest, message_id: str, text: str) -> AppTest:
    app.button(key=edit_key(message_id)).click().run()
    app.text_area(key=f"edit-text-{message_id}").input(text)
    return app


def test_regenerate_replaces_the_newest_reply(app: AppTest) -> None:
    send(app, "Hello?")
    old = history(app)[-1]
    assert labels(app).count("Regenerate") == 1
    accept_if_reviewed(click(app, "Regenerate"))
    assert [m.role for m in history(app)] == ["user", "assistant"]
    new = history(app)[-1]
    assert new.id != old.id and new.status == "complete"
{%- if cookiecutter.message_metadata %}
    assert [replaced["id"] for replaced in new.metadata["replaced_replies"]] == [old.id]
{%- endif %}


def test_editing_the_newest_question_asks_again(app: AppTest) -> None:
    send(app, "What is 2 + 2?")
    question = history(app)[0]
    edit(app, question.id, "What is 3 + 3?")
    accept_if_reviewed(click(app, "Save and ask again"))
    assert [m.content for m in history(app) if m.role == "user"] == ["What is 3 + 3?"]
    assert 'You said: "What is 3 + 3?"' in history(app)[-1].content
    assert history(app)[0].metadata["earlier_versions"] == ["What is 2 + 2?"]
    assert len(history(app)) == 2


def test_cancel_and_empty_edits_change_nothing(app: AppTest) -> None:
    send(app, "Keep me")
    before = [(m.id, m.content) for m in history(app)]
    question = history(app)[0]
    edit(app, question.id, "   ")
    click(app, "Save and ask again")
    assert any("empty message cannot be sent" in toast.value for toast in app.toast)
    click(app, "Cancel")
    assert [(m.id, m.content) for m in history(app)] == before
    assert "Save and ask again" not in labels(app)
{%- if cookiecutter.simple_history %}


def test_editing_an_earlier_question_says_what_it_drops_and_asks_again(app: AppTest) -> None:
    send(app, "first")
    send(app, "second")
    first = history(app)[0]
    edit(app, first.id, "first, edited")
    assert any("drops the 3 messages after this one" in caption.value for caption in app.caption)
    accept_if_reviewed(click(app, "Drop 3 later messages and ask again"))
    assert [m.content for m in history(app) if m.role == "user"] == ["first, edited"]
    assert len(history(app)) == 2
{%- endif %}
{%- if cookiecutter.persistence != "none" %}


def test_an_edit_is_stored(app: AppTest) -> None:
    from {{ cookiecutter.package_name }}.state import _store  # the store this session writes to

    send(app, "before")
    question = history(app)[0]
    edit(app, question.id, "after")
    accept_if_reviewed(click(app, "Save and ask again"))
    store = app.session_state[_store.key]
    stored = store.load(app.session_state["chat.conversation"].id)
    assert [m.content for m in stored.messages] == [m.content for m in history(app)]
    assert stored.messages[0].content == "after"
{%- endif %}
