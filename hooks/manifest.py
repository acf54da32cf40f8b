"""What the hooks decide, as pure functions over the feature manifest and the answers.

The hook scripts only read the answers and act on these results; the template's
tests import this module to check bakes against the same manifest.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
MANIFEST_PATH = TEMPLATE_DIR / "features.toml"

# The questions themselves stay in cookiecutter.json; these are read from it.
_QUESTIONS = {
    name: default
    for name, default in json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
CHOICES = {name: tuple(values) for name, values in _QUESTIONS.items() if isinstance(values, list)}
FEATURES = tuple(name for name, default in _QUESTIONS.items() if isinstance(default, bool))
# Names a package must not take: the app's own imports would load it instead.
RESERVED_PACKAGE_NAMES = frozenset(
    {"app", "streamlit", "test", "tests", "openai", "anthropic", "pytest", "conftest", "setup"}
)
_SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def load(path: Path = MANIFEST_PATH) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def as_bool(value: Any) -> bool | None:
    """The answer to a yes/no option, or None when it is neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def value_key(option: str, value: Any) -> str:
    """How the manifest spells a chosen value: "true"/"false" for features, the choice otherwise."""
    if option in FEATURES:
        return "true" if as_bool(value) else "false"
    return str(value)


def validate(answers: Mapping[str, Any]) -> list[str]:
    """One plain sentence per answer that cannot be used, saying what to change."""
    problems: list[str] = []
    if not str(answers.get("project_name", "")).strip():
        problems.append("project_name is empty: give the chatbot a name, e.g. 'Support Bot'.")
    slug = str(answers.get("project_slug", ""))
    if not _SLUG.fullmatch(slug):
        problems.append(
            f"project_slug {slug!r} is not a usable folder name: use lowercase letters, digits and "
            "single hyphens, starting with a letter, e.g. 'support-bot'."
        )
    problems += _package_name_problems(str(answers.get("package_name", "")))
    email = str(answers.get("author_email", ""))
    if not _EMAIL.fullmatch(email):
        problems.append(f"author_email {email!r} is not an e-mail address: use the form name@example.com.")
    for option, choices in CHOICES.items():
        if str(answers.get(option)) not in choices:
            problems.append(f"{option} {answers.get(option)!r} is not offered: choose one of {', '.join(choices)}.")
    for feature in FEATURES:
        if as_bool(answers.get(feature, False)) is None:
            problems.append(f"{feature} {answers.get(feature)!r} is not a yes/no answer: use true or false.")
    if as_bool(answers.get("multiple_conversations")) and as_bool(answers.get("simple_history")) is False:
        problems.append(
            "multiple_conversations needs simple_history: set simple_history to true, "
            "or multiple_conversations to false."
        )
    return problems


def _package_name_problems(name: str) -> list[str]:
    if not (name.isidentifier() and name.isascii()):
        return [
            f"package_name {name!r} is not a valid Python identifier: use lowercase letters, digits and "
            "underscores, starting with a letter, e.g. 'support_bot'."
        ]
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return [f"package_name {name!r} is a Python keyword: choose another name, e.g. '{name}_bot'."]
    if name in sys.stdlib_module_names or name in RESERVED_PACKAGE_NAMES:
        return [
            f"package_name {name!r} would shadow the module of the same name that the app needs: "
            f"choose another name, e.g. '{name}_bot'."
        ]
    if name != name.lower():
        return [f"package_name {name!r} has capitals: Python packages are lowercase, e.g. {name.lower()!r}."]
    return []


def _parts(manifest: Mapping[str, Any], answers: Mapping[str, Any]) -> tuple[list[dict], list[dict]]:
    """The manifest entries of the chosen values, and those of every other value."""
    chosen: list[dict] = []
    unchosen: list[dict] = []
    for option, values in manifest["options"].items():
        picked = value_key(option, answers[option])
        for value, part in values.items():
            (chosen if value == picked else unchosen).append(part)
    return chosen, unchosen


def _collect(parts: Iterable[Mapping[str, Any]], field: str) -> set[str]:
    return {item for part in parts for item in part.get(field, [])}


def split(manifest: Mapping[str, Any], answers: Mapping[str, Any], field: str) -> tuple[list[str], list[str]]:
    """One manifest field (paths, identifiers, readme_sections) as (kept, removed) for these answers.

    An item is removed when only unchosen values list it; one a chosen value also lists is kept.
    """
    chosen, unchosen = _parts(manifest, answers)
    kept = _collect(chosen, field)
    removed = _collect(unchosen, field) - kept
    if field == "paths":
        return _with_package(kept, answers), _with_package(removed, answers)
    return sorted(kept), sorted(removed)


def _with_package(paths: set[str], answers: Mapping[str, Any]) -> list[str]:
    return sorted(path.format(package=answers["package_name"]) for path in paths)


def dependencies(manifest: Mapping[str, Any], answers: Mapping[str, Any]) -> list[str]:
    chosen, _ = _parts(manifest, answers)
    return sorted(set(manifest["base"]["dependencies"]) | _collect(chosen, "dependencies"))


def dev_dependencies(manifest: Mapping[str, Any], answers: Mapping[str, Any]) -> list[str]:
    chosen, _ = _parts(manifest, answers)
    return sorted(set(manifest["base"]["dev_dependencies"]) | _collect(chosen, "dev_dependencies"))


def cut_markdown_sections(text: str, headings: Iterable[str]) -> str:
    """Remove each ``## heading`` section (up to the next heading of the same or higher level)."""
    targets = {heading.strip() for heading in headings}
    kept: list[str] = []
    cutting_level: int | None = None
    in_fence = False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else re.match(r"(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if match:
            level = len(match.group(1))
            if cutting_level is not None and level <= cutting_level:
                cutting_level = None
            if cutting_level is None and match.group(2) in targets:
                cutting_level = level
        if cutting_level is None:
            kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "".join(kept))
