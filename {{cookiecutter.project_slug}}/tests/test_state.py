from __future__ import annotations

from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.messages import Message
from {{ cookiecutter.package_name }}.state import SessionValue


def test_a_session_key_cannot_have_two_owners() -> None:
    with pytest.raises(ValueError, match="declared in both"):
        SessionValue("chat.conversation", list)


def test_message_round_trips_through_a_dict() -> None:
    message = Message(role="assistant", content="Hi", status="interrupted", metadata={"model": "demo"})
    data = message.to_dict()
    assert data["created_at"].endswith("+00:00")
    assert Message.from_dict(data) == message


def test_message_ids_are_unique_and_unguessable() -> None:
    ids = {Message(role="user", content="x").id for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 32 for i in ids)


def test_messages_are_timestamped_in_utc() -> None:
    assert Message(role="user", content="x").created_at.tzinfo is UTC
    assert Message(role="user", content="x").created_at <= datetime.now(UTC)


def _state_script() -> None:
    import streamlit as st

    from {{ cookiecutter.package_name }} import context, state
    from {{ cookiecutter.package_name }}.messages import Message

    if "step" not in st.session_state:
        st.session_state.step = 0
    step = st.session_state.step
    if step == 0:
        state.add_message(Message(role="user", content="one"))
        state.add_message(Message(role="assistant", content="oops", status="error"))
        state.request_retry()
    st.session_state.retry = state.take_retry_request()
    st.session_state.context = [m.content for m in context.fit(state.messages(), "", 1000).messages]
    st.session_state.last = state.messages()[-1].content if state.messages() else None
    if step == 1:
        state.clear_messages()
    st.session_state.step = step + 1


def test_state_functions_read_and_write_the_session() -> None:
    app = AppTest.from_function(_state_script).run()
    assert app.session_state.retry is True
    assert app.session_state.context == ["one"]  # error notices are not sent to the model
    assert app.session_state.last == "oops"
    app.run()
    assert app.session_state.retry is False  # the retry flag is read once, so it cannot loop
    app.run()
    assert app.session_state.last is None
