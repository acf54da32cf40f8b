"""Chat messages as data: one shape for the screen, the model, exports and storage."""

from __future__ import annotations

import base64
import dataclasses
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Role = Literal["user", "assistant"]
Status = Literal["complete", "interrupted", "error"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """An id that cannot be guessed (it may end up in a URL)."""
    return uuid.uuid4().hex


#: Image formats every supported provider reads, and the bytes each file of that kind starts with.
IMAGE_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),  # followed by the size and "WEBP"
}


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} KB"
    return f"{size / 1_000_000:.1f} MB"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a user message: an image the model looks at, or text it reads."""

    name: str
    media_type: str
    data: bytes = field(repr=False)
    id: str = field(default_factory=new_id)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_image(self) -> bool:
        return self.media_type in IMAGE_SIGNATURES

    def text(self) -> str:
        """A text file's contents (checked to be UTF-8 when it was attached)."""
        return self.data.decode("utf-8-sig", errors="replace")

    def problem(self) -> str | None:
        """Why the model could not be given this file (its bytes are not what its type says), or None."""
        if self.is_image:
            signatures = IMAGE_SIGNATURES[self.media_type]
            if not self.data.startswith(signatures) or (self.media_type == "image/webp" and self.data[8:12] != b"WEBP"):
                return f"{self.name} is not a readable {self.media_type.removeprefix('image/').upper()} image"
            return None
        try:
            self.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return f"{self.name} is not UTF-8 text"
        return None

    def base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    def describe(self) -> str:
        """Its name, type and size, as the page and the demo model give them."""
        return f"{self.name} ({self.media_type}, {human_size(self.size)})"

    def to_dict(self, *, with_data: bool = True) -> dict[str, Any]:
        data = {"id": self.id, "name": self.name, "media_type": self.media_type, "size": self.size}
        return data | {"data": self.base64()} if with_data else data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attachment:
        """Raises ``ValueError`` (or ``KeyError``/``TypeError``) for anything that is not an attachment."""
        if not isinstance(data.get("name"), str) or not isinstance(data.get("media_type"), str):
            raise ValueError("an attachment without a name or type")
        attachment = cls(
            name=data["name"],
            media_type=data["media_type"],
            data=base64.b64decode(data["data"], validate=True),
            id=data.get("id") or new_id(),
        )
        if problem := attachment.problem():
            raise ValueError(problem)
        return attachment


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``, so the file cannot close it early."""
    longest = max((len(line) - len(line.lstrip("`")) for line in text.splitlines()), default=0)
    return "`" * max(3, longest + 1)


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
    #: Files sent with a user message, stored and exported with it.
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.status == "error"

    @property
    def images(self) -> list[Attachment]:
        return [attachment for attachment in self.attachments if attachment.is_image]

    def model_text(self) -> str:
        """What the model reads: the message, then each attached text file under its name."""
        parts = [self.content] if self.content else []
        for attachment in self.attachments:
            if not attachment.is_image:
                text = attachment.text()
                fence = _fence(text)
                parts.append(f"Attached file {attachment.name}:\n{fence}\n{text}\n{fence}")
        return "\n\n".join(parts)

    def to_dict(self, *, with_data: bool = True) -> dict[str, Any]:
        """Plain data (attachments base64-encoded, or only described without ``with_data``)."""
        return {
            "role": self.role,
            "content": self.content,
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "status": self.status,
            "metadata": self.metadata,
            "attachments": [attachment.to_dict(with_data=with_data) for attachment in self.attachments],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        return cls(
            role=data["role"],
            content=data["content"],
            id=data["id"],
            created_at=datetime.fromisoformat(data["created_at"]),
            status=data.get("status", "complete"),
            metadata=dict(data.get("metadata", {})),
            attachments=[Attachment.from_dict(item) for item in data.get("attachments", [])],
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
        reason = str(error) if type(error) is ValueError and str(error) else type(error).__name__
        raise ValueError(
            "That file is not a conversation downloaded as JSON from this app (a JSON object with a "
            f"list of messages, each with a role and text): {reason}."
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
    attachments = row.get("attachments", [])
    if not isinstance(attachments, list):
        raise ValueError("attachments that are not a list")
    return Message(
        role=row["role"],
        content=row["content"],
        created_at=created_at,
        status=status if status in ("complete", "interrupted", "error") else "complete",
        metadata=metadata if isinstance(metadata, dict) else {},
        attachments=[dataclasses.replace(Attachment.from_dict(item), id=new_id()) for item in attachments],
    )
