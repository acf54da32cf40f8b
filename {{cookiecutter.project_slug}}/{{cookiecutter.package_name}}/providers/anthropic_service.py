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

from ..safety import scrub
from .base import (
    Hints,
    Provider,
    Reply,
    StreamBroken,
    Usage,
    broken_stream_message,
    client_options,
    configured,
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


def model_choices() -> list[str]:
    return MODELS


def missing_configuration() -> str | None:
    """Why the service cannot be used yet, or None when it can."""
    if configured("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN"):
        return None
    return (
        f"No Anthropic API key is configured, so replies come from the offline demo model. "
        f"To use Anthropic, {SETUP_HINT}"
    )


def create_provider() -> AnthropicProvider:
    base_url = configured("ANTHROPIC_BASE_URL")
    label = "Anthropic" if not base_url else f"the Anthropic API at {scrub(base_url)}"
    hints = Hints.for_hosted_service(label, key_variable="ANTHROPIC_API_KEY", address_variable="ANTHROPIC_BASE_URL")
    options = sdk_overrides(
        client_options(os.environ), {"ANTHROPIC_API_KEY": "api_key", "ANTHROPIC_BASE_URL": "base_url"}
    )
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
            "messages": [{"role": m.role, "content": m.content} for m in messages],
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
        stopped = False
        with self.client.messages.create(**request, stream=True) as stream:
            for event in stream:
                if event.type == "message_start":
                    reply.usage = Usage(event.message.usage.input_tokens, event.message.usage.output_tokens)
                elif event.type == "content_block_delta" and event.delta.type == "text_delta":
                    yield event.delta.text
                elif event.type == "message_delta":
                    reply.finish_reason = event.delta.stop_reason
                    reply.usage.output_tokens = event.usage.output_tokens
                    # Gateways may send 0 input tokens at the start and the real count here, at the end.
                    if event.usage.input_tokens:
                        reply.usage.input_tokens = event.usage.input_tokens
                elif event.type == "message_stop":
                    stopped = True
        if not stopped:
            # The server closed the stream without saying the reply was done.
            raise StreamBroken(broken_stream_message(self.label, partial=bool(reply.text)))
