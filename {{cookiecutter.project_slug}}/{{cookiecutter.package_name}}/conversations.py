"""Several conversations per session: a sidebar list, new, switch, rename and delete.

The current conversation's id is in the URL (``?conversation=<id>``) and
follows every switch, so a bookmark or a refresh can reopen it once
conversations are stored durably. Ids are random, so they cannot be guessed.
"""

from __future__ import annotations

import re

import streamlit as st

from . import safety, settings, state
from .messages import Conversation

QUERY_PARAM = "conversation"
TITLE_LENGTH = 40
_ID_SHAPE = re.compile(r"[0-9a-f]{32}")
SETTINGS_EXTRAS_KEY = "settings"

_all: state.SessionValue[dict[str, Conversation]] = state.SessionValue("conversations.all", dict)


def title(conversation: Conversation) -> str:
    """The user's title, else the start of the first message."""
    if conversation.title:
        return conversation.title
    first = next((m.content for m in conversation.messages if m.role == "user"), "")
    first = " ".join(first.split())
    if not first:
        return "Untitled conversation"
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1].rstrip() + "…"


def newest_first() -> list[Conversation]:
    return sorted(_all.get().values(), key=lambda c: c.created_at, reverse=True)


def _register_current() -> Conversation:
    current = state.current_conversation()
    _all.get().setdefault(current.id, current)
    return current


def follow_url() -> None:
    """Open the conversation named in the URL, or a new one with a notice if it is unknown."""
    current = _register_current()
    wanted = st.query_params.get(QUERY_PARAM)
    if wanted and wanted != current.id:
        if _ID_SHAPE.fullmatch(wanted) and wanted in _all.get():
            _open(_all.get()[wanted])
        else:
            if current.messages:  # an empty current conversation already is a new one
                new_conversation()
            st.toast(
                "That conversation link did not match any conversation, so a new one was started.",
                icon=":material/info:",
            )
    if st.query_params.get(QUERY_PARAM) != state.current_conversation().id:
        st.query_params[QUERY_PARAM] = state.current_conversation().id


def _open(conversation: Conversation) -> None:
    """Make ``conversation`` current, each keeping its own settings."""
    leaving = state.current_conversation()
    leaving.extras[SETTINGS_EXTRAS_KEY] = settings.snapshot()
    settings.restore(conversation.extras.get(SETTINGS_EXTRAS_KEY))
    state.switch_to(conversation)
    st.query_params[QUERY_PARAM] = conversation.id


def new_conversation() -> None:
    conversation = Conversation()
    _all.get()[conversation.id] = conversation
    _open(conversation)


def switch(conversation_id: str) -> None:
    if conversation_id in _all.get():
        _open(_all.get()[conversation_id])


def rename(conversation_id: str) -> None:
    new_title = (state.widget_value(f"conversations.title.{conversation_id}") or "").strip()
    conversation = _all.get().get(conversation_id)
    if conversation is not None:
        conversation.title = new_title[:200]
        st.toast("Conversation renamed." if new_title else "Title reset to the first message.")


def delete(conversation_id: str) -> None:
    conversations = _all.get()
    conversations.pop(conversation_id, None)
    if state.current_conversation().id == conversation_id:
        remaining = newest_first()
        if remaining:
            state.switch_to(remaining[0])
            settings.restore(remaining[0].extras.get(SETTINGS_EXTRAS_KEY))
            st.query_params[QUERY_PARAM] = remaining[0].id
        else:
            new_conversation()
    st.toast("Conversation deleted.")


@st.dialog("Delete this conversation?")
def _confirm_delete(conversation_id: str) -> None:
    conversation = _all.get().get(conversation_id)
    if conversation is None:
        st.rerun()
    name = safety.label(title(conversation))
    st.write(f"**{name}** and its {len(conversation.messages)} messages will be gone for good.")
    left, right = st.columns(2)
    # Callbacks, so the choice takes effect however the dialog is rerun.
    left.button("Delete", type="primary", key="conversations.confirm_delete", on_click=delete, args=(conversation_id,))
    right.button("Keep it", key="conversations.cancel_delete")


def render_sidebar() -> None:
    """The list of conversations with its actions (call inside ``st.sidebar``)."""
    current = state.current_conversation()
    st.button("New conversation", on_click=new_conversation, icon=":material/add:", use_container_width=True)
    for conversation in newest_first():
        is_current = conversation.id == current.id
        st.button(
            safety.label(title(conversation)),
            key=f"conversations.open.{conversation.id}",
            on_click=switch,
            args=(conversation.id,),
            type="primary" if is_current else "secondary",
            use_container_width=True,
        )
    with st.expander("This conversation", icon=":material/edit_note:"):
        state.seed_widget(f"conversations.title.{current.id}", current.title)
        st.text_input(
            "Title",
            key=f"conversations.title.{current.id}",
            placeholder=title(current),
            on_change=rename,
            args=(current.id,),
        )
        if st.button("Delete conversation", icon=":material/delete:", key="conversations.delete"):
            _confirm_delete(current.id)
