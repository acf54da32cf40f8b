"""Fixtures for the template's tests: baking projects with chosen options."""

from __future__ import annotations

import itertools
import json
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from cookiecutter.main import cookiecutter

from hooks import manifest

TEMPLATE = Path(__file__).resolve().parent.parent
#: One mypy cache for every bake checked in a run, shared by the workers (mypy replaces its cache
#: files atomically): the dependencies' types are read once, each bake's own code afresh.
MYPY_CACHE = Path(tempfile.gettempdir()) / "st-chat-template-mypy-cache"
OPTIONS: dict[str, Any] = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
OPTION_NAMES = frozenset(name for name in OPTIONS if not name.startswith("_"))


ALL_FEATURES = dict.fromkeys(manifest.FEATURES, True)
#: Options that change what the app does (python_version and license only change packaging).
BEHAVIOUR = {
    **{name: (True, False) for name in manifest.FEATURES},
    **{name: values for name, values in manifest.CHOICES.items() if name not in {"python_version", "license"}},
}


def is_accepted(options: dict[str, Any]) -> bool:
    """Whether the template accepts this combination of feature options."""
    return not (options.get("multiple_conversations") and not options.get("simple_history", True))


def every_combination() -> list[dict[str, Any]]:
    """Every combination of the behaviour options, accepted or not."""
    return [dict(zip(BEHAVIOUR, values, strict=True)) for values in itertools.product(*BEHAVIOUR.values())]


def covering_set() -> list[dict[str, Any]]:
    """Accepted combinations that together hold every accepted pair of option values at least once.

    Starts from the defaults and from everything on, then adds greedily the combination that
    holds the most pairs not yet covered. Greedy choice depends on the order ties are met in,
    so it is tried over a fixed series of shuffled orders and the smallest set is kept: the
    same set on every run.
    """
    accepted = [combination for combination in every_combination() if is_accepted(combination)]
    defaults = {name: values[0] for name, values in BEHAVIOUR.items()} | {
        name: OPTIONS[name] for name in manifest.FEATURES
    }
    start = [defaults, {**defaults, **ALL_FEATURES}]
    all_pairs = set().union(*map(_pairs, accepted))
    best: list[dict[str, Any]] | None = None
    for seed in range(COVERING_TRIES):
        order = accepted[:]
        random.Random(seed).shuffle(order)
        chosen = list(start)
        uncovered = all_pairs - set().union(*map(_pairs, chosen))
        while uncovered:
            pick = max(order, key=lambda combination: len(_pairs(combination) & uncovered))
            chosen.append(pick)
            uncovered -= _pairs(pick)
        if best is None or len(chosen) < len(best):
            best = chosen
    assert best is not None
    return best


COVERING_TRIES = 50


def _pairs(combination: dict[str, Any]) -> set[tuple]:
    items = list(combination.items())
    return {(a, b) for i, a in enumerate(items) for b in items[i + 1 :]}


def combination_id(options: dict[str, Any]) -> str:
    rest = [str(value) for name, value in options.items() if name not in manifest.FEATURES]
    return "-".join([features_id(options), *rest])


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


# The longest tests (minutes each) start first, each on a worker of its own: xdist hands out
# tests in consecutive pairs (with --maxschedchunk=1, set in pyproject.toml), so each long test is
# followed by a short one, and the next long test lands on the next worker.
LONGEST_FIRST = (
    "test_the_generated_browser_suite",
    "test_benchmark",
    "test_the_generated_suite",
    "test_a_bake_takes_template_changes",
    "test_the_containers_install",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next((i for i, name in enumerate(LONGEST_FIRST) if name in item.nodeid), len(LONGEST_FIRST))

    items.sort(key=rank)
    long = [item for item in items if rank(item) < len(LONGEST_FIRST)]
    short = [item for item in items if rank(item) == len(LONGEST_FIRST)]
    interleaved: list[pytest.Item] = []
    for item in long:
        interleaved += [item, *short[:1]]
        short = short[1:]
    items[:] = interleaved + short
