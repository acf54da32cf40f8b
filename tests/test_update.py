"""A bake made with plain cookiecutter can follow the template with cruft: changes arrive, local edits stay.

The template is copied into a temporary git repository, so the test can change it and commit,
as its maintainers would, without touching this checkout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from cookiecutter.main import cookiecutter

from .conftest import TEMPLATE

IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache")


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *IDENTITY, *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def cruft(project: Path, *args: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "cruft"), *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)


def commit_all(folder: Path, message: str) -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", message)


def test_a_bake_takes_template_changes_keeps_local_edits_and_can_switch_an_option(tmp_path: Path) -> None:
    template = tmp_path / "template"
    shutil.copytree(TEMPLATE, template, ignore=NOT_COPIED)
    git(template, "init", "-q")
    commit_all(template, "The template as it is")
    project = Path(cookiecutter(str(template), no_input=True, output_dir=str(tmp_path / "out")))

    record = json.loads((project / ".cruft.json").read_text())
    assert record["template"] == str(template) and record["commit"] == git(template, "rev-parse", "HEAD").strip()
    assert record["context"]["cookiecutter"]["message_metadata"] is False
    git(project, "init", "-q")
    commit_all(project, "Baked")
    assert cruft(project, "check").returncode == 0, "up to date right after the bake"

    with (project / "README.md").open("a") as readme:
        readme.write("\nOur own deployment notes.\n")
    commit_all(project, "A local edit")
    serve = template / "{{cookiecutter.project_slug}}" / "serve.py"
    serve.write_text(serve.read_text() + "\n# A change made to the template after the bake.\n")
    commit_all(template, "Improve serve.py")

    assert cruft(project, "check").returncode != 0, "behind the template"
    updated = cruft(project, "update", "--skip-apply-ask")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert "A change made to the template after the bake." in (project / "serve.py").read_text()
    assert "Our own deployment notes." in (project / "README.md").read_text()
    assert cruft(project, "check").returncode == 0
    commit_all(project, "Update from the template")

    switched = cruft(project, "update", "--skip-apply-ask", "--variables-to-update", '{"message_metadata": true}')
    assert switched.returncode == 0, switched.stdout + switched.stderr
    assert (project / "streamlit_chatbot" / "metadata.py").exists()
    assert (project / "tests" / "test_metadata.py").exists(), "its tests came with it"
    assert json.loads((project / ".cruft.json").read_text())["context"]["cookiecutter"]["message_metadata"] is True
    assert not list(project.rglob("*.rej")), "every change applied cleanly"
    for check in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        result = subprocess.run([sys.executable, "-m", *check], cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    suite = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-m", "not e2e"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert suite.returncode == 0, suite.stdout[-5000:] + suite.stderr[-2000:]
