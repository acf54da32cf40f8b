from __future__ import annotations

from driver import run_asgi

from {{ cookiecutter.package_name }}.first_paint import STYLE, FirstPaintStyle

PAGE = b"<html><head><title>x</title></head><body></body></html>"


def serve(path: str, *, body: bytes = PAGE, content_type: bytes = b"text/html; charset=utf-8", chunks: int = 1):
    """Run the middleware around an app that answers ``body``; what the client receives."""

    async def inner(scope, receive, send):
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        size = -(-len(body) // chunks)
        for index in range(chunks):
            piece = body[index * size : (index + 1) * size]
            await send({"type": "http.response.body", "body": piece, "more_body": index < chunks - 1})

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    run_asgi(FirstPaintStyle(inner)({"type": "http", "path": path}, receive, send))
    headers = dict(sent[0]["headers"])
    received = b"".join(m.get("body", b"") for m in sent[1:])
    return headers, received


def test_the_page_gets_the_style_in_its_head_with_a_matching_length() -> None:
    headers, page = serve("/", chunks=3)
    assert page == PAGE.replace(b"</head>", STYLE + b"</head>")
    assert headers[b"content-length"] == str(len(page)).encode()


def test_other_paths_and_other_content_pass_unchanged() -> None:
    assert serve("/static/js/main.js", body=b"</head>")[1] == b"</head>"
    assert serve("/", content_type=b"application/json", body=b'"</head>"')[1] == b'"</head>"'
