"""Jinja helpers for the template: dependencies come from the feature manifest."""

from pathlib import Path

from jinja2.ext import Extension

from hooks import manifest


class FeatureManifestExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        data = manifest.load()
        # The hooks run from the new project folder and import hooks/manifest.py from here.
        environment.globals["template_dir"] = lambda: str(Path(__file__).resolve().parent)
        environment.globals["manifest_dependencies"] = lambda answers: manifest.dependencies(data, answers)
        environment.globals["manifest_dev_dependencies"] = lambda answers: manifest.dev_dependencies(data, answers)
        environment.filters["quoted"] = quoted
        environment.filters["python_string"] = python_string
        environment.filters["non_ascii"] = non_ascii


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    """A character as written inside a string literal: printable text as it is, the rest as an escape."""
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def quoted(value: object) -> str:
    """A double-quoted TOML string holding ``value`` exactly: text as typed, control characters escaped."""
    return '"' + "".join('\\"' if char == '"' else _escaped(char) for char in str(value)) + '"'


def python_string(value: object) -> str:
    """A Python string literal for ``value`` as ``ruff format`` writes it: double quotes unless the
    text holds more double quotes than single ones, and text (accents, other scripts) as typed."""
    text = str(value)
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + "".join("\\" + char if char == quote else _escaped(char) for char in text) + quote


def non_ascii(value: object) -> list[str]:
    """The printable characters beyond ASCII in ``value``: ruff is told they are meant (allowed-confusables)."""
    return sorted({char for char in str(value) if ord(char) > 0x7F and char.isprintable()})
