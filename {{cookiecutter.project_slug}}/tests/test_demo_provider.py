from __future__ import annotations

from dataclasses import replace

import pytest

from {{ cookiecutter.package_name }}.messages import Message
from {{ cookiecutter.package_name }}.providers import demo
from {{ cookiecutter.package_name }}.providers.base import EmptyReply, Reply
from {{ cookiecutter.package_name }}.providers.demo import DemoProvider
from {{ cookiecutter.package_name }}.settings import Settings

CONVERSATION = [Message(role="user", content="How do I add a real model?")]


def run(provider: DemoProvider, settings: Settings | None = None) -> tuple[Reply, list[str]]:
    reply = provider.stream(CONVERSATION, settings or Settings())
    return reply, list(reply)


def test_the_demo_model_is_deterministic_and_says_how_to_configure() -> None:
    provider = DemoProvider("set THE_KEY.", word_delay=0)
    first, _ = run(provider)
    second, _ = run(provider)
    assert first.text == second.text
    assert 'You said: "How do I add a real model?"' in first.text
    assert first.text.endswith("To talk to a real model: set THE_KEY.")


def test_the_demo_model_streams_word_by_word_and_reports_usage() -> None:
    reply, chunks = run(DemoProvider("x", word_delay=0))
    assert len(chunks) == len(reply.text.split(" "))
    assert reply.finished and reply.finish_reason == "stop"
    assert reply.usage.output_tokens == len(chunks)
    assert reply.usage.input_tokens > 0
    assert reply.first_token_seconds is not None and reply.total_seconds >= reply.first_token_seconds


@pytest.mark.parametrize(("word_delay", "pauses"), [(0, 0), (0.01, 5)])
def test_the_demo_model_pauses_between_words_only_when_told_to(monkeypatch, word_delay: float, pauses: int) -> None:
    slept: list[float] = []
    monkeypatch.setattr(demo.time, "sleep", slept.append)
    run(DemoProvider("x", word_delay=word_delay), replace(Settings(), max_tokens=5))
    assert slept == [word_delay] * pauses


def test_max_tokens_cuts_the_reply() -> None:
    reply, chunks = run(DemoProvider("x", word_delay=0), replace(Settings(), max_tokens=5))
    assert len(chunks) == 5
    assert reply.finish_reason == "length"


def test_streaming_off_returns_one_chunk() -> None:
    reply, chunks = run(DemoProvider("x", word_delay=0), replace(Settings(), streaming=False))
    assert len(chunks) == 1
    assert chunks[0] == reply.text


def test_an_empty_reply_is_an_error() -> None:
    class Silent(DemoProvider):
        def compose(self, messages, settings) -> str:
            return " "

    with pytest.raises(EmptyReply, match="empty reply"):
        run(Silent("x", word_delay=0))
