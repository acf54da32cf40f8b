"""The generated pre-commit hooks run without git hosts and leave a clean tree."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import MYPY_CACHE


def git(project, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True)
    return result.stdout


def test_pre_commit_passes_on_a_fresh_bake_and_changes_nothing(bake, tmp_path) -> None:
    project = bake()
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-qm", "Baked")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": os.environ.get("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home")),
        # The mypy hook runs the project's own mypy, found on PATH as in an activated virtualenv.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "MYPY_CACHE_DIR": str(MYPY_CACHE),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=project, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ruff check" in result.stdout and "ruff format" in result.stdout and "mypy" in result.stdout
    assert git(project, "status", "--porcelain") == ""


def test_pre_commit_config_fetches_nothing_from_git_hosts(bake) -> None:
    config = (bake() / ".pre-commit-config.yaml").read_text()
    assert "repo: local" in config
    assert "https://" not in config and "git@" not in config


def test_tool_versions_are_pinned_alike_in_pre_commit_and_the_dev_group(bake) -> None:
    project = bake()
    config = (project / ".pre-commit-config.yaml").read_text()
    dev_group = (project / "pyproject.toml").read_text()
    pins = set(re.findall(r'"ruff==([0-9.]+)"', config))
    assert len(pins) == 1, config
    assert f'"ruff=={pins.pop()}"' in dev_group
    assert '"mypy==' in dev_group
