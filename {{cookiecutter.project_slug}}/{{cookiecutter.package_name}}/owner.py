"""Who owns the conversations of a session: the logged-in user, else this browser.

With an ``[auth]`` table in ``.streamlit/secrets.toml`` the app asks people to
log in (``st.login``) and keeps conversations per user. Without it, each
browser gets an anonymous id in a cookie that the page's scripts cannot read
(HttpOnly) and other sites cannot send along (SameSite=Lax). ``OwnerCookie``
sets it on the page itself, before the script's first run, because the script
cannot set cookies.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

import streamlit as st

from . import safety, state

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]

COOKIE = "chatbot_owner"
#: Chromium keeps a cookie at most 400 days; every visit renews it.
MAX_AGE_SECONDS = 400 * 24 * 3600
_ID_SHAPE = re.compile(r"[0-9a-f]{32}")
PAGE_PATHS = frozenset({"/", "/index.html"})

_session_owner: state.SessionValue[str] = state.SessionValue("owner.session_only", lambda: secrets.token_hex(16))


class OwnerCookie:
    """ASGI middleware: gives every browser that loads the page an owner id cookie (and renews it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in PAGE_PATHS:
            await self.app(scope, receive, send)
            return
        owner_id = _cookie_from_headers(scope.get("headers", [])) or secrets.token_hex(16)
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"set-cookie", cookie_header(owner_id, secure=secure))]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def cookie_header(owner_id: str, *, secure: bool) -> bytes:
    flags = f"Path=/; Max-Age={MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
    return f"{COOKIE}={owner_id}; {flags}".encode()


def _cookie_from_headers(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed header from elsewhere on the host: give a fresh id
                continue
            if COOKIE in jar and _ID_SHAPE.fullmatch(jar[COOKIE].value):
                return jar[COOKIE].value
    return None


def login_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def current() -> str | None:
    """This session's owner, or None while login is required and nobody is logged in."""
    if login_configured():
        if not st.user.is_logged_in:
            return None
        return f"user:{st.user.get('email') or st.user.get('sub')}"
    from_cookie = st.context.cookies.get(COOKIE)
    if isinstance(from_cookie, str) and _ID_SHAPE.fullmatch(from_cookie):
        return f"browser:{from_cookie}"
    # Started without serve.py (so without the cookie): keep this tab's conversations under a
    # one-off owner rather than under one shared by every such tab.
    return f"session:{_session_owner.get()}"


def is_session_only(owner: str) -> bool:
    return owner.startswith("session:")


def render_login_page(title: str) -> None:
    # The page stays hidden until it has a sidebar (see first_paint.py), so this one has one too.
    st.sidebar.caption("Log in to see your conversations and settings.")
    st.title(title)
    st.write("Log in to see your conversations.")
    if st.button("Log in", type="primary", icon=":material/login:"):
        st.login()


def render_account() -> None:
    """Who is logged in, with a way out (call inside ``st.sidebar``)."""
    if login_configured() and st.user.is_logged_in:
        st.caption(f"Logged in as {safety.label(str(st.user.get('name') or st.user.get('email')))}")
        if st.button("Log out", icon=":material/logout:"):
            st.logout()
    elif (who := current()) and is_session_only(who):
        st.caption("Conversations are kept for this tab only: start the app with `streamlit run serve.py`.")
