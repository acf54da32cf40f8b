"""An offline model: deterministic, streams word by word, needs no key or network."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..context import estimate_tokens
from .base import Provider, Reply, Usage

if TYPE_CHECKING:
    from ..messages import Message
    from ..settings import Settings

DEMO_MODEL = "demo"
#: Seconds between words; about the pace of a hosted model. Tests set it to 0.
WORD_DELAY_ENV = "CHATBOT_DEMO_WORD_DELAY"
DEFAULT_WORD_DELAY = 0.03


def _configured_word_delay() -> float:
    try:
        return max(0.0, float(os.environ.get(WORD_DELAY_ENV, DEFAULT_WORD_DELAY)))
    except ValueError:  # a typo in a test knob should not stop the demo
        return DEFAULT_WORD_DELAY


class DemoProvider(Provider):
    label = "the offline demo model"

    def __init__(self, setup_hint: str, word_delay: float | None = None) -> None:
        self.setup_hint = setup_hint
        self.word_delay = _configured_word_delay() if word_delay is None else word_delay

    def compose(self, messages: Sequence[Message], settings: Settings) -> str:
        prompt = messages[-1].content.strip() if messages else ""
        files = messages[-1].attachments if messages else []
        earlier = len(messages) - 1
        quoted = prompt if len(prompt) <= 200 else prompt[:200] + "…"
        said = f'You said: "{quoted}"' if prompt or not files else "You sent no text"
        attached = (
            f"You attached {len(files)} file{'s' if len(files) != 1 else ''}: "
            + ", ".join(attachment.describe() for attachment in files)
            + ".\n\n"
            if files
            else ""
        )
        context = (
            f"I can see {earlier} earlier message{'s' if earlier != 1 else ''} of this conversation"
            if earlier
            else "This is the first message I have been given"
        )
        temperature = (
            "the model's default temperature"
            if settings.temperature is None
            else f"temperature {settings.temperature:g}"
        )
        return (
            f"{said}\n\n{attached}"
            f"I am the offline demo model, so I can only repeat what I received. {context}, "
            f"along with your system prompt ({len(settings.system_prompt)} characters), "
            f"{temperature} and a limit of {settings.max_tokens} tokens.\n\n"
            f"To talk to a real model: {self.setup_hint}"
        )

    def _generate(self, messages: Sequence[Message], settings: Settings, reply: Reply) -> Iterator[str]:
        reply.model = DEMO_MODEL
        words = self.compose(messages, settings).split(" ")
        reply.finish_reason = "stop"
        if len(words) > settings.max_tokens:
            words = words[: settings.max_tokens]
            reply.finish_reason = "length"
        # Estimated as the app estimates its context: splitting a long history into words took
        # 5 ms a reply at 2,800 messages.
        prompt_text = settings.system_prompt + " ".join(m.model_text() for m in messages)
        reply.usage = Usage(input_tokens=estimate_tokens(prompt_text), output_tokens=len(words))
        if not settings.streaming:
            time.sleep(self.word_delay * len(words))
            yield " ".join(words)
            return
        for index, word in enumerate(words):
            # Not even sleep(0) at no delay: it hands the interpreter lock to the server's other
            # threads, which kept a 70-word reply 20 ms longer on screen (median of 12, 1,000 messages).
            if self.word_delay:
                time.sleep(self.word_delay)
            yield word if index == len(words) - 1 else word + " "
