"""Several conversations per session: a sidebar list, new, switch, rename and delete.

The current conversation's id is in the URL (``?conversation=<id>``) and
follows every switch, so a bookmark or a refresh reopens it where
conversations are stored. Ids are random, so they cannot be guessed, and a
stored conversation opens only for its owner.
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from . import safety, settings, state
from .messages import IMPORT_LIMIT_BYTES, Conversation, Summary, conversation_from_export

QUERY_PARAM = "conversation"
SEARCH_KEY = "conversations.search"
TITLE_LENGTH = 40
_ID_SHAPE = re.compile(r"[0-9a-f]{32}")


def title(conversation: Conversation | Summary) -> str:
    """The user's title, else the start of the first message."""
    if conversation.title:
        return conversation.title
    summary = conversation if isinstance(conversation, Summary) else Summary.of(conversation)
    first = " ".join(summary.preview.split())
    if not first:
        return "Untitled conversation"
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1].rstrip() + "…"


def follow_url() -> None:
    """Open the conversation named in the URL, or a new one with a notice if it is unknown."""
    current = state.current_conversation()
    state.remember(current)
    wanted = st.query_params.get(QUERY_PARAM)
    if wanted and wanted != current.id:
        found = state.find_conversation(wanted) if _ID_SHAPE.fullmatch(wanted) else None
        if found is not None:
            _open(found)
        else:
            if current.messages:  # an empty current conversation already is a new one
                new_conversation()
            st.toast(
                "That conversation link did not match any conversation, so a new one was started.",
                icon=":material/info:",
            )
    if st.query_params.get(QUERY_PARAM) != state.current_conversation().id:
        st.query_params[QUERY_PARAM] = state.current_conversation().id


def _open(conversation: Conversation, *, keep_leaving: bool = True) -> None:
    """Make ``conversation`` current, each keeping its own settings (unless the one left is deleted)."""
    if keep_leaving:
        leaving = state.current_conversation()
        leaving.extras[settings.EXTRAS_KEY] = settings.snapshot()
        if leaving.messages:
            state.conversation_changed(leaving)
    settings.restore(conversation.extras.get(settings.EXTRAS_KEY))
    state.switch_to(conversation)
    st.query_params[QUERY_PARAM] = conversation.id


def new_conversation() -> None:
    conversation = Conversation()
    state.remember(conversation)
    _open(conversation)


def switch(conversation_id: str) -> None:
    if conversation_id != state.current_conversation().id and (found := state.find_conversation(conversation_id)):
        _open(found)


def rename(conversation_id: str) -> None:
    new_title = (state.widget_value(f"conversations.title.{conversation_id}") or "").strip()
    conversation = state.find_conversation(conversation_id)
    if conversation is not None:
        conversation.title = new_title[:200]
        state.conversation_changed(conversation)
        st.toast("Conversation renamed." if new_title else "Title reset to the first message.")


def delete(conversation_id: str) -> None:
    deleting_current = state.current_conversation().id == conversation_id
    state.delete_conversation(conversation_id)
    if deleting_current:
        remaining = state.conversation_list()
        found = state.find_conversation(remaining[0].id) if remaining else None
        if found is None:
            found = Conversation()
            state.remember(found)
        _open(found, keep_leaving=False)
    st.toast("Conversation deleted.")


@st.dialog("Delete this conversation?")
def _confirm_delete(conversation_id: str) -> None:
    conversation = state.find_conversation(conversation_id)
    if conversation is None:
        st.rerun()
    name = safety.label(title(conversation))
    st.write(f"**{name}** and its {len(conversation.messages)} messages will be gone for good.")
    left, right = st.columns(2)
    # Callbacks, so the choice takes effect however the dialog is rerun.
    left.button("Delete", type="primary", key="conversations.confirm_delete", on_click=delete, args=(conversation_id,))
    right.button("Keep it", key="conversations.cancel_delete")


_uploads: state.SessionValue[int] = state.SessionValue("conversations.uploads", int)


def _uploader_key() -> str:
    # A new key after each import empties the uploader, so the same file can be imported again.
    return f"conversations.import.{_uploads.get()}"


def import_upload() -> None:
    """Add the uploaded JSON download as a new conversation and open it; a bad file changes nothing."""
    upload = state.widget_value(_uploader_key())
    if upload is None:
        return
    _uploads.set(_uploads.get() + 1)
    try:
        conversation = conversation_from_export(upload.getvalue(), title=f"Imported: {upload.name}"[:200])
        state.add_conversation(conversation)
    except (ValueError, state.StorageError) as error:
        st.toast(str(error), icon=":material/error:")
        return
    _open(conversation)
    count = len(conversation.messages)
    st.toast(f"Imported {count} message{'s' if count != 1 else ''} as a new conversation.")


def render_sidebar() -> DeltaGenerator:
    """The conversation controls (call inside ``st.sidebar``).

    Returns the place for ``render_list``: the page's fragment fills it, so a reply that starts
    or names a conversation shows in the list without redrawing the page.
    """
    current = state.current_conversation()
    st.button("New conversation", on_click=new_conversation, icon=":material/add:", use_container_width=True)
    st.text_input(
        "Search conversations",
        key=SEARCH_KEY,
        placeholder="Search titles and messages",
        icon=":material/search:",
        label_visibility="collapsed",
    )
    listing = st.container()
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
    with st.expander("Import a conversation", icon=":material/upload_file:"):
        st.file_uploader(
            "A conversation downloaded as JSON",
            type=["json"],
            key=_uploader_key(),
            on_change=import_upload,
            max_upload_size=max(1, IMPORT_LIMIT_BYTES // 1_000_000),
        )
    return listing


def render_list() -> None:
    """The owner's conversations, or those matching the search, the current one marked."""
    current = state.current_conversation()
    query = str(state.widget_value(SEARCH_KEY) or "").strip()
    listed = state.search_conversations(query) if query else state.conversation_list()
    if query and not listed:
        st.caption("No conversation matches.")
    for conversation in listed:
        st.button(
            safety.label(title(conversation)),
            key=f"conversations.open.{conversation.id}",
            on_click=_open_from_list,
            args=(conversation.id,),
            type="primary" if conversation.id == current.id else "secondary",
            use_container_width=True,
        )


def _open_from_list(conversation_id: str) -> None:
    switch(conversation_id)
    # The list is drawn by the fragment, whose widgets rerun only it: the whole page shows the switch.
    st.rerun()
