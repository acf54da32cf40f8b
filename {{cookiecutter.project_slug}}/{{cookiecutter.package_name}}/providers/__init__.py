"""The model behind the chat: the configured service, or the offline demo model until it is set up."""

from .base import Provider, ProviderError, Reply, Usage
from .demo import DemoProvider
from .{{ cookiecutter.llm_provider }}_service import (
    DEFAULT_MODEL,
    MODELS,
    SETUP_HINT,
    create_provider,
    missing_configuration,
)

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "Provider",
    "ProviderError",
    "Reply",
    "Usage",
    "active_provider",
    "missing_configuration",
]


def active_provider() -> tuple[Provider, str | None]:
    """The provider to ask, and a notice when it is the demo model standing in."""
    problem = missing_configuration()
    if problem is None:
        try:
            return create_provider(), None
        except ValueError as error:
            problem = f"{error} Until then, replies come from the offline demo model."
    return DemoProvider(SETUP_HINT), problem
