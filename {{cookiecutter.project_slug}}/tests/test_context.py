from __future__ import annotations

from driver import history
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.context import estimate_tokens, fit, message_tokens, prompt_too_long
from {{ cookiecutter.package_name }}.messages import Message


def conversation(size: int) -> list[Message]:
    return [
        Message(role="user" if n % 2 == 0 else "assistant", content=f"Message {n}: " + "words " * (n % 7 + 3))
        for n in range(size)
    ]


def test_a_long_conversation_is_cut_to_the_newest_whole_turns_that_fit() -> None:
    seeded = conversation(1000)
    sent = fit(seeded, "Be brief.", 3000)
    assert sent.tokens <= 3000
    assert sent.tokens == estimate_tokens("Be brief.") + sum(message_tokens(m) for m in sent.messages)
    assert sent.messages == seeded[sent.left_out :], "the newest messages, in order"
    assert sent.messages[0].role == "user", "whole turns: it starts with a question"
    assert sent.left_out % 2 == 0
    # One more turn would not have fitted.
    one_more = sum(message_tokens(m) for m in seeded[sent.left_out - 2 : sent.left_out])
    assert sent.tokens + one_more > 3000


def test_everything_is_sent_when_it_fits() -> None:
    seeded = conversation(10)
    sent = fit(seeded, "", 100_000)
    assert (sent.messages, sent.left_out) == (seeded, 0)


def test_the_newest_turn_is_sent_even_over_the_budget() -> None:
    seeded = [*conversation(4), Message(role="user", content="long " * 1000)]
    sent = fit(seeded, "A system prompt.", 50)
    assert [m.content for m in sent.messages] == [seeded[-1].content]
    assert sent.left_out == 4


def test_error_notices_are_left_out_and_roles_alternate() -> None:
    seeded = [
        Message(role="user", content="first"),
        Message(role="assistant", content="The service failed: press Retry.", status="error"),
        Message(role="user", content="second"),
        Message(role="assistant", content="", status="interrupted"),
        Message(role="user", content="third"),
    ]
    sent = fit(seeded, "", 10_000)
    assert [(m.role, m.content) for m in sent.messages] == [("user", "first\n\nsecond\n\nthird")]
    assert seeded[0].content == "first", "the conversation itself is not changed"


def test_a_prompt_over_the_budget_alone_is_described() -> None:
    assert prompt_too_long(Message("user", "short"), "system", 1000) is None
    problem = prompt_too_long(Message("user", "x" * 8000), "system", 1000)
    assert problem is not None
    assert problem.startswith("This message is about 2,006 tokens")
    assert "raise the context budget under Settings" in problem


def test_a_prompt_over_the_budget_is_refused_in_place_and_kept(app: AppTest) -> None:
    app.number_input(key="settings.context_budget").set_value(100).run()
    long_prompt = "A question that goes on. " * 40
    app.chat_input[0].set_value(long_prompt).run()
    assert not app.exception
    assert history(app) == [], "nothing was sent or stored"
    assert any("more than the context budget of 100" in error.value for error in app.error)
    assert any(long_prompt[:100] in code.value for code in app.code), "the text is kept on the page"
    app.number_input(key="settings.context_budget").set_value(10_000).run()
    assert any(long_prompt[:100] in code.value for code in app.code), "still kept after another run"
    next(button for button in app.button if button.label == "Send again").click().run()
    assert history(app)[0].content == long_prompt
    assert not any(long_prompt[:100] in code.value for code in app.code)


def test_a_held_message_can_be_discarded(app: AppTest) -> None:
    app.number_input(key="settings.context_budget").set_value(100).run()
    app.chat_input[0].set_value("word " * 200).run()
    next(button for button in app.button if button.label == "Discard").click().run()
    assert not app.error and not app.code and history(app) == []


def test_the_budget_is_a_setting_with_a_default_per_provider(app: AppTest, monkeypatch) -> None:
    from {{ cookiecutter.package_name }}.providers import CONTEXT_BUDGET
    from {{ cookiecutter.package_name }}.settings import load_defaults

    assert app.number_input(key="settings.context_budget").value == CONTEXT_BUDGET
    settings, problems = load_defaults({"chatbot": {"context_budget": 4000}}, {})
    assert (settings.context_budget, problems) == (4000, [])
    settings, problems = load_defaults({}, {"CHATBOT_CONTEXT_BUDGET": "12.5"})
    assert settings.context_budget == CONTEXT_BUDGET
    assert problems == [
        "The environment variable CHATBOT_CONTEXT_BUDGET is '12.5', but it must be a whole number from 100 to "
        "10000000; the default is used until you fix it."
    ]
