"""What the model is sent: the system prompt, the newest turn, and as many earlier turns as fit.

A turn is a user message with the replies that follow it; turns are dropped
whole, oldest first, so the model never sees a question without its answer or
an answer without its question. Token counts are estimated (see
``estimate_tokens``): nothing is downloaded or asked of the service to count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .messages import Message

#: UTF-8 bytes per token, on average: about right for English prose and code with the
#: tokenizers of today's hosted and open models, and an overestimate for most other
#: text (a CJK character is 3 bytes and about one token), which errs on the side of fitting.
BYTES_PER_TOKEN = 4
#: Tokens each message costs beyond its text (role markers and separators in the chat template).
MESSAGE_OVERHEAD = 4
#: Tokens an image costs. Hosted services scale a large image down before counting it; the most
#: any of them then charges for one is about 1,600 tokens, which is assumed for every image.
IMAGE_TOKENS = 1_600


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text.encode("utf-8")) / BYTES_PER_TOKEN)


def message_tokens(message: Message) -> int:
    """Its text, the text files attached to it, and each attached image."""
    return estimate_tokens(message.model_text()) + IMAGE_TOKENS * len(message.images) + MESSAGE_OVERHEAD


@dataclass(frozen=True)
class ModelContext:
    """The messages one request sends, and what was left out to fit the budget."""

    messages: list[Message]
    #: Messages of the conversation older than the first one sent.
    left_out: int
    #: Estimated tokens of the system prompt and the messages sent.
    tokens: int
    budget: int

    def to_dict(self) -> dict[str, object]:
        """What was sent, for the debug view: sizes and the start of each message, not whole texts.

        Built when the debug view is drawn, not with every request: at 2,800 messages sent it takes 4 ms.
        """
        return {
            "budget_tokens": self.budget,
            "estimated_tokens": self.tokens,
            "earlier_messages_left_out": self.left_out,
            "sent": [
                {
                    "role": m.role,
                    "tokens": message_tokens(m),
                    "start": m.content[:60],
                    **({"attachments": [a.describe() for a in m.attachments]} if m.attachments else {}),
                }
                for m in self.messages
            ],
        }


def left_out_note(left_out: int, budget: int) -> str:
    messages = "message is" if left_out == 1 else "messages are"
    return (
        f"{left_out:,} earlier {messages} not sent to the model: they do not fit its context budget of "
        f"{budget:,} tokens."
    )


def fit(history: Sequence[Message], system_prompt: str, budget: int) -> ModelContext:
    """The newest turns of ``history`` that fit ``budget`` tokens beside the system prompt.

    The newest turn is always sent, even if it alone is over the budget. Error notices and
    replies stopped before their first word are never sent. Reads back from the newest
    message and stops at the first turn that does not fit, so a long history costs no more
    than what is sent.
    """
    used = estimate_tokens(system_prompt)
    sent: list[Message] = []
    turn: list[Message] = []
    turn_tokens = 0
    first_sent = len(history)
    for index in range(len(history) - 1, -1, -1):
        message = history[index]
        if not message.is_error and (message.content.strip() or message.attachments):
            turn.append(message)
            turn_tokens += message_tokens(message)
        if message.role != "user" and index > 0:
            continue  # the turn goes on back to its user message
        if sent and used + turn_tokens > budget:
            break
        sent += turn
        used += turn_tokens
        first_sent = index
        turn, turn_tokens = [], 0
    sent.reverse()
    return ModelContext(messages=_alternating(sent), left_out=first_sent, tokens=used, budget=budget)


def _alternating(messages: list[Message]) -> list[Message]:
    """Join neighbours of the same role (a prompt whose reply failed, then the next prompt).

    Many servers' chat templates require user and assistant turns to alternate, and refuse
    a request with two user messages in a row.
    """
    joined: list[Message] = []
    for message in messages:
        if joined and joined[-1].role == message.role:
            earlier = joined[-1]
            joined[-1] = replace(
                earlier,
                content="\n\n".join(text for text in (earlier.content, message.content) if text),
                attachments=[*earlier.attachments, *message.attachments],
            )
        else:
            joined.append(message)
    return joined


def prompt_too_long(prompt: Message, system_prompt: str, budget: int) -> str | None:
    """One sentence when a prompt alone (with its files and the system prompt) exceeds the budget; None when it fits."""
    tokens = estimate_tokens(system_prompt) + message_tokens(prompt)
    if tokens <= budget:
        return None
    files = " its files and" if prompt.attachments else ""
    return (
        f"This message is about {tokens:,} tokens with{files} the system prompt, more than the context budget of "
        f"{budget:,}: shorten it, or raise the context budget under Settings."
    )


def smaller_budget(sent: ModelContext) -> int:
    """The budget for asking again after the service said the request was too long: half of what was sent."""
    return max(1, min(sent.budget, sent.tokens) // 2)
