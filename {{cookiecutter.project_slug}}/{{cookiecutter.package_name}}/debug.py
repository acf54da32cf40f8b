"""A view of the session state for development, with every secret blanked out."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from . import settings, state

REDACTED = "[redacted]"
_SECRET_NAME = re.compile(r"key|token|secret|password|passwd|credential|auth", re.IGNORECASE)
# Values shorter than this are too common to hunt for inside other strings.
_MIN_SECRET_LENGTH = 6


def known_secret_values(secrets: Mapping[str, Any], environ: Mapping[str, str]) -> set[str]:
    """Every string that looks like a credential in secrets.toml or the environment."""
    found: set[str] = set()

    def collect(mapping: Mapping[str, Any]) -> None:
        for name, value in mapping.items():
            if isinstance(value, Mapping):
                collect(value)
            elif isinstance(value, str) and _SECRET_NAME.search(str(name)) and len(value) >= _MIN_SECRET_LENGTH:
                found.add(value)

    collect(secrets)
    collect(environ)
    return found


def redact(value: Any, secret_values: Iterable[str], name: str = "") -> Any:
    """A copy of ``value`` with secret-named fields and known secret strings blanked."""
    if _SECRET_NAME.search(name) and isinstance(value, str | bytes) and value:
        return REDACTED
    if isinstance(value, Mapping):
        return {str(k): redact(v, secret_values, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v, secret_values) for v in value]
    if isinstance(value, str):
        for secret in secret_values:
            value = value.replace(secret, REDACTED)
    return value


def render_debug_panel() -> None:
    if not settings.current().debug:
        return
    secrets, _ = settings.read_secrets()  # a problem reading it is shown with the settings
    with st.expander("Debug: session state", icon=":material/bug_report:"):
        st.json(redact(state.snapshot(), known_secret_values(secrets, os.environ)))
