"""Chat messages as data: one shape for the screen, the model, exports and storage."""

from __future__ import annotations

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
