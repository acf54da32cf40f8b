"""The Anthropic Messages wire protocol: JSON replies and named server-sent events."""

from __future__ import annotations

from wire_server import GATEWAY_UNKNOWN_MODEL_TEXT, Exchange, Fault

_ERRORS = {
    Fault.UNAUTHORIZED: (401, "authentication_error", "invalid x-api-key"),
    Fault.RATE_LIMITED: (429, "rate_limit_error", "Number of requests has exceeded your rate limit."),
    Fault.SERVER_ERROR: (529, "overloaded_error", "Overloaded"),
    Fault.UNKNOWN_MODEL: (404, "not_found_error", "model: no such model"),
    Fault.GATEWAY_UNKNOWN_MODEL: (400, "invalid_request_error", GATEWAY_UNKNOWN_MODEL_TEXT),
    Fault.CONTEXT_TOO_LONG: (400, "invalid_request_error", "prompt is too long: 210443 tokens > 200000 maximum"),
}


MODELS = ["claude-local", "claude-second"]


class AnthropicWire:
    @staticmethod
    def sent_content(message: dict) -> tuple[list[str], list[tuple[str, str]]]:
        """A request message's texts, and its images as (media type, base64 data) from their image blocks."""
        content = message["content"]
        blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
        texts = [block["text"] for block in blocks if block["type"] == "text"]
        sources = [block["source"] for block in blocks if block["type"] == "image"]
        assert all(source["type"] == "base64" for source in sources)
        return texts, [(source["media_type"], source["data"]) for source in sources]

    def respond(self, exchange: Exchange, fault: Fault | None) -> None:
        if exchange.path.split("?")[0].endswith("/v1/models"):
            self._models(exchange)
            return
        if fault is Fault.WRONG_PATH:
            exchange.send_json(404, {"detail": "Not Found"})
            return
        if fault in _ERRORS:
            status, kind, message = _ERRORS[fault]
            exchange.send_error(status, {"type": "error", "error": {"type": kind, "message": message}})
            return
        pieces = [] if fault is Fault.EMPTY else exchange.reply_pieces()
        if exchange.body.get("stream"):
            self._stream(exchange, pieces, broken=fault is Fault.BROKEN_STREAM)
        else:
            exchange.send_json(200, self._message(exchange, "".join(pieces)))

    def _models(self, exchange: Exchange) -> None:
        if not exchange.server.lists_models:
            exchange.send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": "Not found"}})
            return
        listed = [
            {"type": "model", "id": name, "display_name": name, "created_at": "2026-01-01T00:00:00Z"} for name in MODELS
        ]
        page = {"data": listed, "has_more": False, "first_id": MODELS[0], "last_id": MODELS[-1]}
        exchange.send_json(200, page)

    def _message(self, exchange: Exchange, text: str, *, output_tokens: int | None = None) -> dict:
        server = exchange.server
        return {
            "id": "msg_local",
            "type": "message",
            "role": "assistant",
            "model": exchange.body.get("model"),
            "content": [{"type": "text", "text": text}] if text else [],
            "stop_reason": "end_turn" if text else None,
            "stop_sequence": None,
            "usage": {
                "input_tokens": server.input_tokens,
                "output_tokens": server.output_tokens if output_tokens is None else output_tokens,
            },
        }

    def _stream(self, exchange: Exchange, pieces: list[str], *, broken: bool) -> None:
        exchange.start_events()
        start = self._message(exchange, "", output_tokens=1)
        # As some gateways do: no input count at the start, the real one in message_delta.
        start["usage"]["input_tokens"] = 0
        exchange.send_event({"type": "message_start", "message": start}, event="message_start")
        block = {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
        exchange.send_event(block, event="content_block_start")
        for index, piece in enumerate(pieces):
            if broken and index == len(pieces) // 2:
                exchange.break_off()
                return
            delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}
            exchange.send_event(delta, event="content_block_delta")
        exchange.send_event({"type": "content_block_stop", "index": 0}, event="content_block_stop")
        finish = {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {"input_tokens": exchange.server.input_tokens, "output_tokens": exchange.server.output_tokens},
        }
        exchange.send_event(finish, event="message_delta")
        exchange.send_event({"type": "message_stop"}, event="message_stop")
