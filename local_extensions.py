"""Jinja helpers for the template: dependencies come from the feature manifest."""

import json
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
        environment.globals["manifest_dev_dependencies"] = lambda: manifest.dev_dependencies(data)
        environment.filters["quoted"] = quoted


def quoted(value: object) -> str:
    """A double-quoted string literal valid in both Python and TOML, whatever the value holds."""
    # JSON escapes quotes, backslashes, control and non-ASCII characters (ruff flags look-alike
    # letters in Python strings); TOML also forbids a raw DEL.
    return json.dumps(str(value)).replace("\x7f", "\\u007f")
