"""A local Ollama server, through its OpenAI-compatible endpoint and the ``openai`` SDK."""

from __future__ import annotations

import os

import openai
import streamlit as st

from ..safety import scrub
from .base import Hints, client_options, configured
from .openai_compatible import OpenAICompatibleProvider

BASE_URL_ENV = "OLLAMA_BASE_URL"
DEFAULT_BASE_URL = "http://localhost:11434/v1"
MODELS = ["llama3.2", "qwen2.5", "mistral", "gemma3"]
DEFAULT_MODEL = MODELS[0]
# Tokens of conversation sent with each request. Ollama gives a model 4,096 tokens of context unless told
# otherwise (OLLAMA_CONTEXT_LENGTH), and the reply's share (max tokens) comes out of it too.
CONTEXT_BUDGET = 3_000
TEMPERATURE_MAX = 2.0
SETUP_HINT = "start Ollama (`ollama serve`) and pull a model, e.g. `ollama pull llama3.2`."
# Ollama ignores the key, but the SDK insists on one.
PLACEHOLDER_KEY = "ollama"


def base_url() -> str:
    return configured(BASE_URL_ENV) or DEFAULT_BASE_URL


def shown_url() -> str:
    """The address as it may appear on the page: without any credentials in it."""
    return scrub(base_url())


def _client(*, timeout: float, max_retries: int) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url(), api_key=PLACEHOLDER_KEY, timeout=timeout, max_retries=max_retries)


@st.cache_data(ttl=30, show_spinner=False)
def _model_listing(url: str) -> tuple[list[str] | None, int | None]:
    """(the models the server has pulled, None); (None, its HTTP status) when it answers with an error;
    (None, None) when nothing answers. Cached per address."""
    try:
        return sorted(model.id for model in _client(timeout=2.0, max_retries=0).models.list()), None
    except openai.APIStatusError as error:
        return None, error.status_code
    except openai.OpenAIError:
        return None, None


def listed_models() -> list[str] | None:
    """The models Ollama has pulled, so the sidebar offers only what will answer."""
    return _model_listing(base_url())[0] or None


def model_list_notice() -> None:
    # While Ollama is down or has no models, the demo model's notice already says what to do.
    return None


def missing_configuration() -> str | None:
    """Why the service cannot be used yet, or None when it can."""
    models, status = _model_listing(base_url())
    if status is not None:
        # Something answers there, so "not running" would send the user the wrong way.
        return (
            f"{shown_url()} answered HTTP {status} when asked for Ollama's models, so replies come from the "
            f"offline demo model: check {BASE_URL_ENV}, which ends in /v1 (for example {DEFAULT_BASE_URL})."
        )
    if models is None:
        return (
            f"Ollama is not running at {shown_url()}, so replies come from the offline demo model. "
            f"To use Ollama, {SETUP_HINT}"
        )
    if not models:
        return f"Ollama has no models yet, so replies come from the offline demo model: {SETUP_HINT}"
    return None


def create_provider() -> OpenAICompatibleProvider:
    label = f"Ollama at {shown_url()}"
    hints = Hints(
        wrong_address=f"{label} has no model API at that address (HTTP 404): check {BASE_URL_ENV}, which ends in "
        "/v1 (for example http://localhost:11434/v1).",
        rejected_key=f"{label} refused the request as unauthorised: check the proxy in front of it, if any.",
        unreachable=f"Ollama is not running at {shown_url()}: start it with `ollama serve`, then press Retry.",
        model_missing=lambda model: (
            f"Ollama has not pulled {model!r}: run `ollama pull {model}`, or pick a model it has under Settings."
        ),
    )
    # Ollama's OpenAI-compatible endpoint takes max_tokens.
    return OpenAICompatibleProvider(label, _client(**client_options(os.environ)), hints, token_limit="max_tokens")
