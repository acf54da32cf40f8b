"""Review every reply before it joins the conversation: accept, edit, regenerate or reject.

The workflow is a small state machine, one per conversation:

    input --submit--> processing --draft--> validation --accept/reject--> input
                          ^                      |
                          +------regenerate------+

A run that ends before its draft arrives (stopped in the moment before the draft began) returns the
workflow to input: the question waits, unanswered, with Ask again. Rejected and superseded drafts
are kept with the conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import streamlit as st

from . import chat, state
from .messages import Message, new_id

EXTRAS_KEY = "approval"


class Stage(Enum):
    INPUT = "input"
    PROCESSING = "processing"
    VALIDATION = "validation"


class WorkflowError(RuntimeError):
    """A transition asked for in a stage that does not allow it."""


@dataclass
class Workflow:
    stage: Stage = Stage.INPUT
    pending: Message | None = None
    #: Rejected and superseded drafts, oldest first, each marked in ``metadata["draft"]``.
    drafts: list[Message] = field(default_factory=list)
    #: Drafts produced for the prompt now under review, the pending one included.
    attempts: int = 0
    editing: bool = False
    #: The id of the draft being made; a draft with another id arrived too late and is set aside.
    expecting: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data, to store with the conversation. A draft being made is not kept: its run is gone."""
        stage = Stage.INPUT if self.stage is Stage.PROCESSING else self.stage
        return {
            "stage": stage.value,
            "pending": self.pending.to_dict() if self.pending else None,
            "drafts": [draft.to_dict() for draft in self.drafts],
            "attempts": self.attempts,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Workflow:
        pending = Message.from_dict(data["pending"]) if data.get("pending") else None
        stage = Stage(data.get("stage", "input"))
        return cls(
            stage=stage if (stage is Stage.VALIDATION) == (pending is not None) else Stage.INPUT,
            pending=pending,
            drafts=[Message.from_dict(draft) for draft in data.get("drafts", [])],
            attempts=int(data.get("attempts", 0)),
        )

    def _require(self, *stages: Stage) -> None:
        if self.stage not in stages:
            allowed = " or ".join(s.value for s in stages)
            raise WorkflowError(f"This needs the {allowed} stage, but the workflow is at {self.stage.value}.")

    def submit(self) -> None:
        """A prompt (or a retry of one) is waiting for its first draft."""
        self._require(Stage.INPUT)
        self.stage, self.attempts = Stage.PROCESSING, 0

    def begin(self, draft_id: str) -> None:
        """The draft with this id is being made."""
        self._require(Stage.PROCESSING)
        self.expecting = draft_id

    def receive(self, draft: Message) -> None:
        """A draft arrives. One that is no longer expected (the user moved on) is kept, set aside."""
        if self.stage is not Stage.PROCESSING or draft.id != self.expecting:
            draft.metadata["draft"] = "superseded"
            self.drafts.append(draft)
            return
        self.pending, self.editing, self.expecting = draft, False, None
        self.attempts += 1
        self.stage = Stage.VALIDATION

    def fail(self, draft_id: str) -> bool:
        """The model failed: input opens again. False if that draft was no longer expected."""
        if self.stage is not Stage.PROCESSING or draft_id != self.expecting:
            return False
        self.stage, self.expecting = Stage.INPUT, None
        return True

    def end_unreceived(self) -> None:
        """The run that was to make a draft has ended without one: the input opens again."""
        if self.stage is Stage.PROCESSING:
            self.stage, self.expecting = Stage.INPUT, None

    def make_way(self) -> None:
        """A new prompt arrived while a draft was made or waited: set that draft aside and open the input."""
        if self.stage is Stage.VALIDATION:
            self._set_aside("abandoned")
        self.stage, self.expecting = Stage.INPUT, None

    def regenerate(self) -> None:
        self._require(Stage.VALIDATION)
        self._set_aside("superseded")
        self.stage = Stage.PROCESSING

    def reject(self) -> None:
        self._require(Stage.VALIDATION)
        self._set_aside("rejected")
        self.stage = Stage.INPUT

    def accept(self, edited_text: str | None = None) -> Message:
        """The reply that joins the conversation: the draft, or the user's correction of it."""
        self._require(Stage.VALIDATION)
        assert self.pending is not None
        accepted = self.pending
        if edited_text is not None and edited_text != accepted.content:
            accepted.metadata["edited_from"] = accepted.content
            accepted.content = edited_text
        # The drafts this one replaced travel with it, so exports show how the reply came about.
        superseded = self.drafts[len(self.drafts) - (self.attempts - 1) :] if self.attempts > 1 else []
        accepted.metadata["earlier_drafts"] = [draft.to_dict() for draft in superseded]
        self.pending, self.editing, self.stage = None, False, Stage.INPUT
        return accepted

    def abandon(self) -> None:
        """The prompt under review is gone (the chat was cleared): keep the draft, open the input."""
        self._require(Stage.VALIDATION)
        self._set_aside("abandoned")
        self.stage = Stage.INPUT

    def _set_aside(self, reason: str) -> None:
        assert self.pending is not None
        self.pending.metadata["draft"] = reason
        self.drafts.append(self.pending)
        self.pending, self.editing = None, False


def workflow() -> Workflow:
    """The workflow of the current conversation; a draft whose prompt was cleared away is set aside."""
    extras = state.current_conversation().extras
    current = extras.get(EXTRAS_KEY)
    if not isinstance(current, Workflow):  # none yet, or as read back from storage
        current = extras[EXTRAS_KEY] = Workflow.from_dict(current) if current else Workflow()
    if current.stage is Stage.VALIDATION and not state.messages():
        current.abandon()
        state.conversation_changed()
    return current


def awaiting_review() -> bool:
    return workflow().stage is not Stage.INPUT


def edits_allowed() -> bool:
    """Whether earlier questions offer Edit: not while a draft waits for review.

    Their Edit buttons stay on the page while a reply is drafted (the draft's run redraws only the
    newest exchange), so an Edit clicked meanwhile is set aside here, with a note.
    """
    if not awaiting_review():
        return True
    if state.editing() is not None:
        state.start_editing(None)
        st.toast(
            "Accept, edit or reject the draft first; then earlier questions can be edited.", icon=":material/info:"
        )
    return False


def respond(prompt: str | None, *, before_reply: Callable[[], None] = lambda: None) -> None:
    """Draft a reply to a new prompt (or after Retry or Regenerate), or show the draft waiting for review.

    ``before_reply`` is as for ``chat.respond``: drawn once the prompt is in, before the draft streams.
    """
    current = workflow()
    if prompt is not None:
        current.make_way()  # the input is locked while a draft waits; this only happens in a race
        if chat.add_prompt(prompt, editable=False):  # its answer is reviewed first
            current.submit()
        state.conversation_changed()
    elif state.take_retry_request() and current.stage is Stage.INPUT:
        current.submit()
    else:
        chat.render_unsent()
    try:
        before_reply()
        if current.stage is Stage.PROCESSING:
            _draft(current)
        else:
            render_review()
    finally:
        # A stop (or any click) before the draft began ends this run without one; left at
        # processing, the page's next run would draft a reply nobody asked for.
        current.end_unreceived()


def _draft(current: Workflow) -> None:
    """Stream a draft straight into its review card (this conversation's, even if the user switches away)."""
    draft_id = new_id()
    current.begin(draft_id)
    keep_error = state.reply_keeper()
    conversation = state.current_conversation()

    def keep(draft: Message) -> None:
        if not draft.is_error:
            current.receive(draft)
            state.conversation_changed(conversation)
        elif current.fail(draft.id):
            keep_error(draft)

    header = _draft_count(current, attempt=current.attempts + 1)
    chat.stream_reply(keep, review=_review_buttons, header=header, reply_id=draft_id)


def render_review() -> None:
    current = workflow()
    if current.stage is not Stage.VALIDATION or current.pending is None:
        return
    draft = current.pending
    with st.chat_message("assistant"):
        st.caption(_draft_count(current, attempt=current.attempts))
        if current.editing:
            key = f"approval.correction.{draft.id}"
            st.text_area("Correct the reply", value=draft.content, key=key, height=200)
            left, right = st.columns(2)
            left.button("Save and accept", on_click=_accept_edit, args=(draft.id,), type="primary")
            right.button("Cancel editing", on_click=_set_editing, args=(draft.id, False))
            return
        chat.render_body(draft)
        if draft.status == "interrupted":
            chat.render_interrupted_note(draft.metadata.get("error"))
        _review_buttons(draft.id)


def _review_buttons(draft_id: str) -> None:
    buttons: tuple[tuple[str, Callable[..., None], tuple[object, ...], str], ...] = (
        ("Accept", _accept, (draft_id,), ":material/check:"),
        ("Regenerate", _regenerate, (draft_id,), ":material/refresh:"),
        ("Edit", _set_editing, (draft_id, True), ":material/edit:"),
        ("Reject", _reject, (draft_id,), ":material/close:"),
    )
    # One row that wraps on a narrow screen: four buttons, one block (columns would add four more).
    row = st.container(horizontal=True)
    # Each button names its draft: a click that arrives after the draft was dealt with is ignored.
    for label, action, args, icon in buttons:
        row.button(
            label,
            key=f"approval.{label.lower()}.{draft_id}",
            on_click=action,
            args=args,
            icon=icon,
            type="primary" if label == "Accept" else "secondary",
        )


def _draft_count(current: Workflow, *, attempt: int) -> str:
    earlier = len(current.drafts)
    kept = f" · {earlier} earlier draft{'s' if earlier != 1 else ''} kept" if earlier else ""
    return f"Draft {attempt}, waiting for your review{kept}"


def _waiting(draft_id: str) -> Workflow | None:
    """The workflow, if the draft with this id is the one waiting for review."""
    current = workflow()
    if current.stage is Stage.VALIDATION and current.pending is not None and current.pending.id == draft_id:
        return current
    return None


def _accept(draft_id: str) -> None:
    if current := _waiting(draft_id):
        _join(current.accept())


def _accept_edit(draft_id: str) -> None:
    if current := _waiting(draft_id):
        edited = state.widget_value(f"approval.correction.{draft_id}")
        if _join(current.accept(edited_text=edited)):
            state.notify("Edited reply accepted.")


def _join(accepted: Message) -> bool:
    """Add the accepted reply to the conversation; if it cannot be stored, it waits for review again."""
    current = workflow()
    try:
        state.add_message(accepted)
    except state.StorageError as error:
        current.pending, current.stage = accepted, Stage.VALIDATION
        state.notify(str(error), ":material/error:")
        return False
    state.conversation_changed()
    return True


def _regenerate(draft_id: str) -> None:
    if current := _waiting(draft_id):
        current.regenerate()
        state.conversation_changed()


def _reject(draft_id: str) -> None:
    if current := _waiting(draft_id):
        current.reject()
        state.conversation_changed()
        state.notify("Draft rejected; your message is still there. Ask again, edit it, or send another.")


def _set_editing(draft_id: str, editing: bool) -> None:
    if current := _waiting(draft_id):
        current.editing = editing
