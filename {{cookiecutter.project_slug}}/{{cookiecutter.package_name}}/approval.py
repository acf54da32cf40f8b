"""Review every reply before it joins the conversation: accept, edit, regenerate or reject.

The workflow is a small state machine, one per conversation:

    input --submit--> processing --draft--> validation --accept/reject--> input
                          ^                      |
                          +------regenerate------+

Rejected and superseded drafts are kept with the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import streamlit as st

from . import chat, state
from .messages import Message

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

    def _require(self, *stages: Stage) -> None:
        if self.stage not in stages:
            allowed = " or ".join(s.value for s in stages)
            raise WorkflowError(f"This needs the {allowed} stage, but the workflow is at {self.stage.value}.")

    def submit(self) -> None:
        """A prompt (or a retry of one) is waiting for its first draft."""
        self._require(Stage.INPUT)
        self.stage, self.attempts = Stage.PROCESSING, 0

    def receive(self, draft: Message) -> None:
        self._require(Stage.PROCESSING)
        self.pending, self.editing = draft, False
        self.attempts += 1
        self.stage = Stage.VALIDATION

    def fail(self) -> None:
        """The model failed: the error goes to the history with its Retry button, and input opens again."""
        self._require(Stage.PROCESSING)
        self.stage = Stage.INPUT

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
    current = state.current_conversation().extras.setdefault(EXTRAS_KEY, Workflow())
    if current.stage is Stage.VALIDATION and not state.messages():
        current.abandon()
    return current


def awaiting_review() -> bool:
    return workflow().stage is not Stage.INPUT


def submit(prompt: str) -> None:
    chat.add_prompt(prompt)
    workflow().submit()
    _draft()


def resume() -> None:
    """Carry on where the last run left off: a retry, or a draft still to be made."""
    current = workflow()
    if state.take_retry_request() and current.stage is Stage.INPUT:
        current.submit()
    if current.stage is Stage.PROCESSING:
        _draft()


def _draft() -> None:
    current = workflow()  # this conversation's, even if the user switches away mid-stream
    keep_error = state.keeper()

    def keep(draft: Message) -> None:
        if draft.is_error:
            current.fail()
            keep_error(draft)
        else:
            current.receive(draft)

    chat.stream_reply(keep)
    st.rerun()  # show the draft with its review buttons, and lock the input


def render_review() -> None:
    current = workflow()
    if current.stage is not Stage.VALIDATION or current.pending is None:
        return
    draft = current.pending
    with st.chat_message("assistant"):
        st.caption(_draft_count(current))
        if current.editing:
            st.text_area("Correct the reply", value=draft.content, key=f"approval.edit.{draft.id}", height=200)
            left, right = st.columns(2)
            left.button("Save and accept", on_click=_accept_edit, args=(draft.id,), type="primary")
            right.button("Cancel editing", on_click=_set_editing, args=(False,))
            return
        chat.render_body(draft)
        accept, regenerate, edit, reject = st.columns(4)
        accept.button("Accept", on_click=_accept, type="primary", icon=":material/check:")
        regenerate.button("Regenerate", on_click=_regenerate, icon=":material/refresh:")
        edit.button("Edit", on_click=_set_editing, args=(True,), icon=":material/edit:")
        reject.button("Reject", on_click=_reject, icon=":material/close:")


def _draft_count(current: Workflow) -> str:
    earlier = len(current.drafts)
    kept = f" · {earlier} earlier draft{'s' if earlier != 1 else ''} kept" if earlier else ""
    return f"Draft {current.attempts}, waiting for your review{kept}"


def _accept() -> None:
    state.add_message(workflow().accept())


def _accept_edit(draft_id: str) -> None:
    edited = state.widget_value(f"approval.edit.{draft_id}")
    state.add_message(workflow().accept(edited_text=edited))
    st.toast("Edited reply accepted.")


def _regenerate() -> None:
    workflow().regenerate()


def _reject() -> None:
    workflow().reject()
    st.toast("Draft rejected; your message is still there. Send another, or edit and resend it.")


def _set_editing(editing: bool) -> None:
    workflow().editing = editing
