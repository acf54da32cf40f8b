"""The Chat Completions wire protocol, as OpenAI-compatible servers speak it."""

from __future__ import annotations

import time

from wire_server import GATEWAY_UNKNOWN_MODEL_TEXT, Exchange, Fault

MODELS = ["local-model", "second-model"]

_ERRORS = {
    Fault.UNAUTHORIZED: (401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    Fault.RATE_LIMITED: (429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded"),
    Fault.SERVER_ERROR: (503, "The server is overloaded.", "server_error", None),
    Fault.UNKNOWN_MODEL: (404, "The model does not exist.", "invalid_request_error", "model_not_found"),
    Fault.GATEWAY_UNKNOWN_MODEL: (400, GATEWAY_UNKNOWN_MODEL_TEXT, "invalid_request_error", None),
    Fault.CONTEXT_TOO_LONG: (
        400,
        "This model's maximum context length is 8192 tokens. However, your messages resulted in 9120 tokens.",
        "invalid_request_error",
        "context_length_exceeded",
    ),
}


class OpenAIWire:
    @staticmethod
    def sent_content(message: dict) -> tuple[list[str], list[tuple[str, str]]]:
        """A request message's texts, and its images as (media type, base64 data) from their data URLs."""
        content = message["content"]
        parts = content if isinstance(content, list) else [{"type": "text", "text": content}]
        texts = [part["text"] for part in parts if part["type"] == "text"]
        urls = [part["image_url"]["url"] for part in parts if part["type"] == "image_url"]
        return texts, [tuple(url.removeprefix("data:").split(";base64,")) for url in urls]

    def respond(self, exchange: Exchange, fault: Fault | None) -> None:
        if exchange.path.endswith("/models"):
            if exchange.server.lists_models:
                exchange.send_json(200, {"object": "list", "data": [_model(name) for name in MODELS]})
            else:
                exchange.send_json(404, {"error": {"message": "Not found", "type": "invalid_request_error"}})
            return
        if refused := sorted(exchange.server.refused_parameters & set(exchange.body)):
            message = (
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' "
                "instead."
                if refused == ["max_tokens"]
                else f"Unrecognized request argument supplied: {', '.join(refused)}"
            )
            exchange.send_error(400, {"error": {"message": message, "type": "invalid_request_error", "code": None}})
            return
        if fault is Fault.WRONG_PATH:
            exchange.send_json(404, {"detail": "Not Found"})
            return
        if fault in _ERRORS:
            status, message, kind, code = _ERRORS[fault]
            exchange.send_error(status, {"error": {"message": message, "type": kind, "param": None, "code": code}})
            return
        pieces = [] if fault is Fault.EMPTY else exchange.reply_pieces()
        if exchange.body.get("stream"):
            self._stream(exchange, pieces, broken=fault is Fault.BROKEN_STREAM)
        else:
            exchange.send_json(200, self._completion(exchange, "".join(pieces)))

    def _completion(self, exchange: Exchange, text: str) -> dict:
        return {
            "id": "chatcmpl-local",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": exchange.body.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": _usage(exchange),
        }

    def _stream(self, exchange: Exchange, pieces: list[str], *, broken: bool) -> None:
        exchange.start_events()
        exchange.send_event(_chunk(exchange, {"role": "assistant", "content": ""}))
        for index, piece in enumerate(pieces):
            if broken and index == len(pieces) // 2:
                exchange.break_off()
                return
            if exchange.server.garbled_event is not None and index == len(pieces) // 2:
                exchange.send_event(exchange.server.garbled_event)
                continue
            exchange.send_event(_chunk(exchange, {"content": piece}))
        exchange.send_event(_chunk(exchange, {}, finish_reason="stop"))
        if exchange.body.get("stream_options", {}).get("include_usage"):
            exchange.send_event({**_chunk(exchange, {}), "choices": [], "usage": _usage(exchange)})
        exchange.send_event("[DONE]")


def _chunk(exchange: Exchange, delta: dict, finish_reason: str | None = None) -> dict:
    return {
        "id": "chatcmpl-local",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": exchange.body.get("model"),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _usage(exchange: Exchange) -> dict:
    server = exchange.server
    total = server.input_tokens + server.output_tokens
    return {"prompt_tokens": server.input_tokens, "completion_tokens": server.output_tokens, "total_tokens": total}


def _model(name: str) -> dict:
    return {"id": name, "object": "model", "created": 0, "owned_by": "local"}
