"""What text from users and models may do on the page, and what never leaves the server.

Replies are model output, and a prompt-injected model can write anything. The
page therefore never loads an image a reply points at (a request to an outside
host could carry conversation text away): image syntax becomes a plain link.
Credentials in URLs and key-like strings are blanked before text reaches the
page, the metadata or a download.
"""

from __future__ import annotations

import re

# Fenced code blocks and inline code spans are shown as written, so they are left alone.
_CODE = re.compile(r"(^[ \t]*(`{3,}|~{3,}).*?(?:^[ \t]*\2[ \t]*$|\Z)|`+[^`\n]*`+)", re.MULTILINE | re.DOTALL)
_IMAGE_OPENER = re.compile(r"!\[")
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@:]+(?::[^/\s@]*)?@")
# API keys as the common services issue them (sk-…, sk-ant-…, key-…, Bearer tokens).
_KEY_LIKE = re.compile(r"\b(?:sk|rk|pk|key)-[A-Za-z0-9_-]{16,}|\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*", re.IGNORECASE)
HIDDEN = "[hidden]"


def markdown(text: str) -> str:
    """Markdown that draws like ``text`` but shows every image as a link instead of loading it."""
    pieces = []
    last = 0
    for code in _CODE.finditer(text):
        pieces.append(_IMAGE_OPENER.sub("[image: ", text[last : code.start()]))
        pieces.append(code.group(0))
        last = code.end()
    pieces.append(_IMAGE_OPENER.sub("[image: ", text[last:]))
    return "".join(pieces)


def label(text: str) -> str:
    """Text for a button or heading: no images, and dollar signs shown rather than read as LaTeX."""
    return markdown(text).replace("$", r"\$")


def scrub(text: str) -> str:
    """``text`` with credentials in URLs and key-like strings blanked."""
    text = _URL_CREDENTIALS.sub(lambda found: f"{found['scheme']}{HIDDEN}@", text)
    return _KEY_LIKE.sub(HIDDEN, text)


def short(text: str, limit: int = 300) -> str:
    """The start of a long upstream message, on one line, scrubbed."""
    flat = " ".join(scrub(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
