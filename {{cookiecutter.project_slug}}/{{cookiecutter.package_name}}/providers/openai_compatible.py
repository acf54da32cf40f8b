"""Chat Completions through the official ``openai`` SDK, for any server that speaks it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import openai

from .base import (
    AuthenticationFailed,
    ModelNotFound,
    Provider,
    ProviderError,
    RateLimited,
    Reply,
    RequestRejected,
    ServiceFailed,
    StreamBroken,
    TimedOut,
    Unreachable,
    Usage,
)

if TYPE_CHECKING:
    from ..messages import Message
    from ..settings import Settings


@dataclass(frozen=True)
class Hints:
    """What to tell the user for the faults whose fix depends on the service."""

    rejected_key: str
    unreachable: str
    model_missing: Callable[[str], str]  # given the model's name


class OpenAICompatibleProvider(Provider):
    def __init__(self, label: str, client: openai.OpenAI, hints: Hints, *, token_limit: str) -> None:
        self.label = label
        self.client = client
        self.hints = hints
        # OpenAI's own API wants max_completion_tokens; most compatible servers max_tokens.
        self.token_limit = token_limit

    def _request(self, messages: Sequence[Message], settings: Settings) -> dict[str, Any]:
        conversation = [{"role": "system", "content": settings.system_prompt}] if settings.system_prompt else []
        conversation += [{"role": m.role, "content": m.content} for m in messages]
        return {
            "model": settings.model,
            "messages": conversation,
            "temperature": settings.temperature,
            self.token_limit: settings.max_tokens,
        }

    def _generate(self, messages: Sequence[Message], settings: Settings, reply: Reply) -> Iterator[str]:
        request = self._request(messages, settings)
        if not settings.streaming:
            completion = self.client.chat.completions.create(**request)
            reply.usage = _usage(completion.usage)
            if completion.choices:
                reply.finish_reason = completion.choices[0].finish_reason
                yield completion.choices[0].message.content or ""
            return
        stream = self.client.chat.completions.create(**request, stream=True, stream_options={"include_usage": True})
        with stream:
            for chunk in stream:
                if chunk.usage:
                    reply.usage = _usage(chunk.usage)
                for choice in chunk.choices[:1]:
                    if choice.finish_reason:
                        reply.finish_reason = choice.finish_reason
                    if choice.delta.content:
                        yield choice.delta.content
        if reply.finish_reason is None:
            # The server closed the stream without saying the reply was done.
            raise StreamBroken(_broken_stream_message(self.label, partial=bool(reply.text)))

    def _translate(self, error: Exception, settings: Settings, *, partial: bool) -> ProviderError | None:
        if _is_transport_error(error) or (partial and isinstance(error, openai.APIError)):
            return StreamBroken(_broken_stream_message(self.label, partial=partial))
        if isinstance(error, openai.APITimeoutError):
            return TimedOut(
                f"{self.label} did not answer within {self.client.timeout} seconds: press Retry, "
                "or raise CHATBOT_TIMEOUT if long replies are expected."
            )
        if isinstance(error, openai.APIConnectionError):
            return Unreachable(self.hints.unreachable)
        if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
            return AuthenticationFailed(self.hints.rejected_key)
        if isinstance(error, openai.NotFoundError):
            return ModelNotFound(self.hints.model_missing(settings.model))
        if isinstance(error, openai.RateLimitError):
            return RateLimited(
                f"{self.label} is limiting how fast requests may be sent (HTTP 429): "
                "wait a moment and press Retry, or check your plan's rate limits."
            )
        if isinstance(error, openai.APIStatusError) and error.status_code >= 500:
            return ServiceFailed(
                f"{self.label} had a server error (HTTP {error.status_code}): press Retry in a moment."
            )
        if isinstance(error, openai.APIStatusError):
            return RequestRejected(
                f"{self.label} rejected the request (HTTP {error.status_code}): {_server_message(error)} "
                "Check the model and settings in the sidebar."
            )
        if isinstance(error, openai.APIError):
            return ServiceFailed(f"{self.label} reported an error: {error.message} Press Retry in a moment.")
        return None


def _is_transport_error(error: Exception) -> bool:
    # The SDK's HTTP client raises its own errors when a stream breaks after it has started.
    return type(error).__module__.split(".")[0].startswith("httpx")


def _broken_stream_message(label: str, *, partial: bool) -> str:
    if partial:
        return (
            f"The connection to {label} broke off in the middle of the reply: the part received is kept; "
            "press Retry for a complete answer."
        )
    return f"The connection to {label} broke off before any reply arrived: press Retry."


def _server_message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        message = body.get("message") or (body.get("error") or {}).get("message")
        if isinstance(message, str) and message:
            return message.rstrip(".") + "."
    return "no reason was given."


def _usage(usage: Any) -> Usage:
    if usage is None:
        return Usage()
    return Usage(input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens)
