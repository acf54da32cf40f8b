"""Chat Completions through the official ``openai`` SDK, for any server that speaks it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import openai

from .base import Hints, Provider, Reply, StreamBroken, Usage, broken_stream_message

if TYPE_CHECKING:
    from ..messages import Message
    from ..settings import Settings


class OpenAICompatibleProvider(Provider):
    def __init__(self, label: str, client: openai.OpenAI, hints: Hints, *, token_limit: str) -> None:
        self.label = label
        self.client = client
        self.hints = hints
        self.sdk = openai
        self.timeout = client.timeout
        # OpenAI's own API wants max_completion_tokens; most compatible servers max_tokens.
        self.token_limit = token_limit

    def _request(self, messages: Sequence[Message], settings: Settings) -> dict[str, Any]:
        conversation = [{"role": "system", "content": settings.system_prompt}] if settings.system_prompt else []
        conversation += [{"role": m.role, "content": m.content} for m in messages]
        request: dict[str, Any] = {
            "model": settings.model,
            "messages": conversation,
            self.token_limit: settings.max_tokens,
        }
        if settings.temperature is not None:
            request["temperature"] = settings.temperature
        return request

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
            raise StreamBroken(broken_stream_message(self.label, partial=bool(reply.text)))


def _usage(usage: Any) -> Usage:
    if usage is None:
        return Usage()
    return Usage(input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens)
