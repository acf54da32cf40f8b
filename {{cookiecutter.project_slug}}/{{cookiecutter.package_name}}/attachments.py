"""Files sent with a message: which are taken, and how they show on the page.

Images go to the model as images, in each provider's own format; text files go
as text under their name (``Message.model_text``). Which files are taken is a
deployment setting (``attachments``, ``attachment_types`` and
``attachment_max_mb`` in ``[chatbot]`` of secrets.toml, or ``CHATBOT_…``
variables), not a sidebar control: a deployment that must not accept files
stays that way whatever a user clicks.

The file's extension says what it is meant to be; its bytes are checked against
that (an image's signature, a text file's UTF-8), so a renamed file is refused
here rather than by the model's service.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Protocol

import streamlit as st

from .messages import Attachment, human_size
from .safety import label

IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
TEXT_TYPES = {
    "txt": "text/plain",
    "md": "text/markdown",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/json",
    "jsonl": "application/jsonl",
    "yaml": "application/yaml",
    "yml": "application/yaml",
    "toml": "application/toml",
    "xml": "application/xml",
    "html": "text/html",
    "css": "text/css",
    "log": "text/plain",
    "sql": "application/sql",
    "py": "text/x-python",
    "js": "text/javascript",
    "ts": "text/x-typescript",
    "java": "text/x-java",
    "c": "text/x-c",
    "h": "text/x-c",
    "cpp": "text/x-c++",
    "go": "text/x-go",
    "rs": "text/x-rust",
    "rb": "text/x-ruby",
    "sh": "text/x-shellscript",
}
#: Every extension the app knows how to give a model; ``attachment_types`` picks from these.
KNOWN_TYPES = IMAGE_TYPES | TEXT_TYPES
#: Files one message may carry.
MAX_FILES = 10
#: Characters of a file name kept (the start and the extension).
NAME_LIMIT = 80
THUMBNAIL_WIDTH = 160
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


class Upload(Protocol):
    """What ``st.chat_input`` hands over for each file (Streamlit's ``UploadedFile``)."""

    name: str

    def getvalue(self) -> bytes: ...


class Refused(ValueError):
    """A file that cannot be sent; the message says which and why in one sentence."""


def extension(name: str) -> str:
    return PurePosixPath(name.lower()).suffix.removeprefix(".")


def clean_name(name: str) -> str:
    """The file's own name without any folder, control characters or excess length."""
    base = _UNSAFE_NAME.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip() or "file"
    if len(base) <= NAME_LIMIT:
        return base
    suffix = PurePosixPath(base).suffix[:12]
    return base[: NAME_LIMIT - len(suffix) - 1] + "…" + suffix


def accepted(uploads: Sequence[Upload], *, types: Sequence[str], max_mb: float) -> list[Attachment]:
    """The uploads as attachments; ``Refused`` for the first one that may not be sent."""
    if len(uploads) > MAX_FILES:
        raise Refused(f"That is {len(uploads)} files; a message can carry up to {MAX_FILES}.")
    taken = []
    for upload in uploads:
        name = clean_name(upload.name)
        kind = extension(name)
        if kind not in types or kind not in KNOWN_TYPES:
            raise Refused(
                f"{name} is not a kind of file this chatbot takes: attach {', '.join(sorted(types))} files."
                if types
                else "This chatbot does not take files."
            )
        data = upload.getvalue()
        if len(data) > max_mb * 1_000_000:
            raise Refused(f"{name} is {human_size(len(data))}; files up to {max_mb:g} MB can be attached.")
        attachment = Attachment(name=name, media_type=KNOWN_TYPES[kind], data=data)
        if problem := attachment.problem():
            raise Refused(f"{problem}, so it cannot be sent to the model.")
        taken.append(attachment)
    return taken


def render(attachments: Sequence[Attachment]) -> None:
    """Thumbnails of the images and a chip for each text file, under the message's text."""
    if not attachments:
        return
    with st.container(horizontal=True, gap="small"):
        for attachment in attachments:
            if attachment.is_image:
                st.image(attachment.data, width=THUMBNAIL_WIDTH, caption=label(attachment.describe()))
            else:
                st.badge(label(attachment.describe()), icon=":material/description:", color="gray")
