"""Chat Completions through the official ``openai`` SDK, for any server that speaks it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import openai

from .base import Hints, Provider, Reply, StreamBroken, Usage, broken_stream_message

if TYPE_CHECKING:
    from ..messages import Message
    from ..settings import Settings


#: Optional parameters each server (by address) has refused in this process, so they are not sent again.
_refused_by_server: dict[str, set[str]] = {}
#: What a server says when it does not take a parameter ("Unrecognized request argument supplied: …",
#: "Unsupported parameter: 'max_tokens' …", "extra fields not permitted").
_REFUSAL = re.compile(r"unrecognized|unsupported|not supported|unknown|not permitted|extra (fields|inputs)", re.I)
#: A token limit some servers refuse, and the name they take instead.
_OTHER_TOKEN_LIMIT = {"max_tokens": "max_completion_tokens", "max_completion_tokens": "max_tokens"}
#: Streamed chunks are read as the SDK's plain JSON objects: building its typed chunk object for
#: each one capped a long reply at about 3,500 chunks/s here, while plain objects go past 20,000/s.
#: The SDK still sends the request, retries, decodes the event stream and raises its own errors.
_PLAIN_CHUNKS = openai.Stream[dict[str, Any]]


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
        conversation += [_chat_message(m) for m in messages]
        request: dict[str, Any] = {
            "model": settings.model,
            "messages": conversation,
            self.token_limit: settings.max_tokens,
        }
        if settings.temperature is not None:
            request["temperature"] = settings.temperature
        return self._as_server_takes(request)

    def _as_server_takes(self, request: dict[str, Any]) -> dict[str, Any]:
        refused = _refused_by_server.get(str(self.client.base_url), set())
        adjusted = {name: value for name, value in request.items() if name != "stream_options" or name not in refused}
        for name, other in _OTHER_TOKEN_LIMIT.items():
            if name in adjusted and name in refused and other not in refused:
                adjusted[other] = adjusted.pop(name)
        return adjusted

    def _create(self, request: dict[str, Any]) -> Any:
        """Send the request; if the server refuses one of its optional parameters by name, once more without it."""
        try:
            return self._send(self._as_server_takes(request))
        except openai.BadRequestError as error:
            text = f"{error.message} {error.body}"
            refused = {name for name in ("stream_options", *_OTHER_TOKEN_LIMIT) if name in request and name in text}
            if not refused or not _REFUSAL.search(text):
                raise
            _refused_by_server.setdefault(str(self.client.base_url), set()).update(refused)
            return self._send(self._as_server_takes(request))

    def _send(self, request: dict[str, Any]) -> Any:
        if not request.get("stream"):
            return self.client.chat.completions.create(**request)
        # The SDK's documented way to a raw endpoint, so each chunk stays a plain object.
        return self.client.post(
            "/chat/completions", body=request, cast_to=object, stream=True, stream_cls=_PLAIN_CHUNKS
        )

    def _generate(self, messages: Sequence[Message], settings: Settings, reply: Reply) -> Iterator[str]:
        request = self._request(messages, settings)
        if not settings.streaming:
            completion = self._create(request)
            reply.usage = _usage(completion.usage)
            if completion.choices:
                reply.finish_reason = completion.choices[0].finish_reason
                yield completion.choices[0].message.content or ""
            return
        stream = self._create({**request, "stream": True, "stream_options": {"include_usage": True}})
        with stream:
            for chunk in stream:
                try:
                    text, finish_reason, usage = _chunk_parts(chunk)
                except ValueError:
                    raise StreamBroken(broken_stream_message(self.label, partial=bool(reply.text))) from None
                if usage is not None:
                    reply.usage = usage
                if finish_reason:
                    reply.finish_reason = finish_reason
                if text:
                    yield text
        if reply.finish_reason is None:
            # The server closed the stream without saying the reply was done.
            raise StreamBroken(broken_stream_message(self.label, partial=bool(reply.text)))


def _chat_message(message: Message) -> dict[str, Any]:
    """A message in Chat Completions form: plain text, or text and images as content parts."""
    text = message.model_text()
    if not message.images:
        return {"role": message.role, "content": text}
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    parts += [
        {"type": "image_url", "image_url": {"url": f"data:{image.media_type};base64,{image.base64()}"}}
        for image in message.images
    ]
    return {"role": message.role, "content": parts}


def _chunk_parts(chunk: object) -> tuple[str, str | None, Usage | None]:
    """The text, finish reason and token counts of one streamed chunk; ValueError if it is not one."""
    if not isinstance(chunk, dict) or not isinstance(choices := chunk.get("choices") or [], list):
        raise ValueError(chunk)
    choice = choices[0] if choices else {}
    delta = (choice.get("delta") or {}) if isinstance(choice, dict) else None
    if not isinstance(delta, dict):
        raise ValueError(chunk)
    text = delta.get("content")
    usage = chunk.get("usage")
    counts = (
        Usage(input_tokens=usage.get("prompt_tokens"), output_tokens=usage.get("completion_tokens"))
        if isinstance(usage, dict)
        else None
    )
    return text if isinstance(text, str) else "", choice.get("finish_reason"), counts


def _usage(usage: Any) -> Usage:
    if usage is None:
        return Usage()
    return Usage(input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens)
