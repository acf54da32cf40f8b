"""Drives the chatbot in a browser the way a person would, and guards what the page may do."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# How this bake treats a reply: whether it waits for review, and the button that asks again.
REVIEWED = {{ cookiecutter.approval_workflow }}
RETRY_LABEL = "{% if cookiecutter.approval_workflow %}Regenerate{% else %}Retry{% endif %}"
LOCAL_HOST = "127.0.0.1"
# Headless, and nothing of Chromium's own that would call outside (updates, sync, first-run pages).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000
#: How long a click may take to reach the app (a few hundred ms at most under CI's load) before it counts as lost.
CLICK_SENT_MS = 5_000

# Counts the script runs the server reports finished, by reading each message it sends: a
# ForwardMsg (Streamlit's protocol buffer) whose field 6, script_finished, is set. A run that
# ends in st.rerun() counts too, so a test can tell one run from two. Counting messages rather
# than watching the page catches runs too short for the page to show as running. It also counts
# the messages the page sends, so a wait that times out can tell a lost click from a stuck run.
RUN_COUNTER = """
window.__runsFinished = 0;
window.__messagesSent = 0;
(() => {
  const SCRIPT_FINISHED = 6;
  function finishedStatus(bytes) {
    let at = 0;
    const varint = () => {
      let value = 0, shift = 0, byte;
      do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
      return value;
    };
    while (at < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (wire === 0) { const value = varint(); if (field === SCRIPT_FINISHED) return value; }
      else if (wire === 2) { const length = varint(); at += length; }
      else if (wire === 1) { at += 8; }
      else if (wire === 5) { at += 4; }
      else return null;
    }
    return null;
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (!(event.data instanceof ArrayBuffer)) return;
        const status = finishedStatus(new Uint8Array(event.data));
        if (status === null) return;
        window.__runsFinished += 1;
        window.__lastFinishedStatus = status;
      });
    }
    send(data) {
      window.__messagesSent += 1;
      return super.send(data);
    }
  };
})();
"""
LONG_TEXT_LINES = 100
# React watches a textarea through its value setter; assigning .value directly would go unnoticed.
SET_TEXTAREA = """(element, text) => {
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set.call(element, text);
  element.dispatchEvent(new Event("input", { bubbles: true }));
}"""
# Cumulative layout shift as browsers report it (0.1 is the usual bound for a page that does not jump).
LAYOUT_SHIFT = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""
# In every frame until stopped: how far below the first message on screen the second one starts,
# whether a script runs, and whether the first message's Edit button can be seen.
WATCH_FIRST_MESSAGES = """() => {
  const frames = (window.__frames = []);
  const measure = () => {
    const [first, second] = document.querySelectorAll("[data-testid=stChatMessage]");
    const edit = [...first.querySelectorAll("[data-testid=stButton]")].find((b) => b.textContent.includes("Edit"));
    frames.push({
      gap: second.getBoundingClientRect().top - first.getBoundingClientRect().top,
      running: document.querySelector("[data-testid=stApp]").getAttribute("data-test-script-state") === "running",
      editShown: edit !== undefined && edit.checkVisibility({ visibilityProperty: true }),
    });
    if (window.__frames === frames) requestAnimationFrame(measure);
  };
  measure();
}"""
# The text of each message as a reader sees it, without the labels of its buttons (Edit, Retry, …).
READ_MESSAGES = """() => [...document.querySelectorAll("[data-testid=stChatMessage]")].map((bubble) => {
  const content = bubble.querySelector("[data-testid=stChatMessageContent]");
  let text = content?.innerText ?? "";
  for (const button of content?.querySelectorAll("[data-testid=stButton]") ?? []) {
    text = text.replace(button.innerText, "");
  }
  return [bubble.querySelector("[data-testid=stChatMessageAvatarUser]") ? "user" : "assistant", text.trimEnd()];
})"""
# No script runs, none is about to (a run that ended early for a rerun, status 2, is followed by
# another), and nothing from an earlier run is left on the page waiting to be replaced.
IDLE = (
    "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"
    " && !document.querySelector('[data-stale=true]') && window.__lastFinishedStatus !== 2"
)
# What the page shows of the app's script runs and connection, for a wait that timed out.
RUN_REPORT = """() => ({
  runsFinished: window.__runsFinished,
  messagesSent: window.__messagesSent,
  lastFinishedStatus: window.__lastFinishedStatus,
  scriptState: document.querySelector("[data-testid=stApp]")?.getAttribute("data-test-script-state"),
  staleElements: document.querySelectorAll("[data-stale=true]").length,
  statusWidget: document.querySelector("[data-testid=stStatusWidget]")?.innerText ?? "",
  dialogs: document.querySelectorAll("[data-testid=stDialog]").length,
})"""


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
        self.context.add_init_script(LAYOUT_SHIFT)

    #: An origin whose own pages are not the app's (a sign-in provider's): what they ask for
    #: outside is aborted like everything else, but it is not the app's doing, so not recorded.
    foreign_origin: str | None = None

    def _route(self, route: Any) -> None:
        if urlsplit(route.request.url).hostname == LOCAL_HOST:
            route.continue_()
            return
        route.abort()
        if not (self.foreign_origin and _frame_url(route.request).startswith(self.foreign_origin)):
            self.outside_requests.append(route.request.url)

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


def _frame_url(request: Any) -> str:
    try:
        return request.frame.url
    except Exception:  # a request from a service worker has no frame
        return ""


class ChatPage:
    """One tab of the chatbot."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url

    # --- Waiting ---

    def open(self, query: str = "") -> ChatPage:
        self.page.goto(self.url + query)
        self.page.wait_for_selector("[data-testid=stChatInputTextArea]")
        self.wait_until(f"window.__runsFinished > 0 && {IDLE}")
        self.painted()
        return self

    def runs_finished(self) -> int:
        return self.page.evaluate("window.__runsFinished")

    def settle(self, action: Any, runs: int = 1) -> ChatPage:
        """Do ``action`` and wait until the script runs it causes have finished."""
        before = self.page.evaluate(RUN_REPORT)
        action()
        return self._runs_after(before, runs)

    def _runs_after(self, before: dict[str, Any], runs: int) -> ChatPage:
        self.wait_until(f"window.__runsFinished >= {before['runsFinished'] + runs} && {IDLE}", before)
        self.painted()
        return self

    def wait_until(self, condition: str, before: dict[str, Any] | None = None) -> None:
        """Wait until ``condition`` holds in the page; if it never does, say what the page shows instead."""
        if self._holds_within(condition, TIMEOUT_MS):
            return
        report = f"the page did not settle: {condition}\n  now: {self.page.evaluate(RUN_REPORT)}"
        if before is not None:
            report += f"\n  before the action: {before}"
        raise AssertionError(report)

    def _holds_within(self, condition: str, timeout_ms: float) -> bool:
        try:
            self.page.wait_for_function(condition, timeout=timeout_ms)
        except Exception as error:  # Playwright's TimeoutError, imported late as in expect()
            if type(error).__name__ != "TimeoutError":
                raise
            return False
        return True

    def wait_idle(self) -> None:
        """Wait until no script runs."""
        self.wait_until(IDLE)
        self.painted()

    def wait_input_enabled(self, timeout: float = 5_000) -> None:
        """Wait until the chat box takes text: a click may be answered by more than one script run."""
        self.page.wait_for_function(
            "((box) => box !== null && !box.disabled)(document.querySelector('[data-testid=stChatInputTextArea]'))",
            timeout=timeout,
        )

    def painted(self) -> None:
        """Wait until what has arrived is on screen (two animation frames)."""
        self.page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")

    # --- Reading ---

    @property
    def input(self) -> Any:
        return self.page.get_by_test_id("stChatInputTextArea")

    def messages(self) -> list[tuple[str, str]]:
        """(role, text) of every message on screen, top to bottom."""
        # Read in one step: a bubble looked up by one call could be gone by the next.
        return [tuple(pair) for pair in self.page.evaluate(READ_MESSAGES)]

    def watch_first_messages(self, action: Any) -> list[dict[str, Any]]:
        """The first two messages in every frame while ``action`` runs (see WATCH_FIRST_MESSAGES)."""
        self.page.evaluate(WATCH_FIRST_MESSAGES)
        action()
        return self.page.evaluate("(() => { const seen = window.__frames; window.__frames = null; return seen; })()")

    def expect(self, target: Any) -> Any:
        """Playwright's assertions on ``target``, which retry until they hold or time out."""
        from playwright.sync_api import expect  # Imported late: without Playwright the tests skip, not fail.

        return expect(target)

    def expect_message_count(self, count: int) -> None:
        """Wait until exactly ``count`` messages are on screen (elements of an old run may linger)."""
        self.expect(self.page.get_by_test_id("stChatMessage")).to_have_count(count)

    def last_message(self) -> Any:
        return self.page.get_by_test_id("stChatMessage").last

    def button(self, name: str) -> Any:
        return self.page.get_by_role("button", name=name, exact=True)

    def has_button(self, name: str) -> bool:
        return self.button(name).count() > 0

    @property
    def sidebar(self) -> Any:
        return self.page.get_by_test_id("stSidebar")

    def settings(self) -> Any:
        """The settings panel, opened from its button in the sidebar if it is closed."""
        panel = self.page.get_by_test_id("stPopoverBody")
        if not panel.is_visible():
            self.sidebar.get_by_test_id("stPopoverButton").filter(has_text="Settings").click()
            panel.wait_for()
        return panel

    def assert_no_exception_shown(self) -> None:
        shown = self.page.get_by_test_id("stException")
        assert shown.count() == 0, shown.first.inner_text()

    def download(self, label: str) -> bytes:
        with self.page.expect_download() as started:
            self.button(label).click()
        return Path(started.value.path()).read_bytes()

    def record_received(self) -> list[bytes]:
        """Every websocket frame the page receives from its next connection on (a list that fills as they come)."""
        received: list[bytes] = []

        def keep(frame: str | bytes) -> None:
            received.append(frame if isinstance(frame, bytes) else frame.encode())

        def record(socket: Any) -> None:
            socket.on("framereceived", keep)

        self.page.on("websocket", record)
        return received

    def layout_shift(self) -> float:
        """How far visible content has moved since the page started loading, summed."""
        return self.page.evaluate("window.__layoutShift")

    # --- Acting ---

    def type(self, text: str) -> None:
        if text.count("\n") > LONG_TEXT_LINES:
            # Chromium inserts multi-line text into a textarea in time that grows with the square
            # of the line count (23 s for 3,000 lines, in a bare textarea too), so long text is
            # set the way a paste ends up: the value at once, then one input event.
            self.input.evaluate(SET_TEXTAREA, text)
        else:
            self.input.fill(text)

    def attach(self, *files: tuple[str, str, bytes]) -> ChatPage:
        """Pick files (name, MIME type, bytes) in the chat box, and wait until each has uploaded."""
        chat_box = self.page.get_by_test_id("stChatInput")
        picker = chat_box.locator("input[type=file]")
        picker.set_input_files([{"name": name, "mimeType": kind, "buffer": data} for name, kind, data in files])
        chips = chat_box.get_by_test_id("stFileChip")
        for name, _, _ in files:
            chips.filter(has_text=name).wait_for()
        chat_box.get_by_test_id("stFileChipIconSpinner").first.wait_for(state="detached")
        return self

    def send(self, text: str) -> ChatPage:
        """Send a prompt and wait for its run to finish (a reply, or a draft waiting for review)."""
        self.type(text)
        return self.settle(lambda: self.input.press("Enter"))

    def exchange(self, text: str) -> ChatPage:
        """Send a prompt and let its reply join the conversation."""
        self.send(text)
        return self.let_reply_join()

    def let_reply_join(self) -> ChatPage:
        """After a reply has come in: accept its draft where replies are reviewed; elsewhere it has joined."""
        return self.click("Accept") if REVIEWED else self

    def retry(self) -> ChatPage:
        """Ask again for a reply that was cut short, and let the new one join the conversation."""
        self.click(RETRY_LABEL)
        return self.let_reply_join()

    def dismiss_cut_reply(self) -> ChatPage:
        """Leave a reply that was cut short as it is (a draft waiting for review is rejected)."""
        return self.click("Reject") if REVIEWED else self

    def start_sending(self, text: str) -> Any:
        """Send a prompt and return its reply once the reply's first words show, while it still streams.

        Waits for the demo model's words that quote this prompt: an earlier reply on the page also
        says "You said", and a Stop clicked before this reply starts stops it before it has a card.
        """
        self.type(text)
        self.input.press("Enter")
        self.page.get_by_test_id("stChatInputStopButton").wait_for()
        reply = self.last_message()
        reply.filter(has_text="You said").filter(has_text=text).wait_for()
        return reply

    def stop(self) -> ChatPage:
        return self.settle(self.page.get_by_test_id("stChatInputStopButton").click)

    def confirm_in_dialog(self, name: str) -> ChatPage:
        """Click ``name`` in the open dialog and wait until the dialog has gone and the page is idle.

        A dialog's button reruns the dialog alone (a fragment run); the page's own run follows
        when the dialog closes itself, so the number of runs is not fixed.
        """
        dialog = self.page.get_by_test_id("stDialog")
        self.settle(lambda: dialog.get_by_role("button", name=name, exact=True).click())
        dialog.wait_for(state="detached")
        self.wait_idle()
        return self

    def click(self, name: str, *, runs: int = 1) -> ChatPage:
        return self._click_until_sent(self.button(name).first, name, runs)

    def flip_setting(self, label: str) -> ChatPage:
        """Click the toggle ``label`` in the settings panel and wait for the run it causes."""
        return self._click_until_sent(self.settings().get_by_text(label), label, 1)

    def _click_until_sent(self, target: Any, name: str, runs: int) -> ChatPage:
        before = self.page.evaluate(RUN_REPORT)
        target.click()
        if not self._holds_within(f"window.__messagesSent > {before['messagesSent']}", CLICK_SENT_MS):
            # The click never reached the app (a likely cause of a click in CI that once waited
            # 30 s for a run that never came; a settings toggle did the same in a full local run).
            # Clicked again, as a person would, with a warning.
            warnings.warn(f"A click on {name!r} did not reach the app; clicked again.", stacklevel=3)
            target.click()
        return self._runs_after(before, runs)
