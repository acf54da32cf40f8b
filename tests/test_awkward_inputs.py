"""Awkward answers bake safely as data; bad ones are refused with a sentence and leave nothing."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException

CANARY = "PWNED"
INJECTIONS = [
    f'"""; import os; os.system("touch {CANARY}"); """',
    f"'; touch {CANARY}; '",
    f"$(touch {CANARY}) `touch {CANARY}`",
    f'" + __import__("os").system("touch {CANARY}") + "',
]

# Each bakes; the value must come through unchanged where it is written as data.
RENDERED_SAFELY = {
    "double quotes": {"project_name": 'The "Best" Bot'},
    "single quotes": {"project_name": "Ada's Helper", "author_name": "Miles O'Brien"},
    "backslashes": {"project_name": "Path C:\\new\\bot", "description": "Ends with a backslash \\"},
    "newlines": {"description": "First line\nSecond line\r\nThird"},
    "tab and DEL control characters": {"description": "tab\there, del\x7fhere"},
    "non-ASCII text": {"project_name": "Ünïcødé Bøt 日本語", "author_name": "Zoë Ångström"},
    "emoji": {"project_name": "🤖 Helper Bot", "description": "Answers questions 💬"},
    "look-alike letters": {"project_name": "\u0410lpha \u0412ot"},  # Cyrillic capitals A and Ve
    "TOML syntax": {"description": 'x = 1\n[tool.evil]\nkey = "value"'},
    "python injection in the name": {"project_name": INJECTIONS[0]},
    "shell injection in the description": {"description": INJECTIONS[1] + INJECTIONS[2]},
    "expression injection in the author": {"author_name": INJECTIONS[3]},
    "a very long description": {"description": "word " * 2000},
    "markdown in the name": {"project_name": "# Not a heading <script>alert(1)</script>"},
    "quotes, accents and a trailing backslash": {"project_name": 'Café "Quoted" Bot\\'},
    "both kinds of quotes": {"project_name": """It's the "Best" Bot's"""},
}

REFUSED = {
    "empty name": ({"project_name": ""}, "project_name is empty"),
    "slug with spaces": ({"project_slug": "my bot"}, "project_slug 'my bot' is not a usable folder name"),
    "slug starting with a digit": ({"project_name": "123 Bot"}, "project_slug '123-bot'"),
    "keyword package": ({"package_name": "class"}, "package_name 'class' is a Python keyword"),
    "stdlib package": ({"package_name": "json"}, "package_name 'json' would shadow the module"),
    "streamlit package": ({"package_name": "streamlit"}, "would shadow the module"),
    "test package": ({"package_name": "test"}, "would shadow the module"),
    "hyphenated package": ({"package_name": "my-bot"}, "is not a valid Python identifier"),
    "bad e-mail": ({"author_email": "not-an-email"}, "author_email 'not-an-email' is not an e-mail address"),
    # cookiecutter itself refuses these before the hook runs; hooks/manifest.py checks them too.
    "unknown python": ({"python_version": "3.9"}, "3.9 provided for choice variable python_version"),
    "unknown provider": ({"llm_provider": "gemini"}, "but the choices are ['openai', 'anthropic', 'ollama']"),
    "unknown licence": ({"license": "WTFPL"}, "WTFPL provided for choice variable license"),
    "non-boolean feature": ({"approval_workflow": "perhaps"}, "approval_workflow could not be converted to a boolean"),
    "conversations without history": (
        {"multiple_conversations": True, "simple_history": False},
        "multiple_conversations needs simple_history",
    ),
}


@pytest.fixture
def canary_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.chdir(tmp_path)
    return [tmp_path, Path.cwd()]


def _title(project: Path) -> str:
    tree = ast.parse((project / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "TITLE":
            return ast.literal_eval(node.value)
    raise AssertionError("app.py has no TITLE")


@pytest.mark.parametrize("options", RENDERED_SAFELY.values(), ids=RENDERED_SAFELY.keys())
def test_awkward_answers_are_rendered_as_data(bake, options: dict, canary_dirs: list[Path]) -> None:
    project = bake(**options)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    if "description" in options:
        # cookiecutter renders answers through Jinja, which turns CRLF into LF.
        assert pyproject["project"]["description"] == options["description"].replace("\r\n", "\n")
    if "author_name" in options:
        assert pyproject["project"]["authors"][0]["name"] == options["author_name"]
        assert options["author_name"] in (project / "LICENSE").read_text(encoding="utf-8")
    if "project_name" in options:
        assert _title(project) == options["project_name"]
        source = (project / "app.py").read_text(encoding="utf-8")
        for piece in re.split(r"[\\\"']+", options["project_name"]):
            assert piece in source, f"the title reads as typed: {piece!r} is not in app.py"
    assert "tool" not in pyproject or "evil" not in pyproject["tool"]
    for path in project.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=project, capture_output=True)
    assert lint.returncode == 0, lint.stdout.decode()
    layout = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], cwd=project, capture_output=True
    )
    assert layout.returncode == 0, layout.stdout.decode() + layout.stderr.decode()
    for directory in [*canary_dirs, project, project.parent]:
        assert not (directory / CANARY).exists(), f"an answer ran as code in {directory}"
    assert not Path(os.sep, "tmp", CANARY).exists()


@pytest.mark.parametrize(("options", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_bad_answers_are_refused_with_a_sentence(bake, options: dict, message: str, capfd) -> None:
    with pytest.raises((FailedHookException, ValueError)) as refusal:
        bake(**options)
    errors = [line for line in capfd.readouterr().err.splitlines() if line.startswith("ERROR: ")]
    errors.append(str(refusal.value))
    assert any(message in line for line in errors), errors
    assert not bake.output_dir.exists() or not any(bake.output_dir.iterdir())
