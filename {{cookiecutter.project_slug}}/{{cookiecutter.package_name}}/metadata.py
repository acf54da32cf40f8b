"""Facts recorded with every message, thumbs feedback, and downloads of both.

Each message's ``metadata`` holds the provider and model, the settings used,
token usage, latency and feedback, so exports and storage carry them as data.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import streamlit as st

from . import safety, state
from .messages import Conversation, Message, utc_now

if TYPE_CHECKING:
    from .providers import Reply
    from .settings import Settings

THUMBS = ("down", "up")  # st.feedback("thumbs") gives 0 for down and 1 for up

#: Replies taken back with Regenerate, waiting to travel in the metadata of the reply that replaces them.
_replaced: state.SessionValue[list[dict[str, Any]]] = state.SessionValue("metadata.replaced", list)


def record_prompt(message: Message, settings: Settings) -> None:
    message.metadata.update(_settings_used(settings))


def remember_replaced(message: Message) -> None:
    _replaced.get().append(message.to_dict())


def take_replaced() -> list[dict[str, Any]]:
    """The replies the next one replaces, once. Taken before the reply streams, not as it is recorded:
    a stopped run may only record what it holds, as session state cannot be written any more."""
    replaced = _replaced.get()
    _replaced.set([])
    return replaced


def record_reply(
    message: Message, reply: Reply, settings: Settings, provider: str, replaced: list[dict[str, Any]]
) -> None:
    usage = reply.usage
    if replaced:
        message.metadata["replaced_replies"] = replaced
    message.metadata.update(
        {
            "provider": safety.scrub(provider),
            **_settings_used(settings),
            "model": reply.model,
            "usage": {
                "input_tokens": usage.input_tokens,
                "output_tokens": usage.output_tokens,
                "total_tokens": usage.total_tokens,
            },
            "latency": {
                "first_token_seconds": _rounded(reply.first_token_seconds),
                "total_seconds": _rounded(reply.total_seconds if reply.total_seconds is not None else reply.elapsed()),
            },
            "finish_reason": reply.finish_reason,
            "feedback": None,
        }
    )


def _settings_used(settings: Settings) -> dict[str, Any]:
    return {"model": settings.model, "temperature": settings.temperature, "max_tokens": settings.max_tokens}


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3)


def caption(message: Message) -> str:
    """time · model · tokens · latency, leaving out what is not known."""
    data = message.metadata
    parts = [message.created_at.strftime("%H:%M UTC")]
    if data.get("model"):
        parts.append(str(data["model"]))
    total = (data.get("usage") or {}).get("total_tokens")
    if total is not None:
        parts.append(f"{total} tokens")
    latency = data.get("latency") or {}
    if latency.get("total_seconds") is not None:
        first = latency.get("first_token_seconds")
        lead = f"first word {first:.1f} s, " if first is not None else ""
        parts.append(f"{lead}{latency['total_seconds']:.1f} s")
    return " · ".join(parts)


def render_details(message: Message) -> None:
    """The caption and thumbs under an assistant message."""
    if message.is_error:
        return
    st.caption(caption(message))
    _feedback(message)


def _feedback_key(message: Message) -> str:
    return f"feedback.{message.id}"


def _feedback(message: Message) -> None:
    rating = (message.metadata.get("feedback") or {}).get("rating")
    if rating in THUMBS:
        state.seed_widget(_feedback_key(message), THUMBS.index(rating))
    st.feedback("thumbs", key=_feedback_key(message), on_change=_record_feedback, args=(message,))


def _record_feedback(message: Message) -> None:
    value = state.widget_value(_feedback_key(message))
    message.metadata["feedback"] = None if value is None else {"rating": THUMBS[value], "at": utc_now().isoformat()}
    state.message_changed(message)


# --- Downloads ---


def conversation_json(messages: list[Message]) -> str:
    return json.dumps({"messages": [m.to_dict() for m in messages]}, indent=2, ensure_ascii=False)


def conversation_markdown(messages: list[Message], title: str) -> str:
    lines = [f"# {title}", ""]
    for message in messages:
        heading = "You" if message.role == "user" else "Assistant"
        lines += [f"## {heading} · {message.created_at:%Y-%m-%d %H:%M UTC}", ""]
        if message.role == "assistant" and not message.is_error:
            lines += [f"*{caption(message)}*", ""]
        lines += [message.content, ""]
        # The files themselves are in the JSON download; here each is named.
        lines += [f"- Attached: {attachment.describe()}" for attachment in message.attachments]
        lines += [""] if message.attachments else []
    return "\n".join(lines)


def feedback_jsonl(messages: list[Message]) -> str:
    """One line per rated reply: the prompt it answered, the reply and the rating."""
    rows = []
    prompt: Message | None = None
    for message in messages:
        if message.role == "user":
            prompt = message
            continue
        feedback = message.metadata.get("feedback")
        if feedback:
            rows.append(
                {
                    "message_id": message.id,
                    "prompt": prompt.content if prompt else None,
                    "reply": message.content,
                    "rating": feedback["rating"],
                    "rated_at": feedback["at"],
                    "model": message.metadata.get("model"),
                }
            )
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def render_downloads(title: str = "Conversation") -> None:
    """Download buttons for the current conversation (call inside ``st.sidebar``, in the full run).

    The files are built when a button is clicked, from the conversation as it is then: replies
    come in through the page's fragment, which does not redraw the sidebar. (Drawn from the
    fragment instead, Streamlit 1.67 would file all three buttons under one position, and only
    the last would download.)
    """
    conversation = state.current_conversation()
    as_markdown = functools.partial(conversation_markdown, title=title)
    files: list[tuple[str, Callable[[list[Message]], str], str, str]] = [
        ("Download as JSON", conversation_json, "conversation.json", "application/json"),
        ("Download as Markdown", as_markdown, "conversation.md", "text/markdown"),
        ("Download feedback (JSONL)", feedback_jsonl, "feedback.jsonl", "application/jsonl"),
    ]
    for label, build, file_name, mime in files:
        # "ignore": a download needs no rerun, and a rerun would replace the other buttons' files.
        st.download_button(
            label,
            _at_click(build, conversation),
            file_name=file_name,
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
        )


def _at_click(build: Callable[[list[Message]], str], conversation: Conversation) -> Callable[[], str]:
    """``build`` of the conversation's messages as they are when the button is clicked."""
    return lambda: build(conversation.messages)
