"""The conversation history, drawn a page at a time, its newest exchange apart.

Streamlit redraws the whole script on every interaction, so drawing every
message of a long conversation would make each reply slower than the last.
Only the newest messages are drawn; older ones come in on request. The newest
exchange (from the last question on) is drawn by the page's fragment, which a
reply reruns alone: the page of older messages above it is not sent again.
"""

from __future__ import annotations

import streamlit as st

from . import state
from .chat import render_messages
from .messages import Message

#: Messages drawn on opening a conversation (four exchanges). Each reply's browser work grows with every
#: message on the page: 10 rather than 30 took a reply at 1,000 stored messages from 274 to 194 ms, and
#: 8 rather than 10 saves another 3-4 ms (docs/decisions.md).
FIRST_PAGE = 8
#: Messages brought in per "Show earlier", and the most the fragment redraws before the whole page is
#: drawn again (so a full run comes every five exchanges).
PAGE_SIZE = 10

_shown: state.SessionValue[int] = state.SessionValue("history.shown", lambda: FIRST_PAGE)
#: Where the newest exchange began when the whole page was last drawn; the fragment draws from there.
_newest_from: state.SessionValue[int] = state.SessionValue("history.newest_from", int)


def render_history(*, editable: bool = True) -> None:
    """The messages before the newest exchange, newest page only. Call in the full run, before the fragment."""
    messages = state.messages()
    newest = newest_exchange_start(messages)
    _newest_from.set(newest)
    hidden = min(max(len(messages) - _shown.get(), 0), newest)
    if hidden:
        st.button(
            f"Show {min(hidden, PAGE_SIZE)} earlier messages ({hidden} hidden)",
            on_click=_show_more,
            icon=":material/expand_less:",
        )
    render_messages(messages[hidden:newest], retry_allowed=False, editable=editable, followed_by=len(messages) - newest)


def start_over_when_outgrown() -> None:
    """Call first in the fragment: once its exchanges fill more than a page, draw the whole page again.

    Each reply redraws everything from the newest exchange of the last full run on, which grows
    with every exchange until the whole page is drawn once more. The prompt waits, untaken, and is
    answered by that full run.
    """
    if outgrown(state.messages(), _newest_from.get()):
        st.rerun(scope="app")


def outgrown(messages: list[Message], drawn_from: int) -> bool:
    """Whether the fragment's part, from ``drawn_from`` on, holds more than a page and an older question."""
    return len(messages) - drawn_from > PAGE_SIZE and newest_exchange_start(messages) > drawn_from


def render_newest(*, retry_allowed: bool = True, editable: bool = True) -> None:
    """The newest exchange, with what the newest message offers (Retry or Regenerate). Call in the fragment."""
    messages = state.messages()
    render_messages(messages[min(_newest_from.get(), len(messages)) :], retry_allowed=retry_allowed, editable=editable)


def newest_exchange_start(messages: list[Message]) -> int:
    """The index of the last question (or of the last message, if there is no question)."""
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].role == "user":
            return index
    return max(len(messages) - 1, 0)


def _show_more() -> None:
    _shown.set(_shown.get() + PAGE_SIZE)
