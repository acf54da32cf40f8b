"""Anthropic's Messages API through the official ``anthropic`` SDK.

``ANTHROPIC_API_KEY`` and ``ANTHROPIC_BASE_URL`` may be top-level entries of
``.streamlit/secrets.toml`` or environment variables. Only values from the
secrets file are passed to the client; the SDK looks up its own variables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import anthropic
import streamlit as st

from ..safety import scrub
from .base import (
    LISTING_OPTIONS,
    LISTING_TTL,
    Hints,
    Provider,
    Reply,
    StreamBroken,
    Usage,
    broken_stream_message,
    client_options,
    configured,
    fingerprint,
    listing_notice,
    models_or_reason,
    sdk_overrides,
)

if TYPE_CHECKING:
    from ..messages import Message
    from ..settings import Settings

MODELS = ["claude-sonnet-5-5", "claude-haiku-5-5", "claude-opus-5-5", "claude-sonnet-4-5"]
DEFAULT_MODEL = MODELS[0]
# Tokens of conversation sent with each request. Claude models read 200,000 tokens; the rest is room for the
# reply and the estimate's error.
CONTEXT_BUDGET = 150_000
# The Messages API accepts temperatures from 0 to 1.
TEMPERATURE_MAX = 1.0
SETUP_HINT = "set ANTHROPIC_API_KEY in .streamlit/secrets.toml or the environment."


SDK_SETTINGS = {"ANTHROPIC_API_KEY": "api_key", "ANTHROPIC_BASE_URL": "base_url"}


@st.cache_data(ttl=LISTING_TTL, show_spinner=False)
def _service_models(base_url: str | None, key: str) -> list[str] | str:
    """What the service lists (``key`` only tells cached answers apart)."""

    def ids() -> list[str]:
        client = anthropic.Anthropic(**sdk_overrides(client_options(os.environ) | LISTING_OPTIONS, SDK_SETTINGS))
        return [model.id for model in client.models.list()]

    return models_or_reason(anthropic, ids)


def _listing() -> list[str] | str | None:
    if missing_configuration():
        return None
    return _service_models(configured("ANTHROPIC_BASE_URL"), fingerprint(configured("ANTHROPIC_API_KEY")))


def listed_models() -> list[str] | None:
    """The models the service says it has, or None when it would not say."""
    found = _listing()
    return found if isinstance(found, list) and found else None


def model_list_notice() -> str | None:
    found = _listing()
    return None if found is None else listing_notice(_label(), found)


def _label() -> str:
    base_url = configured("ANTHROPIC_BASE_URL")
    return "Anthropic" if not base_url else f"the Anthropic API at {scrub(base_url)}"


def missing_configuration() -> str | None:
    """Why the service cannot be used yet, or None when it can."""
    if configured("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN"):
        return None
    return (
        f"No Anthropic API key is configured, so replies come from the offline demo model. "
        f"To use Anthropic, {SETUP_HINT}"
    )


def create_provider() -> AnthropicProvider:
    label = _label()
    hints = Hints.for_hosted_service(
        label,
        key_variable="ANTHROPIC_API_KEY",
        address_variable="ANTHROPIC_BASE_URL",
        address_fix="check ANTHROPIC_BASE_URL, which is the server's address without /v1 (the SDK adds it).",
    )
    options = sdk_overrides(client_options(os.environ), SDK_SETTINGS)
    return AnthropicProvider(label, anthropic.Anthropic(**options), hints)


class AnthropicProvider(Provider):
    def __init__(self, label: str, client: anthropic.Anthropic, hints: Hints) -> None:
        self.label = label
        self.client = client
        self.hints = hints
        self.sdk = anthropic
        self.timeout = client.timeout

    def _request(self, messages: Sequence[Message], settings: Settings) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": settings.model,
            "max_tokens": settings.max_tokens,
            "messages": [_api_message(m) for m in messages],
        }
        if settings.temperature is not None:
            # The SDK dropped the parameter as newer models refuse it; older ones still take it.
            request["extra_body"] = {"temperature": settings.temperature}
        if settings.system_prompt:
            # The Messages API takes the system prompt beside the messages, not as one of them.
            request["system"] = settings.system_prompt
        return request

    def _generate(self, messages: Sequence[Message], settings: Settings, reply: Reply) -> Iterator[str]:
        request = self._request(messages, settings)
        if not settings.streaming:
            message = self.client.messages.create(**request)
            reply.usage = Usage(message.usage.input_tokens, message.usage.output_tokens)
            reply.finish_reason = message.stop_reason
            yield "".join(block.text for block in message.content if block.type == "text")
            return
        # The SDK's stream helper keeps the message as it arrives, usage included: gateways may send
        # no input count at the start and the real one in the closing message_delta.
        with self.client.messages.stream(**request) as stream:
            yield from stream.text_stream
            message = stream.current_message_snapshot
        reply.usage = Usage(message.usage.input_tokens, message.usage.output_tokens)
        reply.finish_reason = message.stop_reason
        if message.stop_reason is None:
            # The server closed the stream without saying the reply was done.
            raise StreamBroken(broken_stream_message(self.label, partial=bool(reply.text)))


def _api_message(message: Message) -> dict[str, Any]:
    """A message in Messages API form: plain text, or image blocks followed by the text."""
    text = message.model_text()
    if not message.images:
        return {"role": message.role, "content": text}
    blocks: list[dict[str, Any]] = [
        {"type": "image", "source": {"type": "base64", "media_type": image.media_type, "data": image.base64()}}
        for image in message.images
    ]
    if text:
        blocks.append({"type": "text", "text": text})
    return {"role": message.role, "content": blocks}
