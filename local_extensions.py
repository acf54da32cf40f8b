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


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quoted(value: object) -> str:
    """A double-quoted string literal that means the same in Python and in TOML, whatever it holds.

    Everything outside printable ASCII is written as a \\u or \\U escape, which both languages read
    alike: no raw control character can break a TOML string, and ruff sees no look-alike letters.
    """
    out = []
    for char in str(value):
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'
