"""Everything the app keeps in ``st.session_state`` goes through this module.

Each key is declared once as a ``SessionValue`` and initialised on first read,
so a read before initialisation or two owners of one key cannot happen. The
chat history is reached through the functions below only, so that where it is
kept can change without touching the code that draws it.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import streamlit as st

from .messages import Conversation, Message

T = TypeVar("T")

_owners: dict[str, str] = {}


class SessionValue(Generic[T]):
    """One session-state key with its default; widgets may use ``.key``."""

    def __init__(self, key: str, default: Callable[[], T]) -> None:
        owner = sys._getframe(1).f_globals.get("__name__", "?")
        if _owners.setdefault(key, owner) != owner:
            raise ValueError(f"Session key {key!r} is declared in both {_owners[key]} and {owner}.")
        self.key = key
        self.default = default

    def get(self) -> T:
        if self.key not in st.session_state:
            st.session_state[self.key] = self.default()
        return st.session_state[self.key]

    def set(self, value: T) -> None:
        st.session_state[self.key] = value

    def reset(self) -> None:
        st.session_state[self.key] = self.default()


_conversation: SessionValue[Conversation] = SessionValue("chat.conversation", Conversation)
_retry_requested: SessionValue[bool] = SessionValue("chat.retry_requested", lambda: False)
_submitted_prompt: SessionValue[str | None] = SessionValue("chat.submitted_prompt", lambda: None)


def current_conversation() -> Conversation:
    return _conversation.get()


def switch_to(conversation: Conversation) -> None:
    _conversation.set(conversation)


def messages() -> list[Message]:
    """The conversation, oldest first. Treat it as read-only; change it with the functions below."""
    return _conversation.get().messages


def add_message(message: Message) -> None:
    _conversation.get().messages.append(message)


def reply_keeper() -> Callable[[Message], None]:
    """Puts a reply right after the message it answers (the newest one now), whenever it arrives.

    A stopped run records its reply in a ``finally`` block, which may run after
    the next run has begun: placing the reply by what it answers, in the
    conversation it was asked in, keeps the order whichever finishes first. If
    the message it answers is gone (the chat was cleared), the reply goes too.
    """
    conversation = _conversation.get()
    answered = conversation.messages[-1].id if conversation.messages else None

    def keep(reply: Message) -> None:
        messages = conversation.messages
        position = next((i for i in range(len(messages) - 1, -1, -1) if messages[i].id == answered), None)
        if position is not None:
            messages.insert(position + 1, reply)

    return keep


def remove_message(message_id: str) -> None:
    conversation = _conversation.get()
    conversation.messages = [m for m in conversation.messages if m.id != message_id]


def clear_messages() -> None:
    _conversation.get().messages = []


def model_context() -> list[Message]:
    """What the model is shown: every message except error notices and replies stopped before a word."""
    return [m for m in messages() if not m.is_error and m.content.strip()]


def request_retry() -> None:
    _retry_requested.set(True)


def take_retry_request() -> bool:
    """True once after ``request_retry``: the flag is cleared as it is read, so it cannot loop."""
    requested = _retry_requested.get()
    _retry_requested.set(False)
    return requested


def submit_prompt(text: str) -> None:
    """Hold a prompt sent from the chat input until the script body takes it."""
    _submitted_prompt.set(text)


def take_prompt() -> str | None:
    """The prompt sent in this run, once: it is cleared as it is read."""
    prompt = _submitted_prompt.get()
    _submitted_prompt.set(None)
    return prompt


def snapshot() -> dict[str, Any]:
    """A plain copy of the whole session state, for the debug view."""
    return {key: _plain(value) for key, value in sorted(st.session_state.to_dict().items())}


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return value.to_dict()
    if isinstance(value, Conversation):
        return {
            "id": value.id,
            "title": value.title,
            "messages": _plain(value.messages),
            "extras": _plain(value.extras),
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return repr(value)


def seed_widget(key: str, value: Any) -> None:
    """Give a widget its stored value before it is drawn, unless the session already holds one."""
    if key not in st.session_state:
        st.session_state[key] = value


def widget_value(key: str) -> Any:
    """What a widget drawn with ``key`` holds now (None before it is drawn)."""
    return st.session_state.get(key)
