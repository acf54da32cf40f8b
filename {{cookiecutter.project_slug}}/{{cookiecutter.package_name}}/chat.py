"""The chat itself: draw messages, take a prompt, stream the reply.

A reply is written into the history however its run ends: complete, stopped by
the user (the stop button, or any click that reruns the script mid-stream), or
failed. Only a plain sentence is ever shown for a failure, never a traceback.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import streamlit as st

from . import {% if cookiecutter.message_metadata %}metadata, {% endif %}settings, state
from .messages import Message
from .providers import ProviderError, Reply, active_provider, setup_problem

INTERRUPTED_NOTE = "Reply interrupted before it finished."
RETRY_ICON = ":material/refresh:"


def render_message(message: Message, *, is_last: bool = False) -> None:
    with st.chat_message(message.role):
        render_body(message)
{%- if cookiecutter.message_metadata %}
        if message.role == "assistant":
            metadata.render_details(message)
{%- endif %}
        if is_last and message.role == "assistant" and message.status != "complete":
            st.button("Retry", key=f"retry-{message.id}", on_click=_retry, args=(message.id,), icon=RETRY_ICON)


def render_body(message: Message) -> None:
    """The message's text, or its error, and a note if it was cut short."""
    if message.is_error:
        st.error(message.content, icon="⚠️")
    else:
        st.markdown(message.content)
    if message.status == "interrupted":
        st.caption(INTERRUPTED_NOTE)
        if error := message.metadata.get("error"):
            st.error(error, icon="⚠️")


def render_messages(messages: list[Message]) -> None:
    for index, message in enumerate(messages):
        render_message(message, is_last=index == len(messages) - 1)


def _retry(message_id: str) -> None:
    state.remove_message(message_id)
    state.request_retry()


def prompt_input(*, disabled: bool = False) -> str | None:
    # "stop" turns the send button into a stop button and locks the text box
    # while a reply streams.
    return st.chat_input("Your message", submit_mode="stop", key="chat.prompt", disabled=disabled)


def add_prompt(prompt: str) -> None:
    """Add the user's message to the conversation and show it."""
    message = Message(role="user", content=prompt)
{%- if cookiecutter.message_metadata %}
    metadata.record_prompt(message, settings.current())
{%- endif %}
    state.add_message(message)
    render_message(message)


def respond(prompt: str) -> None:
    """Add the user's message and answer it."""
    add_prompt(prompt)
    reply_to_history()


def retry_if_requested() -> None:
    if state.take_retry_request():
        reply_to_history()


def reply_to_history() -> None:
    """Ask the model about the conversation so far and add its reply, however it ends."""
    stream_reply(state.keeper())


def stream_reply(keep: Callable[[Message], None]) -> None:
    """Stream the model's answer to the conversation so far; ``keep`` receives it however the run ends."""
    current = settings.current()
    provider, _ = active_provider()
    reply = provider.stream(state.model_context(), current)
    error: ProviderError | None = None
    bubble = st.chat_message("assistant")
    try:
        with bubble:
            _show(reply, streaming=current.streaming)
    except ProviderError as failure:
        error = failure
    finally:
        # Runs on a stop or rerun too, so a partial reply is never lost.
        message = _as_message(reply, error)
{%- if cookiecutter.message_metadata %}
        metadata.record_reply(message, reply, current, provider.label)
{%- endif %}
        keep(message)
    if error is not None:
        st.rerun()  # draw the notice and its Retry button in place
{%- if cookiecutter.message_metadata %}
    with bubble:
        metadata.render_details(message)
{%- endif %}


def _show(reply: Reply, *, streaming: bool) -> None:
    chunks = iter(reply)
    with st.spinner("Thinking…"):
        first = next(chunks, "")
    if streaming:
        st.write_stream(itertools.chain([first], chunks))
    else:
        st.markdown(first + "".join(chunks))


def _as_message(reply: Reply, error: ProviderError | None) -> Message:
    if reply.finished:
        return Message(role="assistant", content=reply.text)
    if reply.text:
        cause = {"error": str(error)} if error else {}
        return Message(role="assistant", content=reply.text, status="interrupted", metadata=cause)
    if error is not None:
        return Message(role="assistant", content=str(error), status="error")
    return Message(role="assistant", content="", status="interrupted")


def clear_chat() -> None:
    state.clear_messages()
    st.toast("Conversation cleared.")


def render_clear_button() -> None:
    st.button("Clear chat", on_click=clear_chat, icon=":material/delete_sweep:")


def render_model_notice() -> None:
    """Say so when replies come from the demo model rather than the configured service."""
    if notice := setup_problem():
        st.info(notice, icon=":material/info:")
