"""Drives the chatbot in a browser the way a person would, and guards what the page may do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

LOCAL_HOST = "127.0.0.1"
TIMEOUT_MS = 30_000

# Counts the ends of script runs: Streamlit marks the app root with the script's state.
RUN_COUNTER = """
window.__runsFinished = 0;
new MutationObserver((records) => {
  for (const record of records) {
    if (record.oldValue === "running") window.__runsFinished += 1;
  }
}).observe(document, {
  attributes: true, subtree: true, attributeOldValue: true, attributeFilter: ["data-test-script-state"],
});
"""
IDLE = "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"


@dataclass
class BrowserGuard:
    """A browser session whose every outside request, dialog and script error is recorded."""

    browser: Any
    outside_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.context.add_init_script(RUN_COUNTER)

    def _route(self, route: Any) -> None:
        if urlsplit(route.request.url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            self.outside_requests.append(route.request.url)
            route.abort()

    def new_page(self) -> Any:
        page = self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._console)
        return page

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        # An aborted outside request is logged by the browser; it is reported through outside_requests.
        if message.type == "error" and "net::ERR_FAILED" not in message.text:
            self.console_errors.append(message.text)

    def assert_clean(self) -> None:
        assert not self.outside_requests, f"the page asked for outside addresses: {self.outside_requests}"
        assert not self.dialogs, f"injected code opened dialogs: {self.dialogs}"
        assert not self.page_errors, f"scripts failed on the page: {self.page_errors}"
        assert not self.console_errors, f"the console reported errors: {self.console_errors}"

    def close(self) -> None:
        self.context.close()


class ChatPage:
    """One tab of the chatbot."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url

    # --- Waiting ---

    def open(self, query: str = "") -> ChatPage:
        self.page.goto(self.url + query)
        self.page.wait_for_selector("[data-testid=stChatInputTextArea]")
        self.page.wait_for_function(f"window.__runsFinished > 0 && {IDLE}")
        return self

    def runs_finished(self) -> int:
        return self.page.evaluate("window.__runsFinished")

    def settle(self, action: Any, runs: int = 1) -> ChatPage:
        """Do ``action`` and wait until the script runs it causes have finished."""
        before = self.runs_finished()
        action()
        self.page.wait_for_function(f"window.__runsFinished >= {before + runs} && {IDLE}")
        return self

    # --- Reading ---

    @property
    def input(self) -> Any:
        return self.page.get_by_test_id("stChatInputTextArea")

    def messages(self) -> list[tuple[str, str]]:
        """(role, text) of every message on screen, top to bottom."""
        found = []
        for bubble in self.page.get_by_test_id("stChatMessage").all():
            role = "user" if bubble.get_by_test_id("stChatMessageAvatarUser").count() else "assistant"
            found.append((role, bubble.get_by_test_id("stChatMessageContent").inner_text()))
        return found

    def last_message(self) -> Any:
        return self.page.get_by_test_id("stChatMessage").last

    def button(self, name: str) -> Any:
        return self.page.get_by_role("button", name=name, exact=True)

    def has_button(self, name: str) -> bool:
        return self.button(name).count() > 0

    def toasts(self) -> list[str]:
        return [toast.inner_text() for toast in self.page.get_by_test_id("stToast").all()]

    # --- Acting ---

    def type(self, text: str) -> None:
        self.input.fill(text)

    def send(self, text: str) -> ChatPage:
        """Send a prompt and wait for its run to finish (a reply, or a draft waiting for review)."""
        self.type(text)
        return self.settle(lambda: self.input.press("Enter"))

    def start_sending(self, text: str) -> None:
        """Send a prompt without waiting: the reply is still streaming when this returns."""
        self.type(text)
        self.input.press("Enter")
        self.page.get_by_test_id("stChatInputStopButton").wait_for()

    def stop(self) -> ChatPage:
        self.page.get_by_test_id("stChatInputStopButton").click()
        self.page.wait_for_function(IDLE)
        return self

    def click(self, name: str, *, runs: int = 1) -> ChatPage:
        return self.settle(lambda: self.button(name).first.click(), runs=runs)
