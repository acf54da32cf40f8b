"""Every combination of options: accepted ones bake clean and match the manifest; refused ones leave nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException

from hooks import manifest

from .conftest import OPTIONS, answers_for, combination_id, every_combination, is_accepted

MANIFEST = manifest.load()
OPTIONS_PYTHON_VERSIONS = OPTIONS["python_version"]
COMBINATIONS = every_combination()
ACCEPTED = [pytest.param(o, id=combination_id(o)) for o in COMBINATIONS if is_accepted(o)]
REFUSED = [pytest.param(o, id=combination_id(o)) for o in COMBINATIONS if not is_accepted(o)]
# Jinja left unrendered; GitHub Actions' own ${{ }} expressions are meant to stay.
UNRENDERED = re.compile(r"(?<!\$)\{\{|\{%|\{#|cookiecutter\.")


def project_files(project: Path) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(project.rglob("*")) if path.is_file()}


def ruff(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "."], cwd=project, capture_output=True, text=True
    )


@pytest.mark.parametrize("options", ACCEPTED)
def test_accepted_combination_bakes_clean_and_matches_the_manifest(bake, options: dict) -> None:
    project = bake(**options)
    answers = answers_for(project, **options)
    files = project_files(project)
    # .cruft.json records every answer, chosen or not (cruft reads them back to update the project).
    everything = "\n".join(text for path, text in files.items() if path.name != ".cruft.json").lower()
    recorded = json.loads((project / ".cruft.json").read_text())["context"]["cookiecutter"]
    assert {name: recorded[name] for name in options} == options, "the answers are recorded as given"

    leftovers = [str(path.relative_to(project)) for path, text in files.items() if UNRENDERED.search(text)]
    assert leftovers == [], f"unrendered template text in {leftovers}"
    assert "${{ matrix.python-version }}" in (project / ".github/workflows/ci.yml").read_text()

    check, fmt = ruff(project, "check"), ruff(project, "format", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr

    kept, removed = manifest.split(MANIFEST, answers, "paths")
    for path in removed:
        assert not (project / path).exists(), f"{path} belongs to an option that was not chosen"
    for path in kept:
        assert (project / path).exists(), f"{path} belongs to a chosen option but is missing"
    kept, removed = manifest.split(MANIFEST, answers, "identifiers")
    for identifier in removed:
        assert identifier.lower() not in everything, f"{identifier!r} of an unchosen option remains"
    for identifier in kept:
        assert identifier.lower() in everything, f"{identifier!r} of a chosen option is missing"

    headings = re.findall(r"^#+\s+(.*?)\s*$", (project / "README.md").read_text(), flags=re.MULTILINE)
    kept, removed = manifest.split(MANIFEST, answers, "readme_sections")
    for section in removed:
        assert section not in headings
    for section in kept:
        assert section in headings

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["dependencies"] == manifest.dependencies(MANIFEST, answers)
    assert pyproject["dependency-groups"]["dev"] == manifest.dev_dependencies(MANIFEST, answers)


@pytest.mark.parametrize("options", REFUSED)
def test_refused_combination_says_why_and_leaves_nothing(bake, options: dict, capfd) -> None:
    with pytest.raises(FailedHookException):
        bake(**options)
    assert "ERROR: multiple_conversations needs simple_history" in capfd.readouterr().err
    assert not bake.output_dir.exists() or not any(bake.output_dir.iterdir())


@pytest.mark.parametrize("python_version", OPTIONS_PYTHON_VERSIONS)
def test_every_python_version_bakes_lint_clean_code_and_a_matching_ci_matrix(bake, python_version: str) -> None:
    everything_on = dict.fromkeys(manifest.FEATURES, True)
    project = bake(python_version=python_version, **everything_on)
    check, fmt = ruff(project, "check"), ruff(project, "format", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={python_version}"
    assert pyproject["tool"]["ruff"]["target-version"] == "py" + python_version.replace(".", "")
    workflow = (project / ".github/workflows/ci.yml").read_text()
    newer = [v for v in OPTIONS_PYTHON_VERSIONS if v >= python_version]
    assert "python-version: [" + ", ".join(f'"{v}"' for v in newer) + "]" in workflow
