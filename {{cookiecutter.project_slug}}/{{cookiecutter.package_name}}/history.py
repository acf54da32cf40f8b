"""The conversation history, drawn a page at a time.

Streamlit redraws the whole script on every interaction, so drawing every
message of a long conversation would make each reply slower than the last.
Only the newest messages are drawn; older ones come in on request.
"""

from __future__ import annotations

import streamlit as st

from . import state
from .chat import render_messages

PAGE_SIZE = 30

_shown: state.SessionValue[int] = state.SessionValue("history.shown", lambda: PAGE_SIZE)


def render_history(*, retry_allowed: bool = True, editable: bool = True) -> None:
    messages = state.messages()
    shown = _shown.get()
    hidden = max(len(messages) - shown, 0)
    if hidden:
        st.button(
            f"Show {min(hidden, PAGE_SIZE)} earlier messages ({hidden} hidden)",
            on_click=_show_more,
            icon=":material/expand_less:",
        )
    render_messages(messages[hidden:], retry_allowed=retry_allowed, editable=editable)


def _show_more() -> None:
    _shown.set(_shown.get() + PAGE_SIZE)
