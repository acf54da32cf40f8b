"""Everything the app keeps in ``st.session_state`` goes through this module.

Each key is declared once as a ``SessionValue`` and initialised on first read,
so a read before initialisation or two owners of one key cannot happen. The
chat history is reached through the functions below only, so that where it is
kept can change without touching the code that draws it.

Where conversations are stored durably, a ``Store`` is attached at the top of
each run: every change is written to it as it is made (before it shows), and
a conversation is read from it once per session or switch, never per rerun.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import streamlit as st

from .messages import Attachment, Conversation, Message, Summary

if TYPE_CHECKING:
    from .context import ModelContext

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


class StorageError(RuntimeError):
    """The conversation store could not be used; the message says so in one sentence, with what to do."""


class Store(Protocol):
    """Durable storage of one owner's conversations (``storage.OwnerStore``)."""

    def summaries(self) -> list[Summary]: ...
    def load(self, conversation_id: str) -> Conversation | None: ...
    def search(self, text: str) -> list[Summary]: ...
    def add_message(self, conversation: Conversation, message: Message, *, after: str | None = None) -> None: ...
    def update_message(self, conversation_id: str, message: Message) -> None: ...
    def remove_messages(self, conversation_id: str, message_ids: list[str] | None = None) -> None: ...
    def rewrite(self, conversation_id: str, message: Message, dropped: list[str]) -> None: ...
    def save_header(self, conversation: Conversation) -> None: ...
    def delete(self, conversation_id: str) -> None: ...
    def add_conversation(self, conversation: Conversation) -> None: ...


_conversation: SessionValue[Conversation] = SessionValue("chat.conversation", Conversation)
_retry_requested: SessionValue[bool] = SessionValue("chat.retry_requested", lambda: False)
_submitted_prompt: SessionValue[str | None] = SessionValue("chat.submitted_prompt", lambda: None)
#: The files sent with the submitted prompt.
_submitted_files: SessionValue[list[Attachment]] = SessionValue("chat.submitted_files", list)
#: A prompt that could not be sent (too long, a file refused, or not stored), why, and the files kept with it:
#: kept until sent again or discarded.
_unsent: SessionValue[tuple[str, str, list[Attachment]] | None] = SessionValue("chat.unsent", lambda: None)
#: What the latest request sent to the model; the debug view shows it as ``ModelContext.to_dict`` gives it.
_last_request: SessionValue[ModelContext | None] = SessionValue("chat.last_request", lambda: None)
#: The id of the user message being edited, if one is.
_editing: SessionValue[str | None] = SessionValue("chat.editing", lambda: None)
_store: SessionValue[Store | None] = SessionValue("storage.store", lambda: None)
#: Conversations of this session that are not stored (all of them when there is no store).
_unstored: SessionValue[dict[str, Conversation]] = SessionValue("storage.unstored", dict)
#: The stored conversations as the sidebar lists them, read once and then kept up to date here.
_listed: SessionValue[list[Summary] | None] = SessionValue("storage.listed", lambda: None)
_deleted: SessionValue[set[str]] = SessionValue("storage.deleted", set)


def _store_for(conversation: Conversation) -> Store | None:
    """The store, unless ``conversation`` was deleted: a late write (from a stopped run) must not bring it back."""
    return None if conversation.id in _deleted.get() else _store.get()


def attach_store(store: Store) -> bool:
    """Keep this session's conversations in ``store``. True on the session's first call."""
    first = _store.get() is None
    _store.set(store)
    return first


def current_conversation() -> Conversation:
    return _conversation.get()


def switch_to(conversation: Conversation) -> None:
    _conversation.set(conversation)


def messages() -> list[Message]:
    """The conversation, oldest first. Treat it as read-only; change it with the functions below."""
    return _conversation.get().messages


def add_message(message: Message) -> None:
    """Add a message; where conversations are stored, it is committed first (a failure raises, nothing added)."""
    conversation = _conversation.get()
    if store := _store_for(conversation):
        store.add_message(_storable(conversation), message)
        _listed_changed(conversation)
    conversation.messages.append(message)


def message_changed(message: Message) -> None:
    """Store a change made to a message already in the current conversation (feedback, say).

    The change stays on screen if it cannot be stored; a toast says so.
    """
    if store := _store.get():
        with _reported():
            store.update_message(_conversation.get().id, message)


def conversation_changed(conversation: Conversation | None = None) -> None:
    """Store a change to a conversation's title or extras (its settings, a draft under review).

    The change stays on screen if it cannot be stored; a toast says so.
    """
    conversation = conversation or _conversation.get()
    if store := _store_for(conversation):
        with _reported():
            store.save_header(_storable(conversation))
            _listed_changed(conversation)


_notices: SessionValue[list[tuple[str, str]]] = SessionValue("page.notices", list)


def notify(text: str, icon: str = ":material/info:") -> None:
    """Show ``text`` as a toast from the page's fragment (at its start, and again at its end).

    For callbacks of the fragment's widgets: Streamlit does not support drawing from those (it
    warns), and they run just before the fragment, which shows what they leave here.
    """
    _notices.set([*_notices.get(), (text, icon)])


def take_notices() -> list[tuple[str, str]]:
    notices = _notices.get()
    _notices.set([])
    return notices


@contextmanager
def _reported() -> Iterator[None]:
    try:
        yield
    except StorageError as error:
        notify(str(error), ":material/error:")  # called from callbacks too, which must not draw


def _storable(conversation: Conversation) -> Conversation:
    """The conversation with its extras as plain data (a feature's object stores its ``to_dict()``)."""
    extras = {
        name: value.to_dict() if hasattr(value, "to_dict") else value for name, value in conversation.extras.items()
    }
    return dataclasses.replace(conversation, extras=extras)


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
            try:
                if store := _store_for(conversation):
                    store.add_message(_storable(conversation), reply, after=answered)
            finally:  # shown even if it could not be stored; the caller reports that
                messages.insert(position + 1, reply)

    return keep


def remove_message(message_id: str) -> None:
    conversation = _conversation.get()
    if store := _store.get():
        store.remove_messages(conversation.id, [message_id])
    conversation.messages = [m for m in conversation.messages if m.id != message_id]


def rewrite_message(message_id: str, content: str) -> None:
    """Give a message new text and drop every message after it (they answered the old text).

    The earlier texts stay in the message's metadata.
    """
    conversation = _conversation.get()
    index = next(i for i, m in enumerate(conversation.messages) if m.id == message_id)
    original = conversation.messages[index]
    earlier = [*original.metadata.get("earlier_versions", []), original.content]
    edited = dataclasses.replace(original, content=content, metadata={**original.metadata, "earlier_versions": earlier})
    dropped = conversation.messages[index + 1 :]
    if store := _store_for(conversation):
        store.rewrite(conversation.id, edited, [m.id for m in dropped])
    conversation.messages[index:] = [edited]


def editing() -> str | None:
    return _editing.get()


def start_editing(message_id: str | None) -> None:
    """Open the edit box of a message (None closes it)."""
    _editing.set(message_id)


def clear_messages() -> None:
    conversation = _conversation.get()
    if store := _store.get():
        store.remove_messages(conversation.id)
        _listed_changed(conversation)
    conversation.messages = []


# --- The owner's conversations ---


def conversation_list() -> list[Summary]:
    """Every conversation of the owner (stored, and this session's unstored ones), newest first."""
    listed = list(_unstored.get().values())
    summaries = [Summary.of(conversation) for conversation in listed]
    if store := _store.get():
        if _listed.get() is None:
            _listed.set(store.summaries())
        kept = {summary.id for summary in summaries}
        summaries += [summary for summary in _listed.get() or [] if summary.id not in kept]
    return sorted(summaries, key=lambda summary: summary.created_at, reverse=True)


def _listed_changed(conversation: Conversation) -> None:
    """Keep the stored list in step with a change this session just stored."""
    _unstored.get().pop(conversation.id, None)
    listed = _listed.get()
    if listed is not None:
        _listed.set([Summary.of(conversation), *(s for s in listed if s.id != conversation.id)])


def remember(conversation: Conversation) -> None:
    """Hold a conversation this session made but has not stored yet (a new, empty one)."""
    if not any(summary.id == conversation.id for summary in conversation_list()):
        _unstored.get()[conversation.id] = conversation


def find_conversation(conversation_id: str) -> Conversation | None:
    """The owner's conversation with this id (read from the store); None if there is none."""
    if conversation_id in _deleted.get():
        return None
    if found := _unstored.get().get(conversation_id):
        return found
    if conversation_id == _conversation.get().id:
        return _conversation.get()
    if store := _store.get():
        return store.load(conversation_id)
    return None


def latest_stored() -> Conversation | None:
    """The owner's most recently started stored conversation, with its messages."""
    if (store := _store.get()) is None:
        return None
    if _listed.get() is None:
        _listed.set(store.summaries())
    listed = _listed.get() or []
    return store.load(listed[0].id) if listed else None


def delete_conversation(conversation_id: str) -> None:
    _unstored.get().pop(conversation_id, None)
    _deleted.get().add(conversation_id)
    if store := _store.get():
        store.delete(conversation_id)
        _listed.set([s for s in _listed.get() or [] if s.id != conversation_id])


def search_conversations(text: str) -> list[Summary]:
    """The owner's conversations whose title or messages contain ``text``."""
    if store := _store.get():
        return store.search(text)
    needle = text.casefold()
    return [
        Summary.of(conversation)
        for conversation in _unstored.get().values()
        if needle in conversation.title.casefold() or any(needle in m.content.casefold() for m in conversation.messages)
    ]


def add_conversation(conversation: Conversation) -> None:
    """Add a whole conversation (an import): stored in one transaction where there is a store."""
    if store := _store.get():
        store.add_conversation(conversation)
        _listed_changed(conversation)
    else:
        remember(conversation)


def record_request(sent: ModelContext) -> None:
    """Keep what the latest request sent to the model, for the debug view (which shows sizes, not texts)."""
    _last_request.set(sent)


def request_retry() -> None:
    _retry_requested.set(True)


def retry_pending() -> bool:
    """Whether a retry was asked for and not yet taken (it does not clear the request)."""
    return _retry_requested.get()


def take_retry_request() -> bool:
    """True once after ``request_retry``: the flag is cleared as it is read, so it cannot loop."""
    requested = _retry_requested.get()
    _retry_requested.set(False)
    return requested


def submit_prompt(text: str, attachments: list[Attachment] | None = None) -> None:
    """Hold a prompt sent from the chat input, and its files, until the script body takes them."""
    _submitted_prompt.set(text)
    _submitted_files.set(list(attachments or []))


def take_attachments() -> list[Attachment]:
    """The files sent with the prompt of this run, once."""
    files = _submitted_files.get()
    _submitted_files.set([])
    return files


def hold_unsent(prompt: str, problem: str, attachments: list[Attachment] | None = None) -> None:
    _unsent.set((prompt, problem, list(attachments or [])))


def held_unsent() -> tuple[str, str, list[Attachment]] | None:
    """The prompt that could not be sent, the sentence saying why and its files, if there is one."""
    return _unsent.get()


def release_unsent() -> tuple[str, list[Attachment]] | None:
    """Forget the held prompt, giving back its text and files."""
    held = _unsent.get()
    _unsent.set(None)
    return (held[0], held[2]) if held else None


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
        return value.to_dict(with_data=False)  # a debug view has no use for an image's bytes
    if isinstance(value, Attachment):
        return value.to_dict(with_data=False)
    if isinstance(value, Conversation):
        return {
            "id": value.id,
            "title": value.title,
            "messages": _plain(value.messages),
            "extras": _plain(value.extras),
        }
    if callable(getattr(value, "to_dict", None)):  # a feature's object, or the chat input's text and files
        return _plain(value.to_dict())
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
