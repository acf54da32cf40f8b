"""The chat itself: draw messages, take a prompt, stream the reply.

A reply is written into the history however its run ends: complete, stopped by
the user (the stop button, or any click that reruns the script mid-stream), or
failed. Only a plain sentence is ever shown for a failure, never a traceback.

Each reply is drawn once, in the run that asks for it. What the reply offers
when its run is cut short (the "interrupted" note and its actions) is drawn
before the stream starts, inside a container that the page's style hides while
the script runs: a stopped run can draw nothing more, so the note is already
there when it stops, and a completed reply replaces it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from . import attachments, context, {% if cookiecutter.message_metadata %}metadata, {% endif %}safety, settings, state
from .messages import Message, new_id
from .providers import ProviderError, Reply, active_provider, setup_problem
from .providers.base import Shorter

INTERRUPTED_NOTE = "Reply interrupted before it finished."
#: Where a reply keeps the sentence about what of the conversation its request left out.
CONTEXT_NOTE_KEY = "context_note"
#: Marks a reply the service cut off at the token limit (its finish reason is "length" or "max_tokens").
CUT_KEY = "cut_at_token_limit"
CUT_REASONS = {"length", "max_tokens"}
CUT_NOTE = "The reply reached the token limit (Max tokens, under Settings) and was cut off here."
CONTINUE_PROMPT = "Please continue where you stopped."
RETRY_ICON = ":material/refresh:"
#: The keys of a streaming reply's note and actions, taken out of the page while the script runs
#: (see page.css). One reply streams per run, so the keys are fixed and the style names them exactly.
UNTIL_DONE_NOTE_KEY = "until-done-note"
UNTIL_DONE_ACTIONS_KEY = "until-done-actions"
#: A button whose key starts with this is hidden in place while the script runs: it keeps its space.
IDLE_ONLY_PREFIX = "idle-only-"
#: Seconds between redraws of a streaming reply: chunks arriving faster are drawn together.
REDRAW_INTERVAL = 0.03
#: Characters of one message drawn on the page; the whole message is kept and sent to the model.
#: A browser takes seconds to lay out a megabyte of Markdown, and the page would freeze meanwhile.
DISPLAY_LIMIT = 20_000


# --- Drawing messages ---


def render_message(message: Message, *, is_last: bool = False, editable: bool = False, later: int = 0) -> None:
    """One message. ``is_last``: offer Retry, Regenerate or Ask again on it; ``editable``: offer Edit on a question."""
    with st.chat_message(message.role):
        if note := message.metadata.get(CONTEXT_NOTE_KEY):
            st.caption(note)
        if message.role == "user" and editable and state.editing() == message.id:
            render_edit_box(message, later=later)
            return
        render_body(message)
        if message.role == "assistant":
            render_footer(message, retry=is_last and message.status != "complete", newest=is_last)
            if is_last and message.status == "complete":
                regenerate_button(message.id)
            return
        if editable:
            # Hidden in place while the script runs (see IDLE_ONLY_PREFIX): it shows once the reply is in.
            st.button(
                "Edit",
                key=edit_key(message.id),
                on_click=state.start_editing,
                args=(message.id,),
                icon=":material/edit:",
                type="tertiary",
            )
        if is_last:
            # A question left without an answer: stopped before the reply began, its draft rejected,
            # or the server went down mid-reply. Asking again answers it as it stands.
            st.button(
                "Ask again", key=f"ask-again-{message.id}", on_click=_ask_again, args=(message.id,), icon=RETRY_ICON
            )


def edit_key(message_id: str) -> str:
    """The key of a question's Edit button: the page's style hides the button by it while a run goes on."""
    return f"{IDLE_ONLY_PREFIX}edit-{message_id}"


def regenerate_button(message_id: str) -> None:
    st.button(
        "Regenerate",
        key=f"regenerate-{message_id}",
        on_click=_regenerate,
        args=(message_id,),
        icon=RETRY_ICON,
        type="tertiary",
    )


def render_edit_box(message: Message, *, later: int) -> None:
    """The message's text to change; saving drops what came after it (asked first when that is more than a reply)."""
    with st.form(key=f"edit-form-{message.id}", border=False):
        st.text_area(
            "Edited message", value=message.content, key=f"edit-text-{message.id}", label_visibility="collapsed"
        )
        if message.attachments:
            st.caption("The attached files stay with the message.")
            attachments.render(message.attachments)
        if later > 1:
            st.caption(f"Saving drops the {later} messages after this one, then asks again.")
        with st.container(horizontal=True):
            st.form_submit_button(
                f"Drop {later} later messages and ask again" if later > 1 else "Save and ask again",
                on_click=_save_edit,
                args=(message.id,),
                type="primary",
            )
            st.form_submit_button("Cancel", on_click=state.start_editing, args=(None,))


def render_body(message: Message) -> None:
    """The message's text and files, or the plain sentence shown for a failure."""
    if message.is_error:
        st.error(message.content, icon="⚠️")
    else:
        if message.content or not message.attachments:
            render_text(message.content)
        attachments.render(message.attachments)


def render_text(text: str) -> None:
    """Markdown that cannot load images, cut at DISPLAY_LIMIT characters with a note saying so."""
    st.markdown(safety.markdown(text[:DISPLAY_LIMIT]))
    if len(text) > DISPLAY_LIMIT:
        st.caption(f"Showing the first {DISPLAY_LIMIT:,} of {len(text):,} characters; the whole message is kept.")


def render_footer(message: Message, *, retry: bool, newest: bool = False) -> None:
    """Under a reply: a note if it was cut short, {% if cookiecutter.message_metadata %}its details and thumbs, {% endif %}and Retry."""
    if message.status == "interrupted":
        render_interrupted_note(message.metadata.get("error"))
    if message.metadata.get(CUT_KEY):
        render_cut_note(message.id, offer_continue=newest)
{%- if cookiecutter.message_metadata %}
    metadata.render_details(message)
{%- endif %}
    if retry:
        retry_button(message.id)


def render_interrupted_note(error: str | None = None) -> None:
    st.caption(INTERRUPTED_NOTE)
    if error:
        st.error(error, icon="⚠️")


def render_cut_note(message_id: str, *, offer_continue: bool) -> None:
    st.caption(CUT_NOTE)
    if offer_continue:
        st.button(
            "Continue",
            key=f"continue-{message_id}",
            on_click=state.submit_prompt,
            args=(CONTINUE_PROMPT,),
            icon=":material/arrow_forward:",
        )


def retry_button(message_id: str, *, early: bool = False) -> None:
    # The button drawn ahead of a streaming reply has a key of its own: a failed reply draws Retry again.
    key = f"retry-{message_id}{'-early' if early else ''}"
    st.button("Retry", key=key, on_click=_retry, args=(message_id,), icon=RETRY_ICON)


def render_messages(
    messages: list[Message], *, retry_allowed: bool = True, editable: bool = True, followed_by: int = 0
) -> None:
    """Draw ``messages`` of the conversation, which has ``followed_by`` more after them.

    With ``retry_allowed`` (not while this run answers), the last gets Retry if it was cut short,
    else Regenerate. With ``editable``, each question offers Edit once the run is over.
    """
    for index, message in enumerate(messages):
        last = index == len(messages) - 1
        later = len(messages) - index - 1 + followed_by
        render_message(message, is_last=retry_allowed and last, editable=editable, later=later)


def _newest(message_id: str) -> Message | None:
    """The conversation's newest message, if it is ``message_id``: a button on any other is stale.

    A stale button (clicked twice, or a newer exchange followed) must not ask again: that would
    answer the wrong turn.
    """
    messages = state.messages()
    return messages[-1] if messages and messages[-1].id == message_id else None


def _ask_again(message_id: str) -> None:
    if _newest(message_id) is None:
        state.notify("That question has been answered since, so it was not asked again.")
        return
    state.request_retry()


def _regenerate(message_id: str) -> None:
    newest = _newest(message_id)
    if newest is None:
        state.notify("That reply is no longer the newest one, so it was not asked again.")
        return
{%- if cookiecutter.message_metadata %}
    metadata.remember_replaced(newest)
{%- endif %}
    state.remove_message(message_id)
    state.request_retry()


def _save_edit(message_id: str) -> None:
    text = state.widget_value(f"edit-text-{message_id}")
    original = next((message for message in state.messages() if message.id == message_id), None)
    if original is None:
        state.start_editing(None)
        state.notify("That message is no longer in the conversation, so nothing was changed.")
        return
    if not isinstance(text, str) or not (text.strip() or original.attachments):
        state.notify("An empty message cannot be sent, so the edit was not saved.")
        return
    current = settings.current()
    edited = dataclasses.replace(original, content=text)
    if problem := context.prompt_too_long(edited, current.system_prompt, current.context_budget):
        state.notify(problem, ":material/error:")
        return
    try:
        state.rewrite_message(message_id, text)
    except state.StorageError as error:
        state.notify(f"{error} Your edit is still in the box.", ":material/error:")
        return
    state.start_editing(None)
    state.request_retry()


def _retry(message_id: str) -> None:
    newest = _newest(message_id)
    if newest is None or newest.status == "complete":
        state.notify("That reply is no longer the newest one, so it was not asked again.")
        return
    state.remove_message(message_id)
    state.request_retry()


# --- Taking a prompt ---


def prompt_input(*, disabled: bool = False) -> None:
    """The chat box. "stop" turns its send button into a stop button and locks it while a reply streams.

    Files of any type may be picked; ``_take_submitted`` refuses those the settings do not allow with
    a sentence saying why, keeping the typed text (the browser's own filter would drop them silently).
    """
    # Named explicitly: drawn from the page's fragment, the box would otherwise sit inline, not at the bottom.
    with st.bottom:
        st.chat_input(
            "Your message",
            submit_mode="stop",
            key="chat.prompt",
            disabled=disabled,
            on_submit=_take_submitted,
            accept_file="multiple" if settings.current().attachments else False,
        )


def _take_submitted() -> None:
    # A callback runs before the script, so the page can lock the input in the same run that answers.
    value = state.widget_value("chat.prompt")
    if value is None or isinstance(value, str):
        text, uploads = value or "", []
    else:  # with files allowed, the chat box gives its text and files together
        text, uploads = value.text or "", value.files
    try:
        current = settings.current()
        files = attachments.accepted(
            uploads,
            types=current.attachment_types if current.attachments else (),
            max_mb=current.attachment_max_mb,
        )
    except attachments.Refused as refusal:
        if text.strip():
            state.hold_unsent(text, str(refusal))  # the typed text is kept to send again; the files are not
        else:
            state.notify(f"{refusal} Nothing was sent.", ":material/error:")
        return
    if text.strip() or files:
        state.submit_prompt(text, files)
    else:
        state.notify("That message was empty, so nothing was sent.")


def show_notices() -> None:
    """What this page's callbacks had to say (see ``state.notify``), as toasts."""
    for text, icon in state.take_notices():
        st.toast(text, icon=icon)


def take_prompt() -> str | None:
    """The prompt sent with this run, if any."""
    return state.take_prompt()


def answering(prompt: str | None) -> bool:
    """Whether this run answers: a new prompt, or Retry, Regenerate or an edit asking again."""
    return prompt is not None or state.retry_pending()


def add_prompt(prompt: str, *, editable: bool = True) -> bool:
    """Add the user's message to the conversation and show it (with Edit, once the reply is in, if ``editable``).

    The files sent with it come from ``state.take_attachments``. False if it cannot be sent (over the
    context budget) or stored: it is then kept on the page, files and all, with the problem and a
    button to send it again.
    """
    current = settings.current()
    message = Message(role="user", content=prompt, attachments=state.take_attachments())
    if problem := context.prompt_too_long(message, current.system_prompt, current.context_budget):
        return _hold(message, problem)
{%- if cookiecutter.message_metadata %}
    metadata.record_prompt(message, current)
{%- endif %}
    try:
        state.add_message(message)
    except state.StorageError as error:
        return _hold(message, str(error))
    render_message(message, editable=editable)
    return True


def _hold(message: Message, problem: str) -> bool:
    state.hold_unsent(message.content, problem, message.attachments)
    render_unsent()
    return False


def render_unsent() -> None:
    """A message that could not be sent, with the problem, until it is sent again or discarded.

    It stays across reruns, so the user can change a setting (or wait for the database) first.
    """
    if (held := state.held_unsent()) is None:
        return
    prompt, problem, files = held
    with st.container(border=True):
        st.error(f"{problem} Your message was not sent; it is kept here.", icon=":material/error:")
        if prompt:
            st.code(prompt[:DISPLAY_LIMIT], language=None, wrap_lines=True)
        attachments.render(files)
        with st.container(horizontal=True):
            st.button("Send again", on_click=_send_again, icon=":material/send:", key="chat.resend")
            st.button("Discard", on_click=_discard_unsent, icon=":material/close:", key="chat.discard")


def _discard_unsent() -> None:
    state.release_unsent()


def _send_again() -> None:
    if (held := state.release_unsent()) is not None:
        state.submit_prompt(*held)


# --- Answering ---


def respond(prompt: str | None, *, before_reply: Callable[[], None] = lambda: None) -> None:
    """Answer a new prompt, or ask again after Retry.

    ``before_reply`` draws what shows the conversation elsewhere on the page: it runs once the
    prompt is in the conversation and before the reply streams, so a stopped reply leaves it drawn.
    """
    if prompt is not None:
        answering = add_prompt(prompt)
    else:
        answering = state.take_retry_request()
        if not answering:
            render_unsent()
    before_reply()
    if answering:
        stream_reply(state.reply_keeper())


def stream_reply(
    keep: Callable[[Message], None],
    *,
    review: Callable[[str], None] | None = None,
    header: str | None = None,
    reply_id: str | None = None,
) -> Message:
    """Stream the model's answer to the conversation so far, drawn once, in its final place.

    ``keep`` receives the reply however the run ends. What the reply offers if
    it is cut short (Retry, or with ``review`` the review buttons for its id) is
    drawn before the stream starts, and shows once the run ends; a complete
    reply replaces Retry with nothing, and a failure replaces the review with
    Retry, as failures join the conversation without review.
    """
    current = settings.current()
    provider, _ = active_provider()
    reply_id = reply_id or new_id()
{%- if cookiecutter.message_metadata %}
    replaced = metadata.take_replaced()
{%- endif %}
    sent = context.fit(state.messages(), current.system_prompt, current.context_budget)
    state.record_request(sent)
    reply = provider.stream(sent.messages, current, shorter=_ask_with_less(sent, current))
    error: ProviderError | None = None
    unsaved: state.StorageError | None = None
    with st.chat_message("assistant"):
        # One slot per part that may change once the reply is in (an element can be replaced as a slot can):
        # what is said above the reply, the reply, the note if it is cut short, and what it offers then.
        # Every element on the page adds to each later update's work in the browser, so there are no more.
        left_out = context.left_out_note(sent.left_out, sent.budget) if sent.left_out else None
        above = _Above(header, left_out)
        body, note, offered = st.empty(), st.empty(), st.empty()
        with note.container(key=UNTIL_DONE_NOTE_KEY):
            render_interrupted_note()
        with offered.container(key=UNTIL_DONE_ACTIONS_KEY):
            if review:
                review(reply_id)
            else:
                retry_button(reply_id, early=True)
        reply.on_retry = above.say
        try:
            _show(reply, body, streaming=current.streaming)
        except ProviderError as failure:
            error = failure
        finally:
            # Runs on a stop or rerun too, so a partial reply is never lost.
            message = _as_message(reply, error, reply_id)
            if told := reply.notice or left_out:
                message.metadata[CONTEXT_NOTE_KEY] = told
{%- if cookiecutter.message_metadata %}
            metadata.record_reply(message, reply, current, provider.label, replaced)
{%- endif %}
            try:
                keep(message)
            except state.StorageError as failure:
                unsaved = failure
        if unsaved:
            st.error(f"{unsaved} This reply is shown but was not saved.", icon=":material/error:")
        # A failure joins the conversation without review, so a draft's header goes with it.
        above.say(told or None, header=not message.is_error)
        if message.status == "interrupted":
            if cause := message.metadata.get("error"):
                with note.container():
                    render_interrupted_note(cause)
        else:
            note.empty()
        if message.is_error:
            with body.container():
                render_body(message)
            with offered.container():
                retry_button(reply_id)
        elif message.status == "complete" and not review:
            with offered.container():
                if message.metadata.get(CUT_KEY):
                    render_cut_note(message.id, offer_continue=True)
                regenerate_button(message.id)
{%- if cookiecutter.message_metadata and cookiecutter.approval_workflow %}
        if not review:
            # A draft's card shows no details or thumbs, as after a reload (approval.render_review):
            # they come with the reply once it is accepted, where a rating has a message to belong to.
            with st.container():
                metadata.render_details(message)
{%- elif cookiecutter.message_metadata %}
        with st.container():
            metadata.render_details(message)
{%- endif %}
    return message


def _ask_with_less(sent: context.ModelContext, current: settings.Settings) -> Shorter:
    """After the service refuses a request as too long: the conversation again, in half the tokens."""

    def fewer() -> tuple[list[Message], str]:
        smaller = context.fit(state.messages(), current.system_prompt, context.smaller_budget(sent))
        state.record_request(smaller)
        return smaller.messages, (
            f"The service said the conversation was too long for the model, so it was asked again with "
            f"{smaller.left_out:,} earlier messages left out: lower the context budget under Settings to save "
            "the extra request."
        )

    return fewer


class _Above:
    """The slot above a reply: a draft's header, then at most one note (what the model was not sent, or a retry)."""

    def __init__(self, header: str | None, note: str | None) -> None:
        self.slot = st.empty()
        self.header = header
        self.drawn: tuple[str | None, str | None] = (None, None)
        self.say(note)

    def say(self, note: str | None, *, header: bool = True) -> None:
        wanted = (self.header if header else None, note)
        if wanted == self.drawn:
            return
        self.drawn = wanted
        lines = [line for line in wanted if line]
        if len(lines) > 1:
            with self.slot.container():
                for line in lines:
                    st.caption(line)
        elif lines:
            self.slot.caption(lines[0])
        else:
            self.slot.empty()


def _show(reply: Reply, slot: DeltaGenerator, *, streaming: bool) -> None:
    """The reply in ``slot``: a spinner until its first words, then its text."""
    chunks = iter(reply)
    with slot.spinner("Thinking…"):
        first = next(chunks, "")
    if streaming:
        _stream_markdown(slot, first, chunks)
    else:
        _draw_text(slot, first + "".join(chunks))


def _stream_markdown(slot: DeltaGenerator, first: str, chunks: Iterator[str]) -> None:
    # Like st.write_stream, but every redraw goes through safety.markdown, and chunks that
    # arrive within REDRAW_INTERVAL of each other are drawn together.
    text = drawn = first
    drawn_at = time.perf_counter()
    _draw_text(slot, text)
    for chunk in chunks:
        text += chunk
        if time.perf_counter() - drawn_at >= REDRAW_INTERVAL and len(text) <= DISPLAY_LIMIT:
            slot.markdown(safety.markdown(text))
            drawn, drawn_at = text, time.perf_counter()
    if text != drawn:
        _draw_text(slot, text)


def _draw_text(slot: DeltaGenerator, text: str) -> None:
    if len(text) > DISPLAY_LIMIT:  # with the note saying where it was cut
        with slot.container():
            render_text(text)
    else:
        slot.markdown(safety.markdown(text))


def _as_message(reply: Reply, error: ProviderError | None, reply_id: str) -> Message:
    if reply.finished:
        cut = {CUT_KEY: True} if reply.finish_reason in CUT_REASONS else {}
        return Message(role="assistant", content=reply.text, id=reply_id, metadata=cut)
    if reply.text:
        cause = {"error": safety.scrub(str(error))} if error else {}
        return Message(role="assistant", content=reply.text, id=reply_id, status="interrupted", metadata=cause)
    if error is not None:
        return Message(role="assistant", content=safety.scrub(str(error)), id=reply_id, status="error")
    return Message(role="assistant", content="", id=reply_id, status="interrupted")


# --- The sidebar and notices ---


def clear_chat() -> None:
    state.clear_messages()
    st.toast("Conversation cleared.")


def render_clear_button() -> None:
    st.button("Clear chat", on_click=clear_chat, icon=":material/delete_sweep:")


def render_model_notice() -> None:
    """Say so when replies come from the demo model rather than the configured service."""
    if notice := setup_problem():
        st.info(notice, icon=":material/info:")
