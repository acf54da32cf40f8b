"""The small interface every model provider implements, and the errors it may raise.

A provider turns a conversation into a ``Reply``: an iterator of text chunks
that records usage, finish reason and timing while it is consumed. SDK code and
SDK exceptions stay inside the provider modules; the chat code only ever sees
``ProviderError`` and its subclasses, whose text is one sentence for the user.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from ..safety import short

if TYPE_CHECKING:
    from ..messages import Message
    from ..settings import Settings


@dataclass
class Usage:
    input_tokens: int | None = None
    output_tokens: int | None = None

    @property
    def total_tokens(self) -> int | None:
        if self.input_tokens is None or self.output_tokens is None:
            return None
        return self.input_tokens + self.output_tokens


class ProviderError(Exception):
    """A failed request, described in one sentence that says what to do."""

    def __init__(self, sentence: str) -> None:
        # Sentences may start with a service's label ("the … server at …").
        super().__init__(sentence[:1].upper() + sentence[1:])


class AuthenticationFailed(ProviderError):
    pass


class RateLimited(ProviderError):
    pass


class ServiceFailed(ProviderError):
    pass


class TimedOut(ProviderError):
    pass


class Unreachable(ProviderError):
    pass


class ModelNotFound(ProviderError):
    pass


class RequestRejected(ProviderError):
    pass


class StreamBroken(ProviderError):
    pass


class EmptyReply(ProviderError):
    pass


class WrongAddress(ProviderError):
    """The address answers, but not as the service's API: a wrong base path."""


class ContextTooLong(ProviderError):
    """The service refused the request for being longer than the model's context window."""


#: How services word "the request is longer than the model's context window": the error code
#: ``context_length_exceeded``, "prompt is too long", or (vLLM, llama.cpp and other compatible
#: servers) the maximum context length or too many tokens.
_CONTEXT_TOO_LONG = re.compile(
    r"context[_ ]length|context window|maximum context|prompt is too long|too many (input )?tokens|"
    r"exceeds? the (available )?context",
    re.IGNORECASE,
)
#: Characters of a service's own error text shown to the user.
SERVER_MESSAGE_LIMIT = 200
TIMEOUT_ENV = "CHATBOT_TIMEOUT"
MAX_RETRIES_ENV = "CHATBOT_MAX_RETRIES"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2


#: Values copied from an example rather than filled in: "sk-...", "<your key>", "your-api-key", "changeme".
_PLACEHOLDER = re.compile(r"\.\.\.|…|^<.*>$|^your[-_ ]|^changeme$|^replace[-_ ]?me", re.IGNORECASE)


def is_placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.search(value.strip()))


def secret_value(name: str) -> str | None:
    """A top-level entry of ``.streamlit/secrets.toml``, if it is set there (and not to a placeholder)."""
    try:
        value = st.secrets.get(name)
    except StreamlitSecretNotFoundError:
        return None
    if not isinstance(value, str) or not value.strip() or is_placeholder(value):
        return None
    return value.strip()


def configured(name: str) -> str | None:
    """Where a service setting comes from: secrets.toml first, then the environment (placeholders count as unset)."""
    if found := secret_value(name):
        return found
    from_environment = os.environ.get(name, "").strip()
    return from_environment if from_environment and not is_placeholder(from_environment) else None


def sdk_overrides(options: Mapping[str, float | int], names: Mapping[str, str]) -> dict[str, Any]:
    """Client options for values found in secrets.toml only: the SDK reads its environment variables itself."""
    chosen: dict[str, Any] = dict(options)
    for variable, option in names.items():
        if (value := secret_value(variable)) is not None:
            chosen[option] = value
    return chosen


def client_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """Timeout (seconds) for the SDK clients, from the environment when set.

    The SDKs' own retries are turned off: ``Provider`` retries itself, so the user sees it happen.
    """
    return {"timeout": _client_settings(environ)["timeout"], "max_retries": 0}


def retry_count(environ: Mapping[str, str]) -> int:
    """How often a request that failed in passing (429, 5xx, no connection) is made again."""
    return int(_client_settings(environ)["max_retries"])


def _client_settings(environ: Mapping[str, str]) -> dict[str, float | int]:
    options: dict[str, float | int] = {"timeout": DEFAULT_TIMEOUT, "max_retries": DEFAULT_MAX_RETRIES}
    for env, name, kind in ((TIMEOUT_ENV, "timeout", float), (MAX_RETRIES_ENV, "max_retries", int)):
        if env in environ:
            try:
                value = kind(environ[env])
            except ValueError:
                value = -1
            if value < 0:
                raise ValueError(f"{env} is {environ[env]!r}; set it to a number of at least 0, or unset it.")
            options[name] = value
    return options


#: Models are listed as the page loads: fail fast and let the built-in names stand in.
LISTING_OPTIONS: dict[str, float | int] = {"timeout": 5.0, "max_retries": 0}
#: Seconds a service's model list is kept before it is asked again.
LISTING_TTL = 300


def fingerprint(secret: str | None) -> str:
    """A short digest to tell cached answers for different keys apart, without keeping the key in the cache."""
    return hashlib.sha256((secret or "").encode()).hexdigest()[:16]


def models_or_reason(sdk: ModuleType, list_ids: Callable[[], Iterable[str]]) -> list[str] | str:
    """The model ids a service lists, sorted; or, when it will not list them, why in a few words."""
    try:
        return sorted(list_ids())
    except sdk.APIStatusError as error:
        return f"HTTP {error.status_code}"
    except sdk.APIConnectionError:
        return "it could not be reached"
    except (sdk.APIError, ValueError) as error:
        return type(error).__name__


def listing_notice(label: str, found: list[str] | str) -> str | None:
    """What the sidebar says when the service's own list could not be used."""
    if isinstance(found, list) and found:
        return None
    reason = "it listed none" if isinstance(found, list) else found
    return (
        f"{label[:1].upper() + label[1:]} did not list its models ({reason}), so the sidebar offers built-in "
        "names it may not have: type the name of one it has if yours is missing."
    )


@dataclass(frozen=True)
class Hints:
    """What to tell the user for the faults whose fix depends on the service."""

    rejected_key: str
    unreachable: str
    model_missing: Callable[[str], str]  # given the model's name
    #: For a 404 that is about the address, not the model (a base URL with a path too many or too few).
    wrong_address: str

    @classmethod
    def for_hosted_service(cls, label: str, *, key_variable: str, address_variable: str, address_fix: str) -> Hints:
        """The usual advice for a service reached with an API key at a configurable address."""
        return cls(
            wrong_address=f"{label} has no model API at that address (HTTP 404): {address_fix}",
            rejected_key=f"{label} rejected the API key: check {key_variable} in .streamlit/secrets.toml or the "
            "environment.",
            unreachable=f"Could not connect to {label}: check your network connection and {address_variable}, "
            "then press Retry.",
            model_missing=lambda model: f"{label} has no model called {model!r}: pick another model under Settings.",
        )


def translate_sdk_error(
    sdk: ModuleType, error: Exception, *, label: str, hints: Hints, model: str, timeout: object, partial: bool
) -> ProviderError | None:
    """Map an exception of the official SDKs (which share one error family) to a ``ProviderError``."""
    if _is_transport_error(error) or (partial and isinstance(error, sdk.APIError)):
        return StreamBroken(broken_stream_message(label, partial=partial))
    if isinstance(error, sdk.APITimeoutError):
        seconds = getattr(timeout, "read", timeout)
        return TimedOut(
            f"{label} did not answer within {seconds} seconds: press Retry, "
            "or raise CHATBOT_TIMEOUT if long replies are expected."
        )
    if isinstance(error, sdk.APIConnectionError):
        return Unreachable(hints.unreachable)
    if isinstance(error, sdk.AuthenticationError | sdk.PermissionDeniedError):
        return AuthenticationFailed(hints.rejected_key)
    if isinstance(error, sdk.NotFoundError):
        # Services name the model when they do not have it; a 404 that does not is about the address.
        if "model" in _error_text(error).lower():
            return ModelNotFound(hints.model_missing(model))
        return WrongAddress(hints.wrong_address)
    if isinstance(error, sdk.APIStatusError) and error.status_code in (400, 413) and _says_too_long(error):
        return ContextTooLong(
            f"{label} said the conversation is too long for {model}: lower the context budget under Settings, "
            "or clear the chat."
        )
    if isinstance(error, sdk.BadRequestError) and _names_a_missing_model(error):
        # Some gateways answer an unknown model with 400 and paragraphs of text: say the fix instead.
        return ModelNotFound(hints.model_missing(model))
    if isinstance(error, sdk.RateLimitError):
        return RateLimited(
            f"{label} is limiting how fast requests may be sent (HTTP 429): "
            "wait a moment and press Retry, or check your plan's rate limits."
        )
    if isinstance(error, sdk.APIStatusError) and error.status_code >= 500:
        return ServiceFailed(f"{label} had a server error (HTTP {error.status_code}): press Retry in a moment.")
    if isinstance(error, sdk.APIStatusError):
        return RequestRejected(
            f"{label} rejected the request (HTTP {error.status_code}): {_server_message(error.body)} "
            "Check the model and the other settings under Settings."
        )
    if isinstance(error, sdk.APIError):
        return ServiceFailed(f"{label} reported an error ({error.message.rstrip('.')}): press Retry in a moment.")
    return None


_MISSING_MODEL = re.compile(
    r"model.{0,80}(not found|does not exist|unknown|not supported|no such|invalid|not available)|"
    r"(unknown|invalid|unsupported) model",
    re.IGNORECASE | re.DOTALL,
)


def _error_text(error: Exception) -> str:
    return f"{getattr(error, 'message', '')} {getattr(error, 'body', '')}"


def _names_a_missing_model(error: Exception) -> bool:
    body = getattr(error, "body", None)
    detail = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else body
    if isinstance(detail, dict) and detail.get("code") == "model_not_found":
        return True
    return bool(_MISSING_MODEL.search(_error_text(error)))


def _says_too_long(error: Exception) -> bool:
    body = getattr(error, "body", None)
    detail = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else body
    code = detail.get("code") if isinstance(detail, dict) else None
    return code == "context_length_exceeded" or bool(_CONTEXT_TOO_LONG.search(str(getattr(error, "message", error))))


def _is_transport_error(error: Exception) -> bool:
    # The SDKs' HTTP client raises its own errors when a stream breaks after it has started.
    return type(error).__module__.split(".")[0].startswith("httpx")


def broken_stream_message(label: str, *, partial: bool) -> str:
    if partial:
        return (
            f"The connection to {label} broke off in the middle of the reply: the part received is kept; "
            "press Retry for a complete answer."
        )
    return f"The connection to {label} broke off before any reply arrived: press Retry."


def _server_message(body: object) -> str:
    # Gateways can answer with paragraphs of text and links: the start of it is enough, scrubbed.
    if isinstance(body, dict):
        error = body.get("error")
        message = (error if isinstance(error, dict) else body).get("message")
        if isinstance(message, str) and message.strip():
            return short(message, SERVER_MESSAGE_LIMIT).rstrip(".") + "."
    return "no reason was given."


#: Faults worth asking again after a pause, as the SDKs themselves would.
PASSING_FAULTS = (RateLimited, ServiceFailed, Unreachable, TimedOut)
#: The longest pause before asking again, whatever the service asks for.
MAX_RETRY_DELAY = 20.0


def _retry_delay(error: Exception, attempt: int) -> float:
    """Seconds to wait: what the service asked for (Retry-After), else 0.5 s doubling each time."""
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            return min(MAX_RETRY_DELAY, max(0.0, float(headers[name]) * scale))
        except (KeyError, TypeError, ValueError):
            continue
    return min(MAX_RETRY_DELAY, 0.5 * 2 ** (attempt - 1))


def _in_brief(error: Exception) -> str:
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return f"HTTP {status}"
    return "no answer in time" if "Timeout" in type(error).__name__ else "no connection"


#: Gives fewer messages to send after a "too long" refusal, and the sentence that tells the user so.
Shorter = Callable[[], tuple[Sequence["Message"], str]]


class Reply:
    """Text chunks from a model, with what was learnt about them along the way."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.text = ""
        self.usage = Usage()
        self.finish_reason: str | None = None
        self.finished = False
        #: Something the user should know about how the reply was asked for (one sentence), or None.
        self.notice: str | None = None
        #: Told, in one sentence, each time the request is made again after a passing fault.
        self.on_retry: Callable[[str], object] = lambda _sentence: None
        self.first_token_seconds: float | None = None
        self.total_seconds: float | None = None
        self._started = time.perf_counter()
        self._chunks: Iterator[str] = iter(())

    def __iter__(self) -> Iterator[str]:
        for chunk in self._chunks:
            if not chunk:
                continue
            if self.first_token_seconds is None:
                self.first_token_seconds = self.elapsed()
            self.text += chunk
            yield chunk
        self.total_seconds = self.elapsed()
        if not self.text.strip():
            raise EmptyReply("The model sent back an empty reply: try again, or rephrase the message.")
        self.finished = True

    def elapsed(self) -> float:
        """Seconds since the request was made."""
        return time.perf_counter() - self._started


class Provider(ABC):
    """A language model service. Subclasses implement ``_generate`` and ``_translate``."""

    #: Shown to users, e.g. in notices and captions.
    label: str
    #: The official SDK module whose errors ``_translate`` maps, and what to tell the user.
    sdk: ModuleType | None = None
    hints: Hints | None = None
    timeout: object = None

    def stream(self, messages: Sequence[Message], settings: Settings, *, shorter: Shorter | None = None) -> Reply:
        """The reply to ``messages``, read as it is iterated.

        If the service says the request is too long for the model, ``shorter`` is asked once for
        fewer messages (and a sentence telling the user), and the request is made again with those.
        """
        reply = Reply(model=settings.model)
        reply._chunks = self._guarded(messages, settings, reply, shorter)
        return reply

    def _guarded(
        self, messages: Sequence[Message], settings: Settings, reply: Reply, shorter: Shorter | None
    ) -> Iterator[str]:
        attempt = 0
        while True:
            try:
                yield from self._generate(messages, settings, reply)
                return
            except ProviderError:
                raise
            except Exception as error:
                translated = self._translate(error, settings, partial=bool(reply.text))
                if translated is None:
                    raise
                if isinstance(translated, ContextTooLong) and shorter and not reply.text:
                    messages, reply.notice = shorter()
                    shorter = None
                    continue
                if isinstance(translated, PASSING_FAULTS) and not reply.text and attempt < retry_count(os.environ):
                    attempt += 1
                    delay = _retry_delay(error, attempt)
                    reply.on_retry(
                        f"{self.label[:1].upper() + self.label[1:]} did not answer ({_in_brief(error)}): trying again "
                        f"in {delay:.0f} s, attempt {attempt + 1} of {retry_count(os.environ) + 1}."
                    )
                    time.sleep(delay)
                    continue
                raise translated from error

    @abstractmethod
    def _generate(self, messages: Sequence[Message], settings: Settings, reply: Reply) -> Iterator[str]:
        """Yield the reply's text; set ``reply.usage`` and ``reply.finish_reason`` when known."""

    def _translate(self, error: Exception, settings: Settings, *, partial: bool) -> ProviderError | None:
        """Turn an SDK exception into a ``ProviderError``; None lets it propagate."""
        if self.sdk is None or self.hints is None:
            return None
        return translate_sdk_error(
            self.sdk,
            error,
            label=self.label,
            hints=self.hints,
            model=settings.model,
            timeout=self.timeout,
            partial=partial,
        )
