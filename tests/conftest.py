"""Fixtures for the template's tests: baking projects with chosen options."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from cookiecutter.main import cookiecutter

from hooks import manifest

TEMPLATE = Path(__file__).resolve().parent.parent
OPTIONS: dict[str, Any] = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
OPTION_NAMES = frozenset(name for name in OPTIONS if not name.startswith("_"))
PROVIDERS = tuple(OPTIONS["llm_provider"])
FEATURE_SETS = [
    dict(zip(manifest.FEATURES, values, strict=True))
    for values in itertools.product([True, False], repeat=len(manifest.FEATURES))
]


ALL_FEATURES = dict.fromkeys(manifest.FEATURES, True)


def is_accepted(options: dict[str, Any]) -> bool:
    """Whether the template accepts this combination of feature options."""
    return not (options.get("multiple_conversations") and not options.get("simple_history", True))


def features_id(options: dict[str, Any]) -> str:
    return "+".join(name for name in manifest.FEATURES if options.get(name)) or "no-features"


class Baker:
    """Bakes the template into a folder; refuses option names the template does not have."""

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir

    def __call__(self, **options: Any) -> Path:
        unknown = sorted(set(options) - OPTION_NAMES)
        if unknown:
            # cookiecutter would silently ignore them and bake the defaults.
            raise ValueError(f"Unknown template options: {', '.join(unknown)}")
        return Path(cookiecutter(str(TEMPLATE), no_input=True, extra_context=options, output_dir=str(self.output_dir)))


@pytest.fixture
def bake(tmp_path: Path) -> Baker:
    return Baker(tmp_path / "out")


def answers_for(project: Path, **options: Any) -> dict[str, Any]:
    """The answers a bake was made with, in the form the hooks see them."""
    defaults = {name: value[0] if isinstance(value, list) else value for name, value in OPTIONS.items()}
    answers = {**defaults, **options}
    answers["project_slug"] = project.name
    answers["package_name"] = options.get("package_name", project.name.replace("-", "_"))
    return answers
