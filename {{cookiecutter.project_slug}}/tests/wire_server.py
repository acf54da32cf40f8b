"""A local HTTP server that speaks a model provider's wire protocol, for tests.

It listens on 127.0.0.1 on a free port, answers with a scripted reply, and can be
told to fail the next requests in the ways real services fail (``Fault``). The
protocol module of the configured provider formats what goes over the wire.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol


class Fault(Enum):
    UNAUTHORIZED = "unauthorized"  # 401: bad or missing key
    RATE_LIMITED = "rate_limited"  # 429
    SERVER_ERROR = "server_error"  # 5xx
    SLOW = "slow"  # answers after the client's timeout
    BROKEN_STREAM = "broken_stream"  # closes the connection half-way through a reply
    EMPTY = "empty"  # a well-formed reply with no text
    UNKNOWN_MODEL = "unknown_model"  # 404 for the requested model
    CONTEXT_TOO_LONG = "context_too_long"  # 400: the request is longer than the model's context window
    WRONG_PATH = "wrong_path"  # 404 from a router that has no such path: a base URL with a path too many
    GATEWAY_UNKNOWN_MODEL = "gateway_unknown_model"  # 400 with paragraphs of text, as some gateways answer


#: What a gateway in front of several providers answers for a model it does not route: paragraphs and links.
GATEWAY_UNKNOWN_MODEL_TEXT = (
    "Invalid model name passed in model=no-such-model. Call `/v1/models` to view available models for your key.\n\n"
    + "Received Model Group=no-such-model\nAvailable Model Group Fallbacks=None\n\n"
    + "See https://docs.example.invalid/proxy/model_access to give a key access to more models.\n" * 3
)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class WireProtocol(Protocol):
    def respond(self, exchange: Exchange, fault: Fault | None) -> None: ...


@dataclass
class WireServer:
    protocol: WireProtocol
    reply: str = "Hello from the local wire server. It streams in several pieces."
    input_tokens: int = 21
    output_tokens: int = 12
    slow_seconds: float = 3.0
    #: False: the model listing answers 404, as some gateways do.
    lists_models: bool = True
    #: Request parameters this server refuses with a 400 that names them, as some compatible servers do.
    refused_parameters: set[str] = field(default_factory=set)
    #: When set, sent in place of the middle piece of a streamed reply: data that is not a chunk of it.
    garbled_event: Any = None
    faults: list[Fault] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

    def start(self) -> WireServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server._handle(self, "GET")

            def do_POST(self) -> None:
                server._handle(self, "POST")

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, *faults: Fault) -> None:
        self.faults.extend(faults)

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else {}
        self.requests.append(
            Recorded(method, handler.path, {name.lower(): value for name, value in handler.headers.items()}, body)
        )
        # Faults are meant for replies; model listings and health checks always succeed.
        fault = self.faults.pop(0) if self.faults and method == "POST" else None
        if fault is Fault.SLOW:
            time.sleep(self.slow_seconds)
        # The client may have given up already, as it should after a timeout.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.protocol.respond(Exchange(self, handler, body), fault)


@dataclass
class Exchange:
    """One request and the helpers a protocol needs to answer it."""

    server: WireServer
    handler: BaseHTTPRequestHandler
    body: dict[str, Any]

    @property
    def path(self) -> str:
        return self.handler.path

    def send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.handler.send_response(status)
        self.handler.send_header("Content-Type", "application/json")
        self.handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.handler.send_header(name, value)
        self.handler.end_headers()
        self.handler.wfile.write(data)

    def send_error(self, status: int, payload: Any) -> None:
        # A tiny retry-after keeps the SDK's own retries quick.
        self.send_json(status, payload, {"retry-after-ms": "10"})

    def start_events(self) -> None:
        self.handler.send_response(200)
        self.handler.send_header("Content-Type", "text/event-stream")
        self.handler.send_header("Cache-Control", "no-cache")
        self.handler.send_header("Connection", "close")  # the body ends when the connection does
        self.handler.end_headers()
        self.handler.close_connection = True

    def send_event(self, data: Any, event: str | None = None) -> None:
        text = data if isinstance(data, str) else json.dumps(data)
        frame = (f"event: {event}\n" if event else "") + f"data: {text}\n\n"
        self.handler.wfile.write(frame.encode())
        self.handler.wfile.flush()

    def break_off(self) -> None:
        """Drop the connection mid-stream, as a crashed server or a cut network would."""
        self.handler.wfile.flush()
        self.handler.close_connection = True
        self.handler.connection.close()

    def reply_pieces(self) -> list[str]:
        words = self.server.reply.split(" ")
        return [word if i == len(words) - 1 else word + " " for i, word in enumerate(words)]
