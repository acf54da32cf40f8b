"""Unit tests of the hooks' decisions (hooks/manifest.py), without baking."""

from __future__ import annotations

import pytest

from hooks import manifest

DEFAULTS = {
    "project_name": "Support Bot",
    "project_slug": "support-bot",
    "package_name": "support_bot",
    "author_email": "ada@example.com",
    "python_version": "3.11",
    "license": "MIT",
    "simple_history": True,
    "approval_workflow": False,
    "message_metadata": False,
    "multiple_conversations": False,
    "llm_provider": "openai",
    "persistence": "sqlite",
}
MANIFEST = manifest.load()


def answers(**changes):
    return {**DEFAULTS, **changes}


def kept_paths(**changes) -> list[str]:
    return manifest.split(MANIFEST, answers(**changes), "paths")[0]


def removed_paths(**changes) -> list[str]:
    return manifest.split(MANIFEST, answers(**changes), "paths")[1]


def test_the_defaults_are_valid() -> None:
    assert manifest.validate(answers()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"project_slug": "Support Bot"}, "project_slug 'Support Bot' is not a usable folder name"),
        ({"project_slug": "bot--"}, "project_slug 'bot--'"),
        ({"package_name": "support-bot"}, "package_name 'support-bot' is not a valid Python identifier"),
        ({"package_name": "2bot"}, "is not a valid Python identifier"),
        ({"package_name": "lambda"}, "package_name 'lambda' is a Python keyword"),
        ({"package_name": "match"}, "is a Python keyword"),
        ({"package_name": "json"}, "package_name 'json' would shadow the module"),
        ({"package_name": "streamlit"}, "would shadow the module"),
        ({"package_name": "test"}, "would shadow the module"),
        ({"package_name": "app"}, "would shadow the module"),
        ({"package_name": "SupportBot"}, "has capitals"),
        ({"package_name": "bøt"}, "is not a valid Python identifier"),
        ({"author_email": "ada"}, "author_email 'ada' is not an e-mail address"),
        ({"author_email": "ada@example"}, "is not an e-mail address"),
        ({"python_version": "3.9"}, "python_version '3.9' is not offered: choose one of 3.11, 3.12, 3.13"),
        ({"license": "GPL"}, "license 'GPL' is not offered"),
        ({"llm_provider": "gemini"}, "llm_provider 'gemini' is not offered: choose one of openai, anthropic, ollama"),
        ({"persistence": "mongodb"}, "persistence 'mongodb' is not offered: choose one of sqlite, postgresql, none"),
        ({"approval_workflow": "maybe"}, "approval_workflow 'maybe' is not a yes/no answer"),
        ({"project_name": "  "}, "project_name is empty"),
        (
            {"multiple_conversations": True, "simple_history": False},
            "multiple_conversations needs simple_history: set simple_history to true",
        ),
    ],
)
def test_each_bad_answer_gets_one_sentence_saying_what_to_change(changes, expected) -> None:
    problems = manifest.validate(answers(**changes))
    assert len(problems) == 1
    assert expected in problems[0]
    assert "\n" not in problems[0]


@pytest.mark.parametrize("text", ["yes", "True", "1", "on"])
def test_yes_no_answers_given_as_text_are_understood(text) -> None:
    assert manifest.as_bool(text) is True
    assert (
        manifest.as_bool(text.replace("yes", "no").replace("True", "false").replace("1", "0").replace("on", "off"))
        is False
    )


def test_unchosen_provider_files_are_removed_but_shared_ones_kept() -> None:
    removed = removed_paths(llm_provider="ollama")
    assert "support_bot/providers/openai_service.py" in removed
    assert "support_bot/providers/anthropic_service.py" in removed
    assert "support_bot/providers/openai_compatible.py" not in removed  # Ollama speaks the same API
    assert "support_bot/providers/ollama_service.py" in kept_paths(llm_provider="ollama")


def test_single_turn_removes_the_history_module_and_keeps_its_own_test() -> None:
    removed = removed_paths(simple_history=False)
    assert "support_bot/history.py" in removed
    assert "tests/test_single_turn.py" not in removed
    assert "tests/test_single_turn.py" in removed_paths()


def test_proprietary_projects_have_no_licence_file() -> None:
    assert "LICENSE" in removed_paths(license="Proprietary")
    assert "LICENSE" not in removed_paths(license="MIT")


def test_dependencies_follow_the_provider() -> None:
    assert any(d.startswith("anthropic") for d in manifest.dependencies(MANIFEST, answers(llm_provider="anthropic")))
    assert not any(d.startswith("openai") for d in manifest.dependencies(MANIFEST, answers(llm_provider="anthropic")))
    assert any(d.startswith("openai") for d in manifest.dependencies(MANIFEST, answers(llm_provider="ollama")))
    assert not set(manifest.dependencies(MANIFEST, answers(llm_provider="ollama"))) & set(
        MANIFEST["options"]["llm_provider"]["anthropic"]["dependencies"]
    )


def test_every_option_of_cookiecutter_json_with_parts_is_in_the_manifest() -> None:
    assert set(MANIFEST["options"]) == {*manifest.FEATURES, "llm_provider", "persistence", "license"}


README = """# Bot

## Quick start

Run it.

## Using Ollama

Start it.

### Pulling models

```sh
# not a heading
ollama pull x
```

## Configuration

Set things.
"""


def test_cutting_a_readme_section_takes_its_subsections_and_nothing_else() -> None:
    cut = manifest.cut_markdown_sections(README, ["Using Ollama"])
    assert "Ollama" not in cut and "Pulling models" not in cut and "not a heading" not in cut
    assert cut == "# Bot\n\n## Quick start\n\nRun it.\n\n## Configuration\n\nSet things.\n"


def test_a_hash_line_inside_a_code_block_is_not_a_heading() -> None:
    cut = manifest.cut_markdown_sections(README, ["not a heading"])
    assert cut == README
