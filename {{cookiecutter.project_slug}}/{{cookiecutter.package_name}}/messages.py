"""Chat messages as data: one shape for the screen, the model, exports and storage."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Role = Literal["user", "assistant"]
Status = Literal["complete", "interrupted", "error"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """An id that cannot be guessed (it may end up in a URL)."""
    return uuid.uuid4().hex


@dataclass
class Message:
    role: Role
    content: str
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utc_now)
    # "interrupted" keeps a reply that was stopped half-way; "error" holds the
    # plain sentence shown instead of a reply that failed.
    status: Status = "complete"
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.status == "error"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        return cls(
            role=data["role"],
            content=data["content"],
            id=data["id"],
            created_at=datetime.fromisoformat(data["created_at"]),
            status=data.get("status", "complete"),
            metadata=dict(data.get("metadata", {})),
        )


@dataclass
class Conversation:
    messages: list[Message] = field(default_factory=list)
    id: str = field(default_factory=new_id)
    title: str = ""
    created_at: datetime = field(default_factory=utc_now)
    # Per-conversation state of optional features (a pending draft, saved settings), by feature.
    extras: dict[str, Any] = field(default_factory=dict)


PREVIEW_LENGTH = 200


@dataclass(frozen=True)
class Summary:
    """A conversation as a list shows it, without its messages."""

    id: str
    title: str
    #: The start of its first user message.
    preview: str
    created_at: datetime

    @classmethod
    def of(cls, conversation: Conversation) -> Summary:
        first = next((m.content for m in conversation.messages if m.role == "user"), "")
        return cls(conversation.id, conversation.title, first[:PREVIEW_LENGTH], conversation.created_at)


#: The largest conversation file that can be imported.
IMPORT_LIMIT_BYTES = 5_000_000


def conversation_from_export(data: bytes, title: str = "") -> Conversation:
    """A conversation rebuilt from a JSON download (``{"messages": [...]}``), with fresh ids.

    Raises ``ValueError`` with one sentence saying what is wrong with the file.
    """
    if len(data) > IMPORT_LIMIT_BYTES:
        raise ValueError(
            f"That file is {len(data) / 1e6:.1f} MB; conversations up to "
            f"{IMPORT_LIMIT_BYTES / 1e6:.0f} MB can be imported."
        )
    try:
        exported = json.loads(data.decode("utf-8"))
        rows = exported["messages"]
        if not isinstance(rows, list):
            raise TypeError
        imported = [_imported_message(row) for row in rows]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise ValueError(
            "That file is not a conversation downloaded as JSON from this app (a JSON object with a "
            f"list of messages, each with a role and text): {type(error).__name__}."
        ) from error
    if not imported:
        raise ValueError("That file holds no messages, so there is nothing to import.")
    return Conversation(messages=imported, title=title)


def _imported_message(row: Any) -> Message:
    if (
        not isinstance(row, dict)
        or row.get("role") not in ("user", "assistant")
        or not isinstance(row.get("content"), str)
    ):
        raise ValueError("a message without a role of user or assistant, or without text")
    status = row.get("status", "complete")
    try:
        created_at = datetime.fromisoformat(row["created_at"])
        created_at = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
    except (KeyError, TypeError, ValueError):
        created_at = utc_now()
    metadata = row.get("metadata")
    return Message(
        role=row["role"],
        content=row["content"],
        created_at=created_at,
        status=status if status in ("complete", "interrupted", "error") else "complete",
        metadata=metadata if isinstance(metadata, dict) else {},
    )
