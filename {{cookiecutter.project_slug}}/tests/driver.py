"""Drives the chat in AppTest the way a user would, whatever options the project was baked with."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import chat
{% if cookiecutter.approval_workflow -%}
from {{ cookiecutter.package_name }}.approval import EXTRAS_KEY
{% endif -%}
from {{ cookiecutter.package_name }}.messages import Message

{% if cookiecutter.approval_workflow -%}
RETRY_LABEL = "Regenerate"  # an unfinished draft is regenerated from the review buttons
{%- else -%}
RETRY_LABEL = "Retry"
{%- endif %}


def run_asgi(call: Coroutine[Any, Any, None]) -> None:
    """Run an ASGI call to its end on a thread of its own.

    The browser tests' Playwright keeps an event loop running on the main thread for the whole
    session, and ``asyncio.run`` refuses to start a second one there.
    """
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, call).result()


def history(app: AppTest) -> list[Message]:
    return app.session_state["chat.conversation"].messages


def click(app: AppTest, label: str) -> AppTest:
    next(button for button in app.button if button.label == label).click().run()
    assert not app.exception, app.exception
    return app


def labels(app: AppTest) -> list[str]:
    return [button.label for button in app.button]


def send(app: AppTest, text: str) -> AppTest:
    """Send a prompt and let its reply join the conversation."""
    app.chat_input[0].set_value(text).run()
    assert not app.exception, app.exception
{%- if cookiecutter.approval_workflow %}
    if "Accept" in labels(app):
        click(app, "Accept")
{%- endif %}
    return app


def latest_reply(app: AppTest) -> Message:
    """The newest reply, in the history or{% if cookiecutter.approval_workflow %} (while under review){% endif %} waiting to join it."""
{%- if cookiecutter.approval_workflow %}
    pending = app.session_state["chat.conversation"].extras[EXTRAS_KEY].pending
    if pending is not None:
        return pending
{%- endif %}
    return next(m for m in reversed(history(app)) if m.role == "assistant")


def retry(app: AppTest) -> AppTest:
    """Ask again for a reply that failed or was stopped, and let it join the conversation."""
    click(app, "Retry" if "Retry" in labels(app) else RETRY_LABEL)
{%- if cookiecutter.approval_workflow %}
    click(app, "Accept")
{%- endif %}
    return app


#: A 1 x 1 pixel PNG, to attach.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def send_stopped_before_the_reply(app: AppTest, monkeypatch: pytest.MonkeyPatch, text: str) -> AppTest:
    """Send ``text`` as if Stop were pressed once it was stored, before its reply began; then run the page again."""

    def stopped(*args, **kwargs):
        raise StopException()  # what Streamlit raises inside the script when the user presses Stop

    with monkeypatch.context() as patched:
        patched.setattr(chat, "stream_reply", stopped)
        app.chat_input[0].set_value(text).run()
    app.run()  # the page's next run, for any click at all
    assert not app.exception, app.exception
    return app


def attach(app: AppTest, *files: tuple[str, bytes]) -> AppTest:
    """Stage files in the chat input; the next ``send`` carries them."""
    for name, data in files:
        app.chat_input[0].upload(name, data)
    return app
