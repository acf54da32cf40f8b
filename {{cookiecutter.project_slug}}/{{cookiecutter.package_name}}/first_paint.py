"""The page as it stands before the script's first run has drawn anything.

Streamlit draws the sidebar only once the script puts something in it, so on
every load the main column would first be laid out across the whole window and
then jump right when the sidebar arrives (a layout shift of about 0.24). A
style rule added to the served HTML keeps the page's content hidden until the
sidebar exists; CSS sent by the script would arrive with the sidebar, too late.

The sidebar is found by its class, from `body`. Chromium re-checks a `:has()` rule
whenever an element its argument could match is added, or its anchor's class changes:
with `[data-testid="stSidebar"]` (nearly every element Streamlit adds) on `.stApp`
(whose generated class changes during runs), each check marked the whole page for
restyling, three times in one traced reply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]

STYLE = b'<style>body:not(:has(.stSidebar)) [data-testid="stAppViewContainer"] > * { visibility: hidden; }</style>'
PAGE_PATHS = frozenset({"/", "/index.html"})


class FirstPaintStyle:
    """ASGI middleware: adds ``STYLE`` to the HTML page Streamlit serves; every other response passes through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in PAGE_PATHS:
            await self.app(scope, receive, send)
            return
        start: Message = {}
        body: list[bytes] = []

        async def send_with_style(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if not message.get("more_body"):
                await _send_page(send, start, with_style(start, b"".join(body)))

        await self.app(scope, receive, send_with_style)


def with_style(start: Message, page: bytes) -> bytes:
    """The page with ``STYLE`` at the end of its head, if it is plain (not compressed) HTML."""
    headers = {name.lower(): value for name, value in start.get("headers", [])}
    if b"text/html" not in headers.get(b"content-type", b"") or b"content-encoding" in headers:
        return page
    return page.replace(b"</head>", STYLE + b"</head>", 1)


async def _send_page(send: Send, start: Message, page: bytes) -> None:
    headers = [(name, value) for name, value in start.get("headers", []) if name.lower() != b"content-length"]
    await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
    await send({"type": "http.response.body", "body": page})
