"""The model behind the chat: the configured service, or the offline demo model until it is set up."""

import os

from . import {{ cookiecutter.llm_provider }}_service as service
from .base import Provider, ProviderError, Reply, Usage, client_options
from .demo import DemoProvider

DEFAULT_MODEL = service.DEFAULT_MODEL
CONTEXT_BUDGET = service.CONTEXT_BUDGET
TEMPERATURE_MAX = service.TEMPERATURE_MAX
model_choices = service.model_choices

__all__ = [
    "CONTEXT_BUDGET",
    "DEFAULT_MODEL",
    "TEMPERATURE_MAX",
    "Provider",
    "ProviderError",
    "Reply",
    "Usage",
    "active_provider",
    "model_choices",
    "setup_problem",
]


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
