"""OpenAI, or any server with an OpenAI-compatible API (Azure OpenAI, vLLM, LM Studio, a gateway).

``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` may be top-level entries of
``.streamlit/secrets.toml`` or environment variables. Only values from the
secrets file are passed to the client; the SDK looks up its own variables.
"""

from __future__ import annotations

import os

import openai
import streamlit as st

from ..safety import scrub
from .base import (
    LISTING_OPTIONS,
    LISTING_TTL,
    Hints,
    client_options,
    configured,
    fingerprint,
    listing_notice,
    models_or_reason,
    sdk_overrides,
)
from .openai_compatible import OpenAICompatibleProvider

MODELS = ["gpt-5.4-mini", "gpt-5.5", "gpt-6.2-sol", "gpt-5.4-nano"]
DEFAULT_MODEL = MODELS[0]
# Tokens of conversation sent with each request. Current OpenAI models read 128,000 tokens or more; the rest is
# room for the reply and the estimate's error.
CONTEXT_BUDGET = 100_000
TEMPERATURE_MAX = 2.0
SETUP_HINT = (
    "set OPENAI_API_KEY in .streamlit/secrets.toml or the environment "
    "(and OPENAI_BASE_URL for an OpenAI-compatible server other than OpenAI)."
)


SDK_SETTINGS = {"OPENAI_API_KEY": "api_key", "OPENAI_BASE_URL": "base_url"}


@st.cache_data(ttl=LISTING_TTL, show_spinner=False)
def _service_models(base_url: str | None, key: str) -> list[str] | str:
    """What the service lists (``key`` only tells cached answers apart)."""

    def ids() -> list[str]:
        client = openai.OpenAI(**sdk_overrides(client_options(os.environ) | LISTING_OPTIONS, SDK_SETTINGS))
        return [model.id for model in client.models.list()]

    return models_or_reason(openai, ids)


def _listing() -> list[str] | str | None:
    if missing_configuration():
        return None
    return _service_models(configured("OPENAI_BASE_URL"), fingerprint(configured("OPENAI_API_KEY")))


def listed_models() -> list[str] | None:
    """The models the service says it has, or None when it would not say."""
    found = _listing()
    return found if isinstance(found, list) and found else None


def model_list_notice() -> str | None:
    found = _listing()
    return None if found is None else listing_notice(_label(), found)


def _label() -> str:
    base_url = configured("OPENAI_BASE_URL")
    return "OpenAI" if not base_url else f"the OpenAI-compatible server at {scrub(base_url)}"


def missing_configuration() -> str | None:
    """Why the service cannot be used yet, or None when it can."""
    if configured("OPENAI_API_KEY"):
        return None
    return f"No OpenAI API key is configured, so replies come from the offline demo model. To use OpenAI, {SETUP_HINT}"


def create_provider() -> OpenAICompatibleProvider:
    base_url = configured("OPENAI_BASE_URL")
    label = _label()
    hints = Hints.for_hosted_service(
        label,
        key_variable="OPENAI_API_KEY",
        address_variable="OPENAI_BASE_URL",
        address_fix="check OPENAI_BASE_URL, which for most compatible servers ends in /v1.",
    )
    options = sdk_overrides(client_options(os.environ), SDK_SETTINGS)
    client = openai.OpenAI(**options)
    # OpenAI's own API prefers max_completion_tokens; compatible servers mostly know max_tokens only.
    token_limit = "max_tokens" if base_url else "max_completion_tokens"
    return OpenAICompatibleProvider(label, client, hints, token_limit=token_limit)
