"""Each baked project passes its own test suite, with the template's dev tools installed."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import FEATURE_SETS, PROVIDERS, features_id, is_accepted

CASES = [
    *(pytest.param(features, id=features_id(features)) for features in FEATURE_SETS if is_accepted(features)),
    *(pytest.param({"llm_provider": provider}, id=provider) for provider in PROVIDERS[1:]),
]


def run_suite(project) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("options", CASES)
def test_the_generated_suite_passes(bake, options: dict) -> None:
    result = run_suite(bake(**options))
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 40, summary
    assert "failed" not in summary and "error" not in summary
