"""The model behind the chat: the configured service, or the offline demo model until it is set up."""

import os

from . import {{ cookiecutter.llm_provider }}_service as service
from .base import Provider, ProviderError, Reply, Usage, client_options
from .demo import DemoProvider

DEFAULT_MODEL = service.DEFAULT_MODEL
CONTEXT_BUDGET = service.CONTEXT_BUDGET
TEMPERATURE_MAX = service.TEMPERATURE_MAX
model_list_notice = service.model_list_notice

__all__ = [
    "CONTEXT_BUDGET",
    "DEFAULT_MODEL",
    "TEMPERATURE_MAX",
    "Provider",
    "ProviderError",
    "Reply",
    "Usage",
    "active_provider",
    "default_model",
    "model_choices",
    "model_list_notice",
    "setup_problem",
]


def model_choices() -> list[str]:
    """The models to offer: the service's own list where it gives one, else the built-in names."""
    return service.listed_models() or service.MODELS


def default_model() -> str:
    """The built-in default, unless the service lists its models and that is not among them."""
    listed = service.listed_models()
    return DEFAULT_MODEL if not listed or DEFAULT_MODEL in listed else listed[0]


def setup_problem() -> str | None:
    """Why the configured service cannot be used yet, or None when it can."""
    problem = service.missing_configuration()
    if problem is None:
        try:
            client_options(os.environ)
        except ValueError as error:
            problem = f"{error} Until then, replies come from the offline demo model."
    return problem


def active_provider() -> tuple[Provider, str | None]:
    """The provider to ask, and a notice when it is the demo model standing in."""
    if problem := setup_problem():
        return DemoProvider(service.SETUP_HINT), problem
    return service.create_provider(), None
