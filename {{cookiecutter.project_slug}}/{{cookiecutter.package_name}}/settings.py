"""Model settings: one source of defaults, overridable from secrets or the environment.

Precedence, lowest first: the defaults below, the ``[chatbot]`` table of
``.streamlit/secrets.toml``, then ``CHATBOT_<NAME>`` environment variables.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from . import state
from .attachments import IMAGE_TYPES, KNOWN_TYPES
from .providers import CONTEXT_BUDGET, DEFAULT_MODEL, TEMPERATURE_MAX, default_model, model_list_notice
from .state import SessionValue

#: Where a conversation keeps the settings it was last used with.
EXTRAS_KEY = "settings"

SECRETS_FILE = Path(".streamlit/secrets.toml")
SECRETS_TABLE = "chatbot"
# The models offered in the sidebar; the provider's own list unless configured.
MODELS_KEY = "models"
ENV_PREFIX = "CHATBOT_"


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL
    # None leaves the temperature to the model: newer models accept no other value.
    temperature: float | None = None
    max_tokens: int = 1024
    system_prompt: str = "You are a helpful assistant. Answer clearly and concisely."
    streaming: bool = True
    debug: bool = False
    # Tokens of conversation sent with a request; older turns are left out beyond it (see context.py).
    context_budget: int = CONTEXT_BUDGET
    # Files sent with a message (see attachments.py). Set by the deployment only: not in the sidebar.
    attachments: bool = True
    attachment_types: tuple[str, ...] = tuple(KNOWN_TYPES)
    attachment_max_mb: float = 5.0


TEMPERATURE_RANGE = (0.0, TEMPERATURE_MAX)
MAX_TOKENS_RANGE = (1, 32_000)
CONTEXT_BUDGET_RANGE = (100, 10_000_000)
# Hosted services refuse images over 5 to 20 MB; text files beyond a few MB exceed any context budget.
ATTACHMENT_MB_RANGE = (0.001, 100.0)


class SettingError(ValueError):
    """A configured value that cannot be used; the message says how to fix it."""


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(raw)


def _whole_number(raw: Any) -> int:
    # int() would quietly turn 1.5 into 1; only whole numbers are taken.
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, int) or (isinstance(raw, str) and raw.strip().lstrip("+-").isdigit()):
        return int(raw)
    raise ValueError(raw)


def _parse_number(kind: Callable[[Any], Any], low: float, high: float) -> Callable[[Any], Any]:
    def parse(raw: Any) -> Any:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise ValueError(raw)
        value = kind(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return parse


def _parse_text(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(raw)
    return raw.strip()


def _parse_prompt(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(raw)
    return raw


def _parse_file_types(raw: Any) -> tuple[str, ...]:
    names = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(names, list | tuple) or not all(isinstance(name, str) for name in names):
        raise ValueError(raw)
    types = tuple(dict.fromkeys(name.strip().lower().removeprefix(".") for name in names if name.strip()))
    if any(kind not in KNOWN_TYPES for kind in types):
        raise ValueError(raw)
    return types


def _parse_temperature(raw: Any) -> float | None:
    if isinstance(raw, str) and raw.strip().lower() in {"", "default", "none"}:
        return None
    return _parse_number(float, *TEMPERATURE_RANGE)(raw)


_PARSERS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "model": (_parse_text, "a model name"),
    "temperature": (_parse_temperature, f'a number from 0 to {TEMPERATURE_MAX:g}, or "default"'),
    "max_tokens": (_parse_number(_whole_number, *MAX_TOKENS_RANGE), "a whole number from 1 to 32000"),
    "system_prompt": (_parse_prompt, "text"),
    "streaming": (_parse_bool, "true or false"),
    "debug": (_parse_bool, "true or false"),
    "context_budget": (_parse_number(_whole_number, *CONTEXT_BUDGET_RANGE), "a whole number from 100 to 10000000"),
    "attachments": (_parse_bool, "true or false"),
    "attachment_types": (
        _parse_file_types,
        f"a list of file extensions from {', '.join(KNOWN_TYPES)}, such as {list(IMAGE_TYPES)[:2]}",
    ),
    "attachment_max_mb": (_parse_number(float, *ATTACHMENT_MB_RANGE), "a number of megabytes from 0.001 to 100"),
}


def _apply(base: Settings, values: Mapping[str, Any], describe: Callable[[str], str], problems: list[str]) -> Settings:
    changes: dict[str, Any] = {}
    for name, raw in values.items():
        parse, expected = _PARSERS[name]
        try:
            changes[name] = parse(raw)
        except (TypeError, ValueError):
            problems.append(
                f"{describe(name)} is {raw!r}, but it must be {expected}; the default is used until you fix it."
            )
    return replace(base, **changes)


def load_defaults(
    secrets: Mapping[str, Any], environ: Mapping[str, str], model: str = DEFAULT_MODEL
) -> tuple[Settings, list[str]]:
    """The defaults as configured (``model`` unless one is), and one sentence per value that had to be ignored."""
    problems: list[str] = []
    names = [f.name for f in fields(Settings)]
    table = secrets.get(SECRETS_TABLE, {})
    if not isinstance(table, Mapping):
        problems.append(f"[{SECRETS_TABLE}] in .streamlit/secrets.toml must be a table of settings; it is ignored.")
        table = {}
    unknown = sorted(set(table) - set(names) - {MODELS_KEY})
    if unknown:
        problems.append(
            f"[{SECRETS_TABLE}] in .streamlit/secrets.toml has unknown settings {', '.join(unknown)}; "
            f"the known ones are {', '.join(names)}."
        )
    if MODELS_KEY in table and not _is_model_list(table[MODELS_KEY]):
        problems.append(
            f"{MODELS_KEY} in [{SECRETS_TABLE}] of .streamlit/secrets.toml is {table[MODELS_KEY]!r}, but it must be "
            'a list of model names such as ["model-a", "model-b"]; the built-in list is used until you fix it.'
        )
    from_secrets = {name: table[name] for name in names if name in table}
    settings = _apply(
        Settings(model=model),
        from_secrets,
        lambda name: f"{name} in [{SECRETS_TABLE}] of .streamlit/secrets.toml",
        problems,
    )
    from_env = {name: environ[ENV_PREFIX + name.upper()] for name in names if ENV_PREFIX + name.upper() in environ}
    settings = _apply(settings, from_env, lambda name: f"The environment variable {ENV_PREFIX}{name.upper()}", problems)
    return settings, problems


def model_choices(secrets: Mapping[str, Any], environ: Mapping[str, str], offered: list[str]) -> list[str]:
    """The models to offer: ``CHATBOT_MODELS`` (comma-separated), else ``models`` in secrets, else ``offered``."""
    if environ.get(ENV_PREFIX + MODELS_KEY.upper(), "").strip():
        configured: Any = environ[ENV_PREFIX + MODELS_KEY.upper()].split(",")
    else:
        table = secrets.get(SECRETS_TABLE, {})
        configured = table.get(MODELS_KEY, []) if isinstance(table, Mapping) else []
    if isinstance(configured, str):
        configured = [configured]
    if not _is_model_list(configured):
        return offered  # reported by load_defaults
    names = [name.strip() for name in configured if name.strip()]
    return names or offered


def _is_model_list(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(name, str) for name in value))


def read_secrets() -> tuple[dict[str, Any], list[str]]:
    """The contents of secrets.toml (empty when there is none), and any problem reading it."""
    try:
        return st.secrets.to_dict(), []
    except StreamlitSecretNotFoundError as error:
        if SECRETS_FILE.exists():
            return {}, [f"{SECRETS_FILE} could not be read ({error}); fix its TOML syntax."]
        return {}, []


def configured_defaults() -> tuple[Settings, list[str]]:
    secrets, problems = read_secrets()
    settings, value_problems = load_defaults(secrets, os.environ, default_model())
    return settings, problems + value_problems


# --- The sidebar: one widget per setting, its session key declared once ---

_LABELS = {
    "model": "Model",
    "custom_temperature": "Set the temperature",
    "temperature": "Temperature",
    "max_tokens": "Max tokens",
    "system_prompt": "System prompt",
    "streaming": "Stream replies",
    "debug": "Show debug panel",
    "context_budget": "Context budget (tokens)",
}
# Where the slider starts when the temperature is left to the model.
SLIDER_START = 1.0


def _widget_values(settings: Settings) -> dict[str, Any]:
    """What each sidebar widget shows for these settings."""
    return {
        "model": settings.model,
        "custom_temperature": settings.temperature is not None,
        "temperature": SLIDER_START if settings.temperature is None else settings.temperature,
        "max_tokens": settings.max_tokens,
        "system_prompt": settings.system_prompt,
        "streaming": settings.streaming,
        "debug": settings.debug,
        "context_budget": settings.context_budget,
    }


def _default_of(name: str) -> Callable[[], Any]:
    return lambda: _widget_values(configured_defaults()[0])[name]


_widgets: dict[str, SessionValue[Any]] = {name: SessionValue(f"settings.{name}", _default_of(name)) for name in _LABELS}


def current() -> Settings:
    """The settings the next reply will use: the sidebar's, and the deployment's own."""
    shown = snapshot()
    deployment, _ = load_defaults(read_secrets()[0], os.environ)
    return replace(
        deployment,
        model=shown["model"],
        temperature=shown["temperature"] if shown["custom_temperature"] else None,
        max_tokens=shown["max_tokens"],
        system_prompt=shown["system_prompt"],
        streaming=shown["streaming"],
        debug=shown["debug"],
        context_budget=shown["context_budget"],
    )


def snapshot() -> dict[str, Any]:
    """What every settings widget holds, to be given back later with ``restore``."""
    return {name: widget.get() for name, widget in _widgets.items()}


def restore(saved: dict[str, Any] | None) -> None:
    """Put saved widget values back; the configured defaults where nothing was saved."""
    values = _widget_values(configured_defaults()[0]) | (saved or {})
    for name, widget in _widgets.items():
        widget.set(values[name])


def reset_to_defaults() -> None:
    restore(None)
    _remember()
    st.toast("Settings reset to their defaults.")


def _remember() -> None:
    """Keep the settings with the current conversation (and in storage, where there is one)."""
    state.current_conversation().extras[EXTRAS_KEY] = snapshot()
    state.conversation_changed()


def _announce_change(name: str) -> None:
    _remember()
    value = _widgets[name].get()
    if name == "system_prompt":
        st.toast("System prompt updated.")
    elif name == "custom_temperature":
        st.toast("Temperature: your choice." if value else "Temperature: the model's default.")
    elif isinstance(value, bool):
        st.toast(f"{_LABELS[name]}: {'on' if value else 'off'}.")
    else:
        st.toast(f"{_LABELS[name]} set to {value}.")


def render_settings(offered_models: list[str]) -> None:
    """Draw the settings (call inside ``st.sidebar``): what is wrong with the configured values, then the widgets.

    The widgets sit behind a Settings button. The browser draws a popover's widgets only when it
    opens, and drawing these eight on every page load took about 0.3 s of a 1.5 s load here.
    """
    secrets, problems = read_secrets()
    defaults, value_problems = load_defaults(secrets, os.environ, default_model())
    models = model_choices(secrets, os.environ, offered_models)
    problems += value_problems
    for problem in problems:
        st.warning(problem, icon="⚠️")
    for widget in _widgets.values():
        widget.get()  # initialise before the widgets read their keys
    choices = list(dict.fromkeys([*models, defaults.model, _widgets["model"].get()]))

    with st.popover("Settings", icon=":material/tune:", width="stretch"):
        _render_widgets(choices)


def _widget_arguments(name: str) -> dict[str, Any]:
    """The arguments that tie a widget to setting ``name`` and announce its changes."""
    return {"on_change": _announce_change, "args": (name,), "key": _widgets[name].key}


def _render_widgets(choices: list[str]) -> None:
    st.selectbox(
        _LABELS["model"],
        choices,
        accept_new_options=True,
        help="Pick a model or type the name of another one.",
        **_widget_arguments("model"),
    )
    if notice := model_list_notice():
        st.caption(notice)
    st.toggle(
        _LABELS["custom_temperature"],
        help="Off: the model uses its own default. Some newer models accept no other value.",
        **_widget_arguments("custom_temperature"),
    )
    st.slider(
        _LABELS["temperature"],
        *TEMPERATURE_RANGE,
        step=0.1,
        disabled=not _widgets["custom_temperature"].get(),
        **_widget_arguments("temperature"),
    )
    st.number_input(_LABELS["max_tokens"], *MAX_TOKENS_RANGE, step=256, **_widget_arguments("max_tokens"))
    st.text_area(_LABELS["system_prompt"], height=100, **_widget_arguments("system_prompt"))
    st.number_input(
        _LABELS["context_budget"],
        *CONTEXT_BUDGET_RANGE,
        step=1000,
        help="How much of the conversation is sent with each message. Older messages are left out beyond it.",
        **_widget_arguments("context_budget"),
    )
    st.toggle(_LABELS["streaming"], **_widget_arguments("streaming"))
    st.toggle(_LABELS["debug"], **_widget_arguments("debug"))
    st.button("Reset to defaults", on_click=reset_to_defaults, icon=":material/restart_alt:")
